"""Notes: one Markdown file per paper (notes/<safe id>.md), the text exactly as typed.

The file holds the note and nothing else, so it reads well in any editor and diffs well in
git; the paper id is the file name (see safe_names). Only an id too long for a file name gets
a hashed name, and then the first line of the file records the id. Notes whose ids became
aliases of one paper (merged papers) read as one note, and the next save writes it under the
current id. A note replaced without having been read here first (another process changed it,
or `--set` over an existing note) is copied to kept/notes/ before the save.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path

from reader.core.durable import atomic_write_bytes, atomic_write_many, fsync_dir
from reader.core.locking import locked
from reader.core.userdata import safe_names
from reader.core.userdata.errors import SaveError, UserFileError
from reader.core.userdata.files import Signature, keep_aside, os_reason, stat_signature
from reader.core.userdata.formats import Resolve, check_id, safe_resolve
from reader.core.userdata.values import ResolveAll, has_surrogates, resolver_for

SUFFIX = ".md"
_ID_LINE = re.compile(r'<!-- reader-id: (".*") -->\n')
_JOINER = "\n\n"


class Notes:
    def __init__(
        self,
        folder: Path,
        lock_dir: Path,
        kept_dir: Path,
        resolve: Resolve,
        resolve_all: ResolveAll | None = None,
    ) -> None:
        self.folder = folder
        self.lock_dir = lock_dir
        self.kept_dir = kept_dir / folder.name
        self.resolve = resolve
        self.resolve_all = resolve_all
        self.errors: dict[Path, UserFileError] = {}
        self.kept: list[Path] = []
        self._files: dict[str, list[Path]] = {}
        self._sig: Signature | None = None  # the folder's: a file added, removed or renamed
        # name -> (signature, id) of each note file as `changes` last reported, or we wrote it
        self._known: dict[str, tuple[Signature, str | None]] = {}
        self._pending: dict[str, str] = {}
        self._seen: dict[str, str] = {}  # the text this instance last read or wrote, per id
        self._mutex = threading.RLock()
        self.scan()
        self._known = self._look()

    def path_for(self, pid: str) -> Path:
        return self.folder / f"{safe_names.encode(pid)}{SUFFIX}"

    # -- reading ---------------------------------------------------------------------------

    def scan(self) -> None:
        """Map each current id to its note files (its own first, then any of its aliases)."""
        with self._mutex:
            self._scan()

    def _scan(self) -> None:
        self._sig = stat_signature(self.folder)
        found = [(self.folder / name, self._id_of(self.folder / name)) for name in self._stat_all()]
        ids = [pid for _path, pid in found if pid is not None]
        current = resolver_for(ids, self.resolve, self.resolve_all)
        files: dict[str, list[Path]] = {}
        for path, pid in sorted(found):
            if pid is not None:
                files.setdefault(safe_resolve(current, pid), []).append(path)
        for pid, paths in files.items():
            own = self.path_for(pid)
            paths.sort(key=lambda path: (path != own, path.name))
        self._files = files

    def _stat_all(self) -> dict[str, Signature]:
        """(size, mtime_ns, inode) of every note file, by file name."""
        stats: dict[str, Signature] = {}
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return stats
        for entry in entries:
            if entry.name.startswith(".") or not entry.name.endswith(SUFFIX):
                continue
            try:
                st = entry.stat()
            except OSError:
                continue  # removed since the listing
            stats[entry.name] = (st.st_size, st.st_mtime_ns, st.st_ino)
        return stats

    def signatures(self) -> dict[str, Signature]:
        """Each file's signature, as `<folder name>/<file name>` (`notes/...`)."""
        return {f"{self.folder.name}/{name}": sig for name, sig in self._stat_all().items()}

    def _id_of(self, path: Path) -> str | None:
        stem = path.name[: -len(SUFFIX)]
        if not safe_names.is_hashed(stem):
            return safe_names.decode(stem)
        try:
            with open(path, "rb") as handle:
                first = handle.readline(4096).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        match = _ID_LINE.fullmatch(first)
        return json.loads(match.group(1)) if match else None

    def rescan_if_moved(self) -> None:
        """Re-scan if files were added, removed or renamed since the last scan (one stat)."""
        with self._mutex:
            if stat_signature(self.folder) != self._sig:
                self._scan()

    def changes(self) -> set[str]:
        """The ids whose note another process wrote, replaced or removed since the last call
        (a stat a note file, so an editor that rewrites a file in place is noticed too)."""
        with self._mutex:
            now = self._look()
            names = {n for n in now.keys() | self._known.keys() if now.get(n) != self._known.get(n)}
            ids = {(self._known.get(n) or now[n])[1] for n in names}
            self._known = now
            if names:
                self._scan()
            return {safe_resolve(self.resolve, pid) for pid in ids if pid is not None}

    def _look(self) -> dict[str, tuple[Signature, str | None]]:
        return {
            name: (sig, self._id_of(self.folder / name)) for name, sig in self._stat_all().items()
        }

    def _remember(self, path: Path, pid: str) -> None:
        """Our own save is no news for `changes`."""
        sig = stat_signature(path)
        if sig is None:
            self._known.pop(path.name, None)
        else:
            self._known[path.name] = (sig, pid)

    def _read(self, path: Path) -> str | None:
        """The note in path (None if gone); a file that is not UTF-8 is an error, kept as is."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise UserFileError(path, os_reason(error)) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
            raise UserFileError(path, "not UTF-8 text", line, column) from None
        if safe_names.is_hashed(path.name[: -len(SUFFIX)]):
            match = _ID_LINE.match(text)
            text = text[match.end() :] if match else text
        self.errors.pop(path, None)
        return text

    def _disk_text(self, pid: str) -> str:
        texts = [text for path in self._files.get(pid, []) if (text := self._read(path))]
        return _JOINER.join(texts)

    def get(self, pid: str, *, strict: bool = False) -> str:
        """pid's note ("" if none); a note file that cannot be read reads as "" and is listed
        in `errors`, or with strict=True raises its UserFileError."""
        with self._mutex:
            if pid in self._pending:
                return self._pending[pid]
            if pid not in self._files:
                return ""
            try:
                text = self._disk_text(pid)
            except UserFileError as error:
                self.errors[error.path] = error
                if strict:
                    raise
                return ""
            self._seen[pid] = text
            return text

    def ids(self) -> set[str]:
        with self._mutex:
            ids = set(self._files)
            for pid, text in self._pending.items():
                if text:
                    ids.add(pid)
                else:
                    ids.discard(pid)
            return ids

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    # -- writing ---------------------------------------------------------------------------

    def set(self, pid: str, text: str) -> set[str]:
        """Save text as pid's note ("" deletes it); SaveError keeps it pending for a retry."""
        check_id(pid)
        if not isinstance(text, str) or has_surrogates(text):
            raise ValueError("a note must be text (it holds bytes that are not UTF-8)")
        with self._mutex:
            self._pending[pid] = text
            return self.flush()

    def append(self, pid: str, text: str) -> set[str]:
        """Add text after pid's note as it is on disk now, a blank line between: read and saved
        under the notes' lock, so a note another process saves meanwhile is kept, not replaced."""
        check_id(pid)
        if not isinstance(text, str) or has_surrogates(text):
            raise ValueError("a note must be text (it holds bytes that are not UTF-8)")
        with (
            self._mutex,
            locked(self.lock_dir, "notes"),
        ):  # the lock is reentrant: _flush retakes it
            self.rescan_if_moved()
            try:
                before = self._disk_text(pid)
            except UserFileError as error:
                raise SaveError(error.path, _refusal(error)) from error
            self._seen[pid] = before  # what this append builds on: not a conflict to keep aside
            self._pending[pid] = joined(before, text)
            return self._flush()

    def add_many(self, texts: dict[str, str]) -> set[str]:
        """Add each text to its paper's note under one hold of the notes' lock: the note of a
        paper without one, else after its note (a blank line between) unless the note holds
        the text already. A note file that cannot be read is left as it is (and reported in
        errors), its paper's text not added. Returns the ids whose note changed."""
        for pid, text in texts.items():
            check_id(pid)
            if not isinstance(text, str) or has_surrogates(text):
                raise ValueError("a note must be text (it holds bytes that are not UTF-8)")
        with self._mutex, locked(self.lock_dir, "notes"):
            self.rescan_if_moved()
            for pid, text in texts.items():
                before = self._pending.get(pid)
                if before is None:
                    try:
                        before = self._disk_text(pid)
                    except UserFileError as error:
                        self.errors[error.path] = error
                        continue
                    self._seen[pid] = before  # what this builds on: no conflict to keep aside
                if text.strip() and text not in before:
                    self._pending[pid] = joined(before, text)
            return self._flush(together=True)

    def flush(self) -> set[str]:
        with self._mutex:
            return self._flush()

    def _flush(self, *, together: bool = False) -> set[str]:
        """Save the pending notes, one by one, or `together` with one sync of the disk for all
        (atomic_write_many: an import's thousands of notes)."""
        saved: set[str] = set()
        if not self._pending:
            return saved
        try:
            with locked(self.lock_dir, "notes"):
                self.rescan_if_moved()
                if together:
                    saved = self._save_together()
                for pid, text in list(self._pending.items()):
                    self._save(pid, text)
                    del self._pending[pid]
                    saved.add(pid)
        except UserFileError as error:
            self.scan()
            raise SaveError(error.path, _refusal(error)) from error
        except OSError as error:
            self.scan()
            raise SaveError(self.path_for(next(iter(self._pending))), os_reason(error)) from error
        finally:
            if saved and not together:  # together keeps the map of files itself
                self.scan()
        return saved

    def _save(self, pid: str, text: str) -> None:
        data = self._prepare(pid, text)
        if data is not None:
            atomic_write_bytes(self.path_for(pid), data)
        self._settle(pid, text)

    def _save_together(self) -> set[str]:
        """_save for every pending note, the files written by one atomic_write_many."""
        writes: dict[Path, bytes] = {}
        for pid, text in self._pending.items():
            data = self._prepare(pid, text)
            if data is not None:
                writes[self.path_for(pid)] = data
        atomic_write_many(writes)
        for pid, text in self._pending.items():
            self._settle(pid, text)
            if text:  # the files changed under the notes' lock are ours: no scan of them all
                self._files[pid] = [self.path_for(pid)]
            else:
                self._files.pop(pid, None)
        self._sig = stat_signature(self.folder)
        saved = set(self._pending)
        self._pending.clear()
        return saved

    def _prepare(self, pid: str, text: str) -> bytes | None:
        """The bytes to write as pid's note file (None: nothing to write), a note another
        process changed meanwhile first kept aside."""
        current = self._disk_text(pid)  # raises UserFileError if a file is not ours to replace
        target = self.path_for(pid)
        if text == current and self._files.get(pid, []) == [target]:
            return None  # no change, no write
        if current and current != self._seen.get(pid):
            self.kept.append(keep_aside(self.kept_dir, target, current.encode()))
        if not text:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        hashed = safe_names.is_hashed(target.name[: -len(SUFFIX)])
        marker = f"<!-- reader-id: {json.dumps(pid)} -->\n" if hashed else ""
        return (marker + text).encode("utf-8")

    def _settle(self, pid: str, text: str) -> None:
        """After pid's note file is written: its other files (under old ids) go, and what is
        on disk now is remembered as ours (our own save is no news for `changes`)."""
        target = self.path_for(pid)
        paths = self._files.get(pid, [])
        gone = [path for path in paths if path != target or not text]
        for path in gone:
            path.unlink(missing_ok=True)
        if gone:
            fsync_dir(self.folder)
        self._seen[pid] = text
        for path in {target, *paths}:
            self._remember(path, pid)


def _refusal(error: UserFileError) -> str:
    return (
        f"not saving over a note that cannot be read ({error.where}: {error.message}); "
        "fix or move it by hand and the edit will be saved then"
    )


def joined(before: str, text: str) -> str:
    """`before` kept to the last byte, then a blank line, then `text`."""
    if not before.strip() or before.endswith("\n\n"):
        return before + text
    return before + ("\n" if before.endswith("\n") else "\n\n") + text
