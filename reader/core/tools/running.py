"""Running one of the user's programs: no shell, a timeout, a cancel, and nothing left behind.

The program gets its input on stdin and its output is read as it comes, each piece handed on
with terminal escapes removed (an escape split across two pieces is held back until it is
whole, so no half of one slips through). It runs in a process group of its own, so a timeout
or a cancel ends it and anything it started; on Linux the kernel also ends it if reader dies
first. Its stdin, stdout and stderr are pumped by threads, so a program that does not read its
input, or floods its stderr, can never block us.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import IO

from reader.core.text import strip_controls

MAX_OUTPUT = 1 << 20  # characters of output kept; a program that writes more is stopped
_STDERR_TAIL = 8192
_POLL = 0.05  # how often a wait for output also looks at the cancel event
_REAP = 5.0  # seconds to wait for a killed program to go
_PLACEHOLDER = re.compile(r"\{(id|title|path)\}")
_PLAIN_WORD = re.compile(r"[\w@%+=:,./…{}-]+")  # shown without quotes
_INTRODUCERS = "\x1b\x90\x98\x9b\x9d\x9e\x9f"
_MAX_HELD = 4096  # an escape longer than this is not held back any more
# Whole escapes, by how each kind starts: a string (OSC, DCS...) ends at BEL, ST or a newline;
# a CSI at its final byte; any other escape at its first byte from 0 to ~.
_STRING_START = re.compile(r"\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f]")
_WHOLE_STRING = re.compile(r"(?:\x1b.|.)[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c|\n)", re.S)
_CSI_START = re.compile(r"\x1b\[|\x9b")
_WHOLE_CSI = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]")
_WHOLE_OTHER = re.compile(r"\x1b[ -/]*[0-~]")


class ToolError(Exception):
    """A program that could not run or failed; str() is the one line to show."""


class ToolCancelled(ToolError):
    """Stopped on request (Esc in the app)."""


def fill(words: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """The command's words with {id}, {title} and {path} filled in, in one pass (a title
    holding "{id}" stays as written); other braces are left alone."""
    return [
        _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), word) if "{" in word else word
        for word in words
    ]


def describe(words: Sequence[str]) -> str:
    """The command as the user would type it, long paths shortened to their file names, cut
    to fit in one line."""
    short = [f"…/{os.path.basename(w)}" if os.sep in w and len(w) > 24 else w for w in words]
    text = " ".join(w if _PLAIN_WORD.fullmatch(w) else shlex.quote(w) for w in short)
    return text if len(text) <= 80 else text[:77] + "..."


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, a hook that asks the kernel to kill the child when its parent dies."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def hook() -> None:
        prctl(pr_set_pdeathsig, signal.SIGKILL)

    return hook


_IN_CHILD = _die_with_parent()


def start(words: Sequence[str], *, name: str, **options: object) -> subprocess.Popen[bytes]:
    """Start a program in a process group of its own; ToolError if it cannot be started."""
    try:
        return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
            list(words),
            process_group=0,
            preexec_fn=_IN_CHILD,
            **options,
        )
    except FileNotFoundError:
        raise ToolError(f"{name}: {words[0]} was not found (is it installed, on PATH?)") from None
    except PermissionError:
        raise ToolError(f"{name}: {words[0]} cannot be run (not executable?)") from None
    except OSError as error:
        raise ToolError(f"{name}: could not start {words[0]}: {error.strerror or error}") from None


def end(process: subprocess.Popen[bytes]) -> None:
    """Kill the program and its process group, and reap it (bounded)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(_REAP)


