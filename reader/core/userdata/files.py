"""One YAML user file: what is on disk, the edits not saved yet, and the view of both.

Every edit is an operation (`add this tag to that paper`), not a snapshot: a save takes the
file's lock, re-reads the file if another process changed it, applies the pending operations
to what is on disk now and writes the result atomically. So a TUI and a CLI editing at once
both keep their edits, and an edit that could not be saved (disk full, file broken by hand)
stays pending in memory and is applied again by the next save.

Operations replace the values they change (`data[pid] = [...]`), never change them in place,
so a shallow copy of a file's data is a safe snapshot: cheap even for ten thousand entries.

A file is read when it is first needed, not when UserData is made: `reader note` has no use
for a read.yaml of 100,000 lines. After that, a stat tells whether another process changed it
(`refresh`), and every save re-reads it first if so, under its lock.
"""

from __future__ import annotations

import copy
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from reader.core.durable import atomic_write_bytes
from reader.core.locking import locked
from reader.core.userdata.errors import SaveError, UserFileError
from reader.core.userdata.formats import Resolve
from reader.core.userdata.migration import CURRENT_VERSION, current_section
from reader.core.userdata.values import ResolveAll, resolver_for

T = TypeVar("T")
Operation = Callable[[T], None]
Signature = tuple[int, int, int]  # size, mtime_ns, inode: a save by rename always changes it
MAX_BYTES = 64 * 2**20  # a file of a million papers' lines is 40 MB; past this, not read at all
_RACY_NS = 2 * 10**9  # how recent a file's time must be for its stat not to be trusted alone


