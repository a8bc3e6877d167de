"""From the raw fields an importer read to a clean Record (or a Rejection), one rule for all."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from reader.core.ids import arxiv_id as find_arxiv_id
from reader.core.model import Record, Rejection, Warning_
from reader.core.text import clean_abstract, clean_author, clean_title, extract_links

Item = Record | Rejection | Warning_

MAX_TITLE_CHARS = 2_000  # real titles stay under 400; more is a broken record, not a title
MAX_ABSTRACT_CHARS = 200_000
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# RFC 2822 as arXiv writes it: "Mon, 2 Apr 2007 19:18:42 GMT" (the weekday is optional).
_RFC2822 = re.compile(r"(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\b")


class FieldError(ValueError):
    """A record whose fields are unusable (a wrong JSON type, no title, ...): one-line reason."""


@dataclass(slots=True)
class Draft:
    """What an importer read for one paper, before cleaning."""

    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    arxiv_id: str = ""  # any text holding the id (a bare id, an abs URL, ...)
    published: str = ""  # any date text iso_date() reads
    updated: str = ""
    listed: str = ""  # kept as the source writes it
    categories: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # links the source gives besides the abstract
    upvotes: int | None = None


def finish(draft: Draft, source: str, line: int) -> list[Item]:
    """[Record, *warnings] for a usable draft, [Rejection] otherwise."""
    title = clean_title(draft.title)
    if not title:
        return [Rejection(source, line, "no title")]
    if len(title) > MAX_TITLE_CHARS:
        return [Rejection(source, line, f"title is {len(title)} characters; too long to be one")]
    abstract = clean_abstract(draft.abstract)
    if len(abstract) > MAX_ABSTRACT_CHARS:
        return [Rejection(source, line, f"abstract is {len(abstract)} characters; too long")]
    warnings: list[Item] = []
    if not abstract:
        warnings.append(Warning_(source, line, f"no abstract for {_short(title)}; kept without"))
    paper_id = find_arxiv_id(draft.arxiv_id) if draft.arxiv_id else None
    if draft.arxiv_id and paper_id is None:
        warnings.append(Warning_(source, line, f"{_short(draft.arxiv_id)} is not an arXiv id"))
    dates: list[str] = []
    for name, text in (("published", draft.published), ("updated", draft.updated)):
        value = iso_date(text) if text else ""
        if value is None:
            warnings.append(Warning_(source, line, f"{name} date {_short(text)} is unreadable"))
        dates.append(value or "")
    record = Record(
        title=title,
        abstract=abstract,
        authors=_unique(clean_author(name) for name in draft.authors),
        arxiv_id=paper_id,
        published=dates[0],
        updated=dates[1],
        listed=clean_title(draft.listed),
        categories=_unique(clean_title(name) for name in draft.categories),
        links=_links(paper_id, abstract, draft.links),
        upvotes=draft.upvotes,
        source=f"{source}:{line}",
    )
    return [record, *warnings]


def iso_date(text: str) -> str | None:
    """YYYY-MM-DD from an ISO date or timestamp or an RFC 2822 date; None if it is not one."""
    text = text.strip()
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":  # the common case, fast
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None
    match = _ISO.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _RFC2822.match(text)
        if not match or match.group(2).lower() not in _MONTHS:
            return None
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match[3])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def arxiv_links(paper_id: str) -> list[str]:
    return [f"https://arxiv.org/abs/{paper_id}", f"https://arxiv.org/pdf/{paper_id}"]


def _links(paper_id: str | None, abstract: str, extra: list[str]) -> list[str]:
    links = arxiv_links(paper_id) if paper_id else []
    links += extract_links(abstract)
    for link in extra:
        links += extract_links(clean_title(link))  # only well-formed http(s) links get in
    return _unique(links)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _short(text: str, limit: int = 60) -> str:
    """A quoted, one-line, bounded excerpt for a message."""
    text = clean_title(text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# -- field checks shared by the JSON readers -----------------------------------------------


def text_field(data: dict[str, object], key: str, *, where: str = "") -> str:
    """The string at key ("" if absent or null); FieldError for any other type."""
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise FieldError(f"'{where}{key}' must be a string, not {type_name(value)}")


def type_name(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, bool):
        return names[bool]
    if isinstance(value, int | float):
        return "a number"
    return names.get(type(value), type(value).__name__)
