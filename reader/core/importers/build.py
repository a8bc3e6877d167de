"""From the raw fields an importer read to a clean Record (or a Rejection), one rule for all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from reader.core.ids import arxiv_id as find_arxiv_id
from reader.core.importers.own_fields import (
    clean_citekey,
    clean_doi,
    clean_journal,
    clean_note,
    clean_tags,
)
from reader.core.model import Item, Record, Rejection, Warning_
from reader.core.text import (
    clean_title,
    extract_links,
    fold_paragraphs,
    fold_spaces,
    is_plain,
    strip_controls,
    unwrap_lines,
)

MAX_TITLE_CHARS = 2_000  # real titles stay under 400; more is a broken record, not a title
MAX_ABSTRACT_CHARS = 200_000
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_LONGEST_DATE = 64
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?")
# A file link as own_fields.file_link makes it: percent-encoded, so no spaces or controls.
_FILE_LINK = re.compile(r"file://[^\s<>\"\x00-\x1f\x7f-\x9f]+")
_LINK = re.compile(r"https?://[^\s<>\"'()\[\]{}\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")


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
    wrapped: bool = False  # the abstract is hard-wrapped (arXiv): single newlines are spaces
    # The user's own, from a reference manager (see own_fields.py):
    doi: str = ""  # any text holding the DOI
    journal: str = ""  # the journal's name (a "journal" naming arXiv is left out)
    citekey: str = ""  # the key the user's library cites it by
    tags: list[str] = field(default_factory=list)
    note: str = ""  # Markdown
    files: list[str] = field(default_factory=list)  # file:// links (own_fields.file_link)
    own: bool = False


def finish(draft: Draft, source: str, line: int) -> list[Item]:
    """[Record, *warnings] for a usable draft, [Rejection] otherwise."""
    texts = [draft.title, draft.abstract, draft.listed, *draft.authors, *draft.categories]
    # Nearly always nothing needs stripping. The check is made per group, not per field (fewer
    # calls) nor over all at once (an accented author name would slow the abstract's check).
    names = " ".join(texts[3:])
    if not (is_plain(draft.abstract) and is_plain(draft.title + draft.listed + names)):
        texts = [strip_controls(text) for text in texts]
        names = " ".join(texts[3:])
    title = fold_spaces(texts[0])
    if not title:
        return [Rejection(source, line, "no title")]
    if len(title) > MAX_TITLE_CHARS:
        return [Rejection(source, line, f"title is {len(title)} characters; too long to be one")]
    abstract = unwrap_lines(texts[1]) if draft.wrapped else fold_paragraphs(texts[1])
    if len(abstract) > MAX_ABSTRACT_CHARS:
        return [Rejection(source, line, f"abstract is {len(abstract)} characters; too long")]
    warnings: list[Item] = []
    if not abstract and not draft.own:  # a library's entry without one is nothing odd
        warnings.append(Warning_(source, line, f"no abstract for {_short(title)}; kept without"))
    paper_id = find_arxiv_id(draft.arxiv_id) if draft.arxiv_id else None
    if draft.arxiv_id and paper_id is None:
        warnings.append(Warning_(source, line, f"{_short(draft.arxiv_id)} is not an arXiv id"))
    published = _date(draft.published, "published", source, line, warnings)
    updated = _date(draft.updated, "updated", source, line, warnings)
    split = 3 + len(draft.authors)
    doi = clean_doi(draft.doi) if draft.doi else ""
    given = draft.links  # a doi.org link is added unless the source gave one already
    if doi and not any("doi.org/" in link and clean_doi(link) == doi for link in given):
        given = [f"https://doi.org/{doi}", *given]
    links = _links(paper_id, abstract, given)
    if draft.files:
        files = [link for link in draft.files if _FILE_LINK.fullmatch(link)]
        links = list(dict.fromkeys(links + files))
    tags: list[str] = []
    if draft.tags:
        tags, tag_warnings = clean_tags(draft.tags, source, line)
        warnings += tag_warnings
    record = Record(
        title=title,
        abstract=abstract,
        authors=_folded(texts[3:split], names),
        arxiv_id=paper_id,
        published=published,
        updated=updated,
        listed=fold_spaces(texts[2]),
        categories=_folded(texts[split:], names),
        links=links,
        upvotes=draft.upvotes,
        source=f"{source}:{line}",
        doi=doi,
        journal=clean_journal(draft.journal) if draft.journal else "",
        citekey=clean_citekey(draft.citekey) if draft.citekey else "",
        tags=tags,
        note=clean_note(draft.note) if draft.note else "",
        own=draft.own,
    )
    return [record, *warnings]


def _folded(names: list[str], joined: str) -> list[str]:
    """Names with spaces folded, empty ones dropped, each once; joined is all of them, checked
    once for odd spacing (tidy names, the usual, only need their ends trimmed)."""
    odd = "  " in joined or "\t" in joined or "\n" in joined or not joined.isascii()
    tidy = [" ".join(name.split()) for name in names] if odd else [n.strip() for n in names]
    return list(dict.fromkeys(filter(None, tidy)))


def _date(text: str, name: str, source: str, line: int, warnings: list[Item]) -> str:
    if not text:
        return ""
    value = iso_date(text) or partial_date(text)
    if value is None:
        warnings.append(Warning_(source, line, f"{name} date {_short(text)} is unreadable"))
    return value or ""


def iso_date(text: str) -> str | None:
    """YYYY-MM-DD from an ISO date or timestamp or an RFC 2822 date; None if it is not one."""
    text = text.strip()
    if len(text) > _LONGEST_DATE:  # no date; and the caches below must hold only short keys
        return None
    if text[4:5] == "-" and text[7:8] == "-":
        return _iso_day(text[:10])
    # "Mon, 2 Apr 2007 19:18:42 GMT": the day is what stands between the comma and the time.
    colon = text.find(":")
    return _rfc_day(text[text.find(",") + 1 : colon - 2 if colon > 2 else len(text)])


def partial_date(text: str) -> str | None:
    """A reduced-precision ISO date, YYYY or YYYY-MM, as reference managers often hold
    (a year alone is what most BibTeX entries give); None if text is not one."""
    match = _PARTIAL_DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, month = match.groups()
    if month and not 1 <= int(month) <= 12:
        return None
    return f"{year}-{month}" if month else year


# A million-row import meets the same few thousand days again and again: parse each once.
@lru_cache(maxsize=32768)
def _iso_day(text: str) -> str | None:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=32768)
def _rfc_day(text: str) -> str | None:
    """A day written "2 Apr 2007", as in arXiv's version dates."""
    parts = text.split()
    if len(parts) != 3:
        return None
    day, month, year = parts
    number = _MONTHS.get(month[:3].lower())
    if number is None or not (day.isdigit() and year.isdigit() and len(year) == 4):
        return None
    try:
        return date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


def arxiv_links(paper_id: str) -> list[str]:
    return [f"https://arxiv.org/abs/{paper_id}", f"https://arxiv.org/pdf/{paper_id}"]


def _links(paper_id: str | None, abstract: str, extra: list[str]) -> list[str]:
    links = arxiv_links(paper_id) if paper_id else []
    links += extract_links(abstract)
    links += [link for link in map(str.strip, extra) if _LINK.fullmatch(link)]
    return list(dict.fromkeys(links))


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


def text_of(data: dict, key: str) -> str:
    """A field that should hold text: "" when absent or null, a number as written (a
    reference manager's JSON or YAML may write a year or a volume so), else FieldError."""
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise FieldError(f"'{key}' must be text, not {type_name(value)}")
