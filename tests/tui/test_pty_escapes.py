"""Terminal escapes in paper text never reach the terminal: the CLI and the app run in a real
pty on a hostile library and on the same library written cleanly, and the hostile run emits no
escape sequence, C1 control or bidi override that the clean run does not.

Import strips the escapes, so the two libraries hold the same text; what is compared is what
the terminal receives. The CLI's output must be byte for byte the clean run's. The app's
output depends on timing (how many repaints), so its escape sequences are compared by kind:
every kind the hostile run emits, the clean run emits too, and neither sends an OSC 52
(clipboard) or the hostile payload.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from tui_helpers import reader_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

PAYLOAD = "ZWNobyBwd25lZA=="
ESCAPES = f"\x1b]52;c;{PAYLOAD}\x07\x1b[2J\x9b31m\u202e\x1b[?1049l\x1b[?1049h\x1bc"
# CSI, OSC (ended by BEL or ST), then any other two-byte escape.
SEQUENCE = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
C1_OR_BIDI = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069]")
ROWS, COLUMNS = 30, 110
TIMINGS = re.compile(rb'\d+(\.\d+)?(?= ms)|(?<="took_ms": )[\d.]+')  # differ run to run


def corpus(hostile: bool) -> str:
    dirt = ESCAPES if hostile else ""
    rows = [
        {
            "id": f"2409.0000{i}",
            "title": f"Safe{dirt} title number {i} about pruning{dirt}",
            "abstract": f"An abstract{dirt} that tries hard. Pruning{dirt} sparse networks.",
            "authors": f"Eve{dirt} Doe and Bob Roe",
            "update_date": f"2024-09-0{i}",
        }
        for i in range(1, 6)
    ]
    return "".join(json.dumps(row) + "\n" for row in rows)


def environment(data_dir: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(
        READER_DATA_DIR=str(data_dir),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        TERM="xterm-256color",
        READER_DAILY_BACKUP="0",
    )
    env.pop("NO_COLOR", None)
    return env


def run_in_pty(args: list[str], env: dict[str, str], keys: bytes = b"") -> bytes:
    """Run a command on a pty of ROWS x COLUMNS; type `keys` once its output has been quiet for
    a moment (the app has painted); return every byte it wrote."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    proc = subprocess.Popen(
        args, stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True
    )
    os.close(follower)
    out = bytearray()
    deadline = time.monotonic() + 60
    last_output = time.monotonic()
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the follower side closed: the process is gone
                    break
                if not chunk:
                    break
                out += chunk
                last_output = time.monotonic()
            elif keys and out and time.monotonic() - last_output > 1.5:
                os.write(leader, keys[:1])
                keys = keys[1:]
                last_output = time.monotonic()
            elif proc.poll() is not None:
                break
        assert proc.wait(timeout=30) == 0, out.decode(errors="replace")[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    return bytes(out)


def kinds(output: bytes) -> set[bytes]:
    """Escape sequences by kind: CSI by its private marker and final byte (with the mode for
    set/reset, so an alternate-screen switch is its own kind), OSC by its number."""
    found: set[bytes] = set()
    for match in SEQUENCE.finditer(output):
        seq = match.group()
        if seq.startswith(b"\x1b]"):
            found.add(b"OSC" + seq[2:].split(b";", 1)[0][:8])
        elif seq.startswith(b"\x1b["):
            body, final = seq[2:-1], seq[-1:]
            private = body[:1] if body[:1] in (b"?", b">", b"<", b"=") else b""
            mode = body[len(private) :] if final in (b"h", b"l") else b""
            found.add(b"CSI" + private + mode + final)
        else:
            found.add(seq)
    return found


@pytest.fixture(scope="module")
def libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, dict[str, str]]:
    """A clean and a hostile library, imported by the installed `reader`."""
    made: dict[bool, dict[str, str]] = {}
    for hostile in (False, True):
        root = tmp_path_factory.mktemp("hostile" if hostile else "clean")
        source = root / "papers.jsonl"
        source.write_text(corpus(hostile), encoding="utf-8")
        env = environment(root / "data", root / "home")
        subprocess.run([*reader_command(), "import", str(source)], env=env, check=True)
        made[hostile] = env
    return made


@pytest.mark.parametrize(
    "args",
    [
        ["show", "2409.00001"],
        ["search", "pruning"],
        ["search", "pruning", "--json"],
        ["export", "--format", "markdown"],
    ],
    ids=lambda args: " ".join(args),
)
def test_cli_output_on_a_hostile_library_is_the_clean_output(libraries, args) -> None:
    outputs = {h: run_in_pty([*reader_command(), *args], env) for h, env in libraries.items()}
    clean, hostile = (TIMINGS.sub(b"_", outputs[h]) for h in (False, True))
    assert b"pruning" in clean.lower()
    assert hostile == clean


def test_the_app_emits_no_escape_kind_beyond_the_clean_run(libraries) -> None:
    outputs = {h: run_in_pty(reader_command(), env, keys=b"jjq") for h, env in libraries.items()}
    clean, hostile = outputs[False], outputs[True]
    assert b"title number" in clean and b"title number" in hostile  # both painted the papers
    assert kinds(hostile) <= kinds(clean), kinds(hostile) - kinds(clean)
    for output in (clean, hostile):
        text = output.decode("utf-8", errors="strict")
        assert not C1_OR_BIDI.search(text)
        assert b"\x1b]52" not in output and PAYLOAD.encode() not in output
