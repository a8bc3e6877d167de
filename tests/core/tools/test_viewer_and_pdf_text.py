"""Opening a PDF in the configured viewer (real fake viewers), and reading a PDF's text."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from reader.core.tools import ToolError, open_file, pdf_text, pdf_text_tool
from reader.core.tools.pdf_text import MAX_CHARS

sys.path.insert(0, str(Path(__file__).parents[2] / "fixtures" / "fetch"))

from tiny_pdf import tiny_pdf


def viewer(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "viewer.py"
    path.write_text(body, encoding="utf-8")
    return [sys.executable, str(path)]


def wait_for(path: Path) -> str:
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return path.read_text(encoding="utf-8")


def test_the_viewer_gets_the_path_where_it_asks_for_it(tmp_path: Path) -> None:
    seen = tmp_path / "seen.json"
    command = viewer(
        tmp_path, f"import json, sys\nopen({str(seen)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    pdf = tmp_path / "a paper; rm -rf ~.pdf"

    used = open_file(pdf, [*command, "--page", "1", "{path}"])

    assert json.loads(wait_for(seen)) == ["--page", "1", str(pdf)]
    assert "viewer.py --page 1 " in used  # the command as it ran, for messages


def test_without_a_placeholder_the_path_goes_last(tmp_path: Path) -> None:
    seen = tmp_path / "seen.json"
    command = viewer(
        tmp_path, f"import json, sys\nopen({str(seen)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    open_file(tmp_path / "x.pdf", command)
    assert json.loads(wait_for(seen)) == [str(tmp_path / "x.pdf")]


def test_a_viewer_that_stays_open_does_not_hold_the_command(tmp_path: Path) -> None:
    command = viewer(tmp_path, "import time\ntime.sleep(30)\n")
    started = time.monotonic()
    open_file(tmp_path / "x.pdf", command)
    assert time.monotonic() - started < 10  # a moment's look, then the window is its own


def test_a_viewer_that_fails_at_once_is_one_line(tmp_path: Path) -> None:
    command = viewer(
        tmp_path, "import sys\nsys.stderr.write('cannot open display\\n')\nsys.exit(4)\n"
    )
    with pytest.raises(ToolError, match=r"failed \(exit status 4\): cannot open display"):
        open_file(tmp_path / "x.pdf", command)


def test_a_missing_viewer_says_how_to_set_one(tmp_path: Path) -> None:
    with pytest.raises(ToolError, match="pdf_viewer"):
        open_file(tmp_path / "x.pdf", ["no-such-viewer-here", "{path}"])


@pytest.mark.skipif(pdf_text_tool() is None, reason="needs pdftotext or pypdf (the test extra)")
def test_a_pdfs_text_is_read_for_the_prompt(tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    path.write_bytes(tiny_pdf("Selective state spaces", "Results on language"))

    found = pdf_text(path)

    assert found is not None and found.tool in ("pdftotext", "pypdf")
    assert "Selective state spaces" in found.text and "Results on language" in found.text


def test_a_file_that_is_no_pdf_gives_no_text(tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage")
    assert pdf_text(path) is None
    assert MAX_CHARS > 10_000
