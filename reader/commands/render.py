"""Human output for the CLI: tables that fit the terminal, and a progress bar on stderr."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Sequence

from reader.core.library import strip_controls


def safe(text: object) -> str:
    """Paper text is data: no escape sequence reaches the terminal, one line per cell."""
    return " ".join(strip_controls(str(text)).split())


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], flex: int = -1) -> str:
    """Aligned columns; the `flex` column is cut to make the table fit the terminal width."""
    cells = [[safe(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    width = shutil.get_terminal_size((120, 24)).columns
    flex = flex % len(headers)
    spare = width - (sum(widths) + 2 * (len(widths) - 1))
    if spare < 0:
        widths[flex] = max(10, widths[flex] + spare)

    def fit(text: str, w: int) -> str:
        return text if len(text) <= w else text[: max(w - 1, 0)] + "…"

    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(fit(c, w).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    return "\n".join(lines)


class ProgressBar:
    """Drawn on stderr only when it is a terminal and the job has run for over a second."""

    def __init__(self, label: str, delay: float = 1.0) -> None:
        self.label = label
        self.started = time.monotonic()
        self.delay = delay
        self.enabled = sys.stderr.isatty()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < self.delay:
            return
        rate = done / max(time.monotonic() - self.started, 1e-6)
        if total:
            filled = int(30 * done / total)
            bar = "█" * filled + "░" * (30 - filled)
            text = f"\r{self.label} {bar} {done:,}/{total:,} ({rate:,.0f}/s)"
        else:
            text = f"\r{self.label} {done:,} ({rate:,.0f}/s)"
        sys.stderr.write(text)
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def json_parent() -> argparse.ArgumentParser:
    """The `--json` flag every data-printing command shares (argparse parent parser)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="print one JSON document")
    return parent