def stat_signature(path: Path) -> Signature | None:
    """(size, mtime_ns, inode) of path, None if there is no such file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def os_reason(error: OSError) -> str:
    """'No space left on device', not '[Errno 28] ...'."""
    if error.strerror:
        return error.strerror
    if error.errno:
        return os.strerror(error.errno)
    return str(error) or type(error).__name__


def keep_aside(kept_dir: Path, original: Path, raw: bytes) -> Path:
    """Save a copy of raw in kept_dir before a save drops something of it (comments, old shape)."""
    kept_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = kept_dir / f"{original.stem}.{stamp}{original.suffix}"
    count = 1
    while target.exists():
        count += 1
        target = kept_dir / f"{original.stem}.{stamp}-{count}{original.suffix}"
    atomic_write_bytes(target, raw)
    return target


class UserFile(Generic[T]):
    def __init__(
        self,
        folder: Path,
        lock_dir: Path,
        kept_dir: Path,
        fmt: Any,
        resolve: Resolve,
        resolve_all: ResolveAll | None = None,
    ) -> None:
        self.fmt = fmt
        self.path = folder / fmt.file_name
        self.lock_dir = lock_dir
        self.kept_dir = kept_dir
        self.resolve = resolve
        self.resolve_all = resolve_all
        self.error: UserFileError | None = None
        self.kept: list[Path] = []  # copies made by keep_aside, for the report
        self._base: T = fmt.empty()
        self._version = CURRENT_VERSION
        self._raw: bytes | None = None
        self._sig: Signature | None = None
        self._pending: list[tuple[Operation[T], str | None]] = []
        self._view: T = fmt.empty()  # replaced, never changed in place: safe to read from threads
        self._loaded = False
        self._noticed: set[str] = set()  # see take_noticed
        self._mutex = threading.RLock()

    # -- reading ---------------------------------------------------------------------------

    @property
    def view(self) -> T:
        """The data as this process sees it: the file plus any edits not saved yet."""
        if not self._loaded:
            self.load()
        return self._view

    def load(self) -> None:
        """Read the file now if it has not been read yet."""
        with self._mutex:
            if not self._loaded:
                self._read()

    @property
    def loaded(self) -> bool:
        return self._loaded

    def signature(self) -> Signature | None:
        return stat_signature(self.path)

    def _read(self) -> None:
        """Read the file as it is now: the base the pending edits apply to."""
        self.error = None
        self._base, self._raw, self._sig = self.fmt.empty(), None, None
        self._version = CURRENT_VERSION
        self._loaded = True
        try:
            with open(self.path, "rb") as handle:
                st = os.fstat(handle.fileno())
                self._sig = (st.st_size, st.st_mtime_ns, st.st_ino)
                if st.st_size > MAX_BYTES:
                    raise UserFileError(self.path, _too_big(st.st_size))
                raw = handle.read()
        except FileNotFoundError:
            self._rebuild_view()
            return
        except UserFileError as error:
            self.error = error
            self._rebuild_view()
            return
        except OSError as error:
            self.error = UserFileError(self.path, os_reason(error))
            self._rebuild_view()
            return
        self._raw = raw
        from reader.core.userdata.yamlio import parse  # YAML: only once a file is there

        try:
            parsed = parse(raw, self.path)
            section, where, self._version = current_section(self.fmt, parsed)
            data = self.fmt.decode(parsed, section, where)
        except UserFileError as error:
            self.error = error
        else:
            self._base = self.fmt.canonical(data, self._resolver(data))
        self._rebuild_view()

    def _rebuild_view(self) -> None:
        view = copy.copy(self._base)
        for operation, _pid in self._pending:
            operation(view)
        self._view = view

    def refresh(self) -> None:
        """Re-read the file if anyone changed it since we last did (a stat tells)."""
        with self._mutex:
            if not self._loaded:
                return
            signature = self.signature()
            if signature == self._sig and not self._racy(signature):
                return
            before = self._view
            self._read()
            self._noticed |= self.fmt.changed_ids(before, self._view)

    def _racy(self, signature: Signature | None) -> bool:
        """A file written within a tick of the file system's clock can have the size, time
        and (reused) inode of the one we read: then the bytes tell, as git does for its
        "racily clean" entries."""
        if signature is None or time.time_ns() - signature[1] > _RACY_NS:
            return False
        try:
            return self.path.read_bytes() != self._raw
        except OSError:
            return True

    def take_noticed(self) -> set[str]:
        """The ids whose entries another process changed, found by any re-read since the last
        call (none for a file not keyed by paper)."""
        with self._mutex:
            noticed, self._noticed = self._noticed, set()
            return noticed

    def recanonicalize(self) -> None:
        """Fold keys that became aliases (papers merged since we read the file)."""
        with self._mutex:
            if self._loaded:
                self._base = self.fmt.canonical(self._base, self._resolver(self._base))
                self._rebuild_view()

    def _resolver(self, data: Any) -> Resolve:
        return resolver_for(data, self.resolve, self.resolve_all)

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    # -- writing ---------------------------------------------------------------------------

    def edit(self, operation: Operation[T], pid: str | None = None) -> set[str]:
        """Apply operation now (in memory) and save; returns the ids whose edits got saved.

        Raises SaveError if the save failed; the edit stays pending and in the view.
        """
        with self._mutex:
            view = copy.copy(self.view)  # copy on write: a published view never changes
            operation(view)
            self._pending.append((operation, pid))
            self._view = view
            return self.flush()

    def flush(self) -> set[str]:
        """Save every pending edit on top of what is on disk now, under the file's lock."""
        with self._mutex:
            if not self._pending:
                return set()
            try:
                with locked(self.lock_dir, self.fmt.file_name):
                    self.load()
                    self.refresh()
                    if self.error is not None:
                        raise SaveError(self.path, self._refusal(self.error))
                    new = copy.copy(self._base)
                    for operation, _pid in self._pending:
                        operation(new)
                    self._write(new)
            except OSError as error:
                raise SaveError(self.path, os_reason(error)) from error
            saved = {pid for _operation, pid in self._pending if pid is not None}
            self._pending.clear()
            self._base = self._view = new  # shared safely: neither is ever changed in place
            return saved

    def _write(self, data: T) -> None:
        from reader.core.userdata.emit import dump  # YAML: only once something is saved

        doc = {"version": CURRENT_VERSION, self.fmt.section: self.fmt.encode(data)}
        text = dump(doc, self.fmt.header, flow_lists=self.fmt.flow_lists)
        encoded = text.encode("utf-8")
        if encoded == self._raw or (self._raw is None and data == self.fmt.empty()):
            return  # no change, no write: nothing for git or Syncthing to carry
        if self._raw is not None and self._loses_something(self._raw):
            self.kept.append(keep_aside(self.kept_dir, self.path, self._raw))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.path, encoded)
        self._raw, self._sig, self._version = encoded, self.signature(), CURRENT_VERSION

    def _loses_something(self, raw: bytes) -> bool:
        if self._version < CURRENT_VERSION:
            return True
        from reader.core.userdata.emit import has_user_comments

        return has_user_comments(raw.decode("utf-8", "replace"), self.fmt.header)

    @staticmethod
    def _refusal(error: UserFileError) -> str:
        where = f"line {error.line}, column {error.column}" if error.line else "it"
        return (
            f"not saving over a file with an error ({where}: {error.message}); "
            "fix it by hand and the edit will be saved then"
        )


def _too_big(size: int) -> str:
    return (
        f"it is {size / 2**20:.0f} MiB, over the {MAX_BYTES // 2**20} MiB reader reads in a "
        "user file"
    )
