"""A downloaded PDF's text, for a summary's prompt: pdftotext if installed, else pypdf.

Both are optional. pdftotext (poppler-utils) is fast and runs as a bounded child process;
pypdf (`pip install 'reader[pdf]'`) is pure Python and runs in this process, so it reads at
most MAX_PAGES pages. Without either, a prompt has the title, authors and abstract only.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from reader.core.text import strip_controls

MAX_PAGES = 40
MAX_CHARS = 60_000  # about 15k tokens: enough for the paper's body, not its appendices
TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class PdfText:
    text: str
    tool: str  # "pdftotext" or "pypdf"


def pdf_text_tool() -> str | None:
    """Which tool would read a PDF's text here (None: neither is installed)."""
    if shutil.which("pdftotext"):
        return "pdftotext"
    if importlib.util.find_spec("pypdf") is not None:
        return "pypdf"
    return None


def pdf_text(path: Path, max_chars: int = MAX_CHARS) -> PdfText | None:
    """The text of the PDF at path, cut at max_chars; None when no tool can read it."""
    tool = pdf_text_tool()
    if tool == "pdftotext":
        text = _pdftotext(path)
    elif tool == "pypdf":
        text = _pypdf(path, max_chars)
    else:
        return None
    if text is None or not text.strip():
        return None
    return PdfText(_tidy(text)[:max_chars], tool)


def _pdftotext(path: Path) -> str | None:
    command = ["pdftotext", "-q", "-enc", "UTF-8", "-l", str(MAX_PAGES), str(path), "-"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _pypdf(path: Path, max_chars: int) -> str | None:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged PDF is not our news
    parts: list[str] = []
    size = 0
    try:
        reader = PdfReader(path)
        for page in reader.pages[:MAX_PAGES]:
            part = page.extract_text() or ""
            parts.append(part)
            size += len(part)
            if size >= max_chars:
                break
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError):
        return None if not parts else "\n".join(parts)
    return "\n".join(parts)


def _tidy(text: str) -> str:
    """Clean text with runs of blank lines folded: page breaks are not content."""
    lines = [" ".join(line.split()) for line in strip_controls(text).splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
