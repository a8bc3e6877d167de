"""The user's programs run for real: small fake summarizers that echo, fail, hang, flood or
print terminal escapes. Output arrives clean and as it comes; nothing outlives a stop."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.core.tools import ToolCancelled, ToolError, describe, fill, run_streaming

PY = sys.executable


def script(tmp_path: Path, name: str, body: str) -> list[str]:
    path = tmp_path / f"{name}.py"
    path.write_text(body, encoding="utf-8")
    return [PY, str(path)]


def run(words: list[str], prompt: str = "", **options: object) -> str:
    options.setdefault("timeout", 20.0)
    return run_streaming(words, prompt, name="the summarizer", **options)  # type: ignore[arg-type]


def test_an_echoing_program_gets_the_prompt_and_its_output_streams(tmp_path: Path) -> None:
    echo = script(
        tmp_path,
        "echo",
        "import sys, time\n"
        "text = sys.stdin.read()\n"
        "for word in ['Summary:', ' ', text.upper()]:\n"
        "    sys.stdout.write(word); sys.stdout.flush(); time.sleep(0.05)\n",
    )
    pieces: list[str] = []

    out = run(echo, "a prompt, with ünïcode\n", on_text=pieces.append)

    assert out == "Summary: A PROMPT, WITH ÜNÏCODE\n"
    assert len(pieces) >= 2 and "".join(pieces) == out  # as it came, not all at the end


def test_a_failing_program_is_one_line_with_its_status_and_last_stderr_line(
    tmp_path: Path,
) -> None:
    fail = script(
        tmp_path,
        "fail",
        "import sys\nsys.stdin.read()\nprint('partial')\n"
        "sys.stderr.write('warming up\\nError: no API key set\\n\\n')\nsys.exit(3)\n",
    )
    with pytest.raises(ToolError) as caught:
        run(fail, "prompt")
    message = str(caught.value)
    assert message == "the summarizer failed (exit status 3): Error: no API key set"
    assert "\n" not in message


def test_a_hanging_program_is_stopped_at_the_timeout_with_what_it_started(
    tmp_path: Path,
) -> None:
    pid_file = tmp_path / "child.pid"
    hang = script(
        tmp_path,
        "hang",
        "import subprocess, sys, time\n"
        f"child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(300)\n",
    )
    started = time.monotonic()
    with pytest.raises(ToolError, match=r"the summarizer took over 1 s and was stopped"):
        run(hang, timeout=1.0)
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    assert not _alive(child)  # its whole process group went with it


def _alive(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # a killed process may take a moment to be reaped
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().split(")")[-1].split()[0] == "Z":
                    return False  # a zombie: dead, waiting for its parent (init) to reap it
        except OSError:
            return False
        time.sleep(0.05)
    return True


def test_a_cancel_stops_the_program(tmp_path: Path) -> None:
    hang = script(tmp_path, "hang", "import time\nprint('working', flush=True)\ntime.sleep(300)\n")
    cancel = threading.Event()

    with pytest.raises(ToolCancelled):
        run(hang, on_text=lambda text: cancel.set(), cancel=cancel)


def test_escape_sequences_are_text_never_terminal_commands(tmp_path: Path) -> None:
    pieces = [
        "Plain \x1b",
        "[31mred\x1b[0m and ",
        "\x1b]52;c;cm0gLXJmIH4=",  # OSC 52: write the clipboard, split over writes
        "\x07 a \x1b]0;title\x1b\\",
        "window \x9b2J\x1b[?1049h end\x1b",
    ]
    noisy = script(
        tmp_path,
        "noisy",
        "import sys, time\n"
        f"for piece in {pieces!r}:\n"
        "    sys.stdout.write(piece); sys.stdout.flush(); time.sleep(0.03)\n",
    )
    shown: list[str] = []

    out = run(noisy, on_text=shown.append)

    assert out == "Plain red and  a window  end"
    assert not any(ch in "".join(shown) for ch in "\x1b\x07\x9b\x9c")


def test_a_program_that_never_reads_its_prompt_cannot_block(tmp_path: Path) -> None:
    quick = script(tmp_path, "quick", "print('done without reading')\n")
    assert run(quick, "x" * 5_000_000).strip() == "done without reading"


def test_a_flood_of_output_is_stopped(tmp_path: Path) -> None:
    flood = script(
        tmp_path, "flood", "import sys\nwhile True:\n    sys.stdout.write('y' * 65536)\n"
    )
    with pytest.raises(ToolError, match="wrote over 1,048,576 characters"):
        run(flood)


def test_a_missing_program_is_one_line() -> None:
    with pytest.raises(ToolError, match="no-such-summarizer was not found"):
        run(["no-such-summarizer", "-m", "x"])


def test_placeholders_are_filled_as_words_never_through_a_shell(tmp_path: Path) -> None:
    title = 'Attention; rm -rf ~ $(touch pwned) "{id}"'
    words = fill(["tool", "--id={id}", "{title}", "{other}"], {"id": "2401.1", "title": title})
    assert words == ["tool", "--id=2401.1", title, "{other}"]

    argv = script(tmp_path, "args", "import sys, json\nprint(json.dumps(sys.argv[1:]))\n")
    out = run(fill([*argv, "{title}"], {"title": title}))
    assert json.loads(out) == [title]  # one argument, exactly as written
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
    assert describe(["llm", "-m", "my model"]) == "llm -m 'my model'"
