"""Did an earlier session end without closing the library (a crash, a kill, a closed terminal)?

Only then is the whole-store check worth its seconds. Each open library holds a kernel lock on
a file of its own in `<data dir>/.open/`, and the kernel drops that lock when the process ends,
however it ends. So a file there whose lock can be taken was left by a process that died
before it closed; a locked one belongs to a live process (the app open in another split), and
a CLI call beside a running app starts as fast as ever. `.store-open`, the one shared marker
of earlier versions, counts as an unclean end once.

The locks are the OS calls themselves, not filelock: every `reader search` opens a library,
and importing filelock would add a third to its start-up.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

if os.name == "nt":
    import msvcrt

    def _lock(fd: int, *, wait: bool) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _lock(fd: int, *, wait: bool) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held elsewhere; or a file system without locks, where all look live
            return False
        return True


_LEGACY = ".store-open"
_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
_SCAN = "scan"  # held while marks are scanned, made or removed: no one sees them half done


class OpenMark:
    """This process's mark on a library, and the marks of dead processes it found."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / ".open"
        self._stale: list[tuple[Path, int]] = []
        self.unclean = False
        self.path = self.folder / f"{os.getpid()}-{os.urandom(4).hex()}.lock"
        self._fd = -1
        try:
            self._mark(data_dir)
        except OSError as error:
            if error.errno not in _NO_ROOM:
                raise
            # A full disk: no mark this time (reading must not need free space); only the
            # check after a crash of this process is lost.

    def _mark(self, data_dir: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with _scanning(self.folder):
            legacy = data_dir / _LEGACY
            left_by_earlier_version = legacy.exists()
            legacy.unlink(missing_ok=True)
            for path in sorted(self.folder.glob("*.lock")):
                fd = _open(path)
                if _lock(fd, wait=False):
                    self._stale.append((path, fd))
                else:
                    os.close(fd)  # a live process holds it
            self.unclean = left_by_earlier_version or bool(self._stale)
            self._fd = _open(self.path)
            _lock(self._fd, wait=False)  # a new file nobody else has opened

    def checked(self) -> None:
        """The store was checked: the dead processes' marks have told what they had to."""
        if not self._stale:
            return
        with _scanning(self.folder):
            for path, fd in self._stale:
                os.close(fd)
                path.unlink(missing_ok=True)
            self._stale.clear()

    def release(self) -> None:
        """A clean close: nothing of this process for the next start to check. The dead
        processes' marks stay unless checked() (a check stopped half way runs again)."""
        for _path, fd in self._stale:
            os.close(fd)
        self._stale.clear()
        if self._fd < 0:
            return
        with _scanning(self.folder):
            os.close(self._fd)
            self._fd = -1
            self.path.unlink(missing_ok=True)


@contextmanager
def _scanning(folder: Path) -> Iterator[None]:
    """Hold the folder's scan lock for the block (closing the file drops it)."""
    fd = _open(folder / _SCAN)
    try:
        _lock(fd, wait=True)
        yield
    finally:
        os.close(fd)


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
