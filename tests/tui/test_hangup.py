"""A hang-up (SIGHUP) ends reader within a bound, with the note saved and the library closed,
however the terminal behaves; and the $EDITOR it runs does not outlive it.

reader runs on a pty of its own. In one test its output goes to a pipe that nobody reads any
more, so Textual's output thread blocks on a write, as it does on a terminal that went away
(every write after that would block the app). Every wait is for a condition: a line on the
screen, a thread blocked in write(2), a process there or gone.
"""

from __future__ import annotations

import fcntl
import os
import platform
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import pytest
from test_pty_escapes import environment
from tui_helpers import children, reader_command, running

from reader.core.paths import DataPaths

WRITE = {"x86_64": 1, "aarch64": 64}.get(platform.machine())  # the write(2) syscall's number
F_SETPIPE_SZ = 1031  # Linux: set a pipe's capacity
WAIT_S = 60.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        WRITE is None or not Path("/proc/self/syscall").exists(), reason="needs Linux /proc"
    ),
]


class Reader:
    """reader on a pty; what it paints is read (and kept) while a test waits."""

    def __init__(
        self, paths: DataPaths, home: Path, paint: tuple[int, int] | None = None, **env: str
    ) -> None:
        """`paint`: a pipe (read end, write end) for Textual to paint on (its stderr)."""
        self.pty, follower = os.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 110, 0, 0))
        self.screen, stderr = (self.pty, follower) if paint is None else paint
        self.proc = subprocess.Popen(
            reader_command(),
            stdin=follower,
            stdout=follower,
            stderr=stderr,
            env={**environment(paths.data_dir, home), **env},
            start_new_session=True,
        )
        os.close(follower)
        if paint is not None:
            os.close(stderr)
        self.painted = bytearray()
        self.reading = True

    def until(self, check: Callable[[], object], what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not check():
            assert time.monotonic() < deadline, f"gave up waiting for {what}"
            fds = list({self.pty, self.screen}) if self.reading else []
            ready, _, _ = select.select(fds, [], [], 0.05)
            if not fds:
                time.sleep(0.05)
            for fd in ready:
                with suppress(OSError):  # its other end is closed: reader has ended
                    self.painted.extend(os.read(fd, 1 << 16))

    def shows(self, text: str) -> bool:
        return text.encode() in self.painted

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.pty)
        if self.screen != self.pty:
            os.close(self.screen)


def writing_to_stderr(pid: int) -> bool:
    """Whether a thread of the process is in write(2) on fd 2 (blocked: nobody reads)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            call = (task / "syscall").read_text().split()
        except OSError:
            continue
        if len(call) > 1 and call[0] == str(WRITE) and int(call[1], 16) == 2:
            return True
    return False


def test_a_terminal_that_takes_no_more_output_cannot_hold_the_app(
    sample_paths: DataPaths, tmp_path: Path
) -> None:
    paint = os.pipe()  # Textual paints on stderr: here, a small pipe
    fcntl.fcntl(paint[1], F_SETPIPE_SZ, 4096)
    reader = Reader(sample_paths, tmp_path / "home", paint)
    try:
        reader.until(lambda: reader.shows("406 papers"), "the papers")
        os.write(reader.pty, b"n")
        reader.until(lambda: reader.shows("Note:"), "the note editor")
        os.write(reader.pty, b"written before the terminal stopped")
        reader.until(lambda: reader.shows("stopped"), "the note's text")
        # From here on nobody reads: a resize repaints the whole screen, more than fits.
        reader.reading = False
        fcntl.ioctl(reader.pty, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 120, 0, 0))
        os.kill(reader.proc.pid, signal.SIGWINCH)
        reader.until(lambda: writing_to_stderr(reader.proc.pid), "the output thread to block")

        os.kill(reader.proc.pid, signal.SIGHUP)
        reader.proc.wait(timeout=WAIT_S)  # raises if it never ends
    finally:
        reader.close()
    notes = [note.read_text(encoding="utf-8") for note in sample_paths.notes_dir.glob("*.md")]
    assert notes == ["written before the terminal stopped"]
    assert not list((sample_paths.data_dir / ".open").glob("*.lock"))  # the library closed
    assert reader.proc.returncode == 0


def test_the_editor_ends_with_the_app(sample_paths: DataPaths, tmp_path: Path) -> None:
    """A hang-up while the note is open in $EDITOR: the editor does not outlive reader."""
    editor = f"{sys.executable} -c 'import time; time.sleep(600)'"
    reader = Reader(sample_paths, tmp_path / "home", VISUAL=editor)
    try:
        reader.until(lambda: reader.shows("406 papers"), "the papers")
        os.write(reader.pty, b"e")
        reader.until(lambda: children(reader.proc.pid), "the editor")
        (child,) = children(reader.proc.pid)
        os.kill(reader.proc.pid, signal.SIGHUP)
        reader.until(lambda: reader.proc.poll() is not None, "reader to end")
        reader.until(lambda: not running(child), "the editor to end")
    finally:
        reader.close()
    assert reader.proc.returncode == 0
