"""Papers out: BibTeX, Markdown, JSON and CSV, with the user's tags, notes and reading state."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.model import Paper

if TYPE_CHECKING:
    from reader.core.userdata import UserData

FORMATS = ("bibtex", "markdown", "json", "csv")


@dataclass(slots=True)
class Annotated:
    """A paper with what the user added to it."""

    paper: Paper
    tags: list[str]
    note: str
    bookmarked: bool
    read: bool

    @property
    def url(self) -> str:
        if self.paper.is_arxiv:
            return f"https://arxiv.org/abs/{self.paper.id}"
        return self.paper.links[0] if self.paper.links else ""

    def to_dict(self) -> dict[str, object]:
        return {
            **self.paper.to_dict(),
            "url": self.url,
            "tags": self.tags,
            "note": self.note,
            "bookmarked": self.bookmarked,
            "read": self.read,
        }


_BIB_SPECIAL = re.compile(r"([\\{}%&#_$^~])")
_BIB_REPLACE = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def bib_escape(text: str) -> str:
    return _BIB_SPECIAL.sub(lambda m: _BIB_REPLACE.get(m[1], "\\" + m[1]), " ".join(text.split()))


def bibtex_key(paper: Paper) -> str:
    """first author's surname + year + first title word: the usual Google Scholar-like key."""
    surname = paper.authors[0].split()[-1] if paper.authors else "anon"
    word = next((w for w in re.findall(r"[A-Za-z]+", paper.title) if len(w) > 3), "paper")
    year = paper.date[:4] if paper.date else ""
    return re.sub(r"[^a-z0-9]", "", f"{surname}{year}{word}".lower()) or "paper"


def to_bibtex(item: Annotated) -> str:
    paper = item.paper
    fields = [("title", "{" + bib_escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(bib_escape(a) for a in paper.authors)))
    if paper.date:
        fields.append(("year", paper.date[:4]))
    if paper.is_arxiv:
        fields += [("eprint", paper.id), ("archivePrefix", "arXiv")]
        if paper.categories:
            fields.append(("primaryClass", paper.categories[0]))
    if item.url:
        fields.append(("url", bib_escape(item.url)))
    if item.tags:
        fields.append(("keywords", bib_escape(", ".join(item.tags))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    kind = "article" if paper.is_arxiv else "misc"
    return f"@{kind}{{{bibtex_key(paper)},\n{body}\n}}\n"


def to_markdown(item: Annotated) -> str:
    paper = item.paper
    lines = [f"## {paper.title}", ""]
    meta = [", ".join(paper.authors), paper.date or paper.listed, item.url]
    lines.append(" · ".join(part for part in meta if part))
    if item.tags:
        lines.append("Tags: " + ", ".join(item.tags))
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
        return "\n".join(to_bibtex(i) for i in items)
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


def annotate(papers: Iterable[Paper], user: UserData) -> list[Annotated]:
    return [
        Annotated(
            paper=p,
            tags=user.tags(p.id),
            note=user.note(p.id),
            bookmarked=user.is_bookmarked(p.id),
            read=user.is_read(p.id),
        )
        for p in papers
    ]
