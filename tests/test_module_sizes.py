"""No module of reader is over 400 lines: past that, a module holds more than one job and
should be split where its jobs part (the guide's rule, held here so that it stays true)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "reader"
MOST_LINES = 400


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        str(path.relative_to(PACKAGE.parent)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert len(sizes) > 100  # the package was found
    assert {name: lines for name, lines in sizes.items() if lines > MOST_LINES} == {}
