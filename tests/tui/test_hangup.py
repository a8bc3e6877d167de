"""A terminal that stops taking output, then hangs up: reader still saves the note being
written, closes the library and ends, within a bound.

The app's output goes to a pipe that nobody reads any more, so Textual's output thread blocks
on a write, as it does on a terminal that went away; then SIGHUP. Every wait is for a
condition (a line on the screen, a thread blocked in write(2), the process gone).
"""

from __future__ import annotations

import fcntl
import os
import platform
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest
from test_pty_escapes import environment
from tui_helpers import reader_command

from reader.core.paths import DataPaths

WRITE = {"x86_64": 1, "aarch64": 64}.get(platform.machine())  # the write(2) syscall's number
F_SETPIPE_SZ = 1031  # Linux: a pipe's capacity
WAIT_S = 60.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        WRITE is None or not Path("/proc/self/syscall").exists(), reason="needs Linux /proc"
    ),
]


def until(check, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT_S
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


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
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 110, 0, 0))
    screen_out, screen_in = os.pipe()  # Textual paints on stderr
    fcntl.fcntl(screen_in, F_SETPIPE_SZ, 4096)
    env = environment(sample_paths.data_dir, tmp_path / "home")
    proc = subprocess.Popen(
        reader_command(),
        stdin=follower,
        stdout=follower,
        stderr=screen_in,
        env=env,
        start_new_session=True,
    )
    os.close(follower)
    os.close(screen_in)
    painted = bytearray()

    def shows(text: bytes) -> bool:
        ready, _, _ = select.select([screen_out, leader], [], [], 0.05)
        for fd in ready:
            painted.extend(os.read(fd, 1 << 16))
        return text in painted

    try:
        until(lambda: shows(b"406 papers"), "the papers")
        os.write(leader, b"n")
        until(lambda: shows(b"Note:"), "the note editor")
        os.write(leader, b"written before the terminal stopped")
        until(lambda: shows(b"stopped"), "the note's text")
        # From here on nobody reads: a resize repaints the whole screen, more than fits.
        fcntl.ioctl(leader, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 120, 0, 0))
        os.kill(proc.pid, signal.SIGWINCH)
        until(lambda: writing_to_stderr(proc.pid), "the output thread to block")

        os.kill(proc.pid, signal.SIGHUP)
        proc.wait(timeout=WAIT_S)  # raises if it never ends
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
        os.close(screen_out)
    notes = [note.read_text(encoding="utf-8") for note in sample_paths.notes_dir.glob("*.md")]
    assert notes == ["written before the terminal stopped"]
    assert not list((sample_paths.data_dir / ".open").glob("*.lock"))  # the library closed
    assert proc.returncode == 0
