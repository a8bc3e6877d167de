"""Papers out: BibTeX, CSL-JSON, Markdown, JSON and CSV, with the user's tags, notes and reading
state. BibTeX and CSL-JSON have modules of their own (bibtex.py, csl_json.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from reader.core.exporters.annotated import Annotated
from reader.core.exporters.bibtex import render_bibtex
from reader.core.exporters.csl_json import render_csl_json

FORMATS = ("bibtex", "csl-json", "markdown", "json", "csv")


def to_markdown(item: Annotated) -> str:
    paper = item.paper
    lines = [f"## {paper.title}", ""]
    meta = [", ".join(paper.authors), paper.date or paper.listed, item.url]
    lines.append(" · ".join(part for part in meta if part))
    if item.tags:
        lines.append("Tags: " + ", ".join(item.tags))
    if paper.files:
        lines.append("Files: " + ", ".join(paper.files))
    lines += ["", paper.abstract]
    if item.note:
        lines += ["", "### Note", "", item.note]
    return "\n".join(lines).rstrip() + "\n"


_CSV_COLUMNS = ("id", "title", "authors", "date", "url", "tags", "bookmarked", "read", "note")
# What a spreadsheet reads as the start of a formula (OWASP, CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: object) -> object:
    """A cell a spreadsheet shows as text, never runs: a title such as
    `=HYPERLINK("http://...")` gets a leading apostrophe, as OWASP advises for CSV files."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def render(items: Iterable[Annotated], fmt: str) -> str:
    items = list(items)
    if fmt == "bibtex":
        return render_bibtex(items)
    if fmt == "csl-json":
        return render_csl_json(items)
    if fmt == "markdown":
        return "\n".join(to_markdown(i) for i in items)
    if fmt == "json":
        return json.dumps([i.to_dict() for i in items], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)  # lines end in CRLF (RFC 4180): a lone CR in a cell is quoted
        writer.writerow(_CSV_COLUMNS)
        for i in items:
            p = i.paper
            row = [
                p.id,
                p.title,
                "; ".join(p.authors),
                p.date,
                i.url,
                "; ".join(i.tags),
                i.bookmarked,
                i.read,
                i.note,
            ]
            writer.writerow([spreadsheet_safe(cell) for cell in row])
        return out.getvalue()
    raise ValueError(f"unknown export format: {fmt}")