def run_streaming(
    words: Sequence[str],
    stdin_text: str,
    *,
    name: str,
    timeout: float,
    on_text: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> str:
    """Run the program with stdin_text as its input; its output as clean text (also handed
    to on_text piece by piece). ToolError on failure, ToolCancelled when cancel is set."""
    cancel = cancel or threading.Event()
    process = start(
        words,
        name=name,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin and process.stdout and process.stderr
    pieces: queue.Queue[bytes | None] = queue.Queue()
    stderr_tail = bytearray()
    pumps = [
        threading.Thread(target=_feed, args=(process.stdin, stdin_text), daemon=True),
        threading.Thread(target=_drain, args=(process.stdout, pieces), daemon=True),
        threading.Thread(target=_tail, args=(process.stderr, stderr_tail), daemon=True),
    ]
    for pump in pumps:
        pump.start()
    text = _Text(on_text)
    deadline = time.monotonic() + timeout
    try:
        while True:
            if cancel.is_set():
                raise ToolCancelled(f"{name}: stopped")
            left = deadline - time.monotonic()
            if left <= 0:
                raise ToolError(f"{name} took over {timeout:g} s and was stopped")
            try:
                piece = pieces.get(timeout=min(left, _POLL))
            except queue.Empty:
                continue
            if piece is None:
                break
            text.add(piece)
            if len(text) > MAX_OUTPUT:
                raise ToolError(f"{name} wrote over {MAX_OUTPUT:,} characters and was stopped")
        code = process.wait(max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise ToolError(f"{name} took over {timeout:g} s and was stopped") from None
    finally:
        end(process)
        for pump in pumps:
            pump.join(_REAP)
    if code != 0:
        raise ToolError(failure_line(name, code, bytes(stderr_tail)))
    return text.finish()


class _Text:
    """Output decoded as it comes, escapes removed, an unfinished escape held back."""

    def __init__(self, on_text: Callable[[str], None] | None) -> None:
        self.on_text = on_text
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.held = ""
        self.parts: list[str] = []
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def add(self, data: bytes) -> None:
        ready, self.held = _split_unfinished(self.held + self.decoder.decode(data))
        self._emit(ready)

    def finish(self) -> str:
        self._emit(self.held + self.decoder.decode(b"", final=True))
        self.held = ""
        return "".join(self.parts)

    def _emit(self, raw: str) -> None:
        clean = strip_controls(raw) if raw else ""
        if clean:
            self.parts.append(clean)
            self.size += len(clean)
            if self.on_text is not None:
                self.on_text(clean)


def _split_unfinished(text: str) -> tuple[str, str]:
    """(text safe to clean now, an escape still being written at its end)."""
    at = max(text.rfind(char) for char in _INTRODUCERS)
    if at < 0 or len(text) - at > _MAX_HELD or _is_whole(text, at):
        return text, ""
    return text[:at], text[at:]


def _is_whole(text: str, at: int) -> bool:
    if _STRING_START.match(text, at):
        return _WHOLE_STRING.match(text, at) is not None
    if _CSI_START.match(text, at):
        return _WHOLE_CSI.match(text, at) is not None
    return _WHOLE_OTHER.match(text, at) is not None


def _feed(stream: IO[bytes], text: str) -> None:
    with contextlib.suppress(OSError), stream:  # a program may not read it all: its choice
        stream.write(text.encode("utf-8", "replace"))


def _drain(stream: IO[bytes], pieces: queue.Queue[bytes | None]) -> None:
    with contextlib.suppress(OSError), stream:
        while chunk := stream.read1(65536):  # type: ignore[attr-defined]
            pieces.put(chunk)
    pieces.put(None)


def _tail(stream: IO[bytes], tail: bytearray) -> None:
    with contextlib.suppress(OSError), stream:
        while chunk := stream.read1(65536):  # type: ignore[attr-defined]
            tail.extend(chunk)
            del tail[:-_STDERR_TAIL]


def failure_line(name: str, code: int, stderr: bytes) -> str:
    how = f"exit status {code}" if code > 0 else f"killed by signal {-code}"
    lines = [line for line in strip_controls(stderr.decode("utf-8", "replace")).splitlines()]
    last = next((" ".join(line.split()) for line in reversed(lines) if line.strip()), "")
    return f"{name} failed ({how})" + (f": {last[:200]}" if last else "")
