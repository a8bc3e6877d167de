"""One Zotero item, by Zotero's own field names, to a Draft: shared by the database reader
and the Better BibTeX JSON reader, which both hold items as Zotero does."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from reader.core.ids import arxiv_id
from reader.core.importers.build import Draft, Item, finish, iso_date, partial_date
from reader.core.importers.html_markdown import html_to_markdown
from reader.core.importers.own_fields import join_notes
from reader.core.model import Rejection

# Items that are no papers of their own: skipped without a word.
NOT_PAPERS = {"note", "attachment", "annotation"}
# The creator type that is an item's authors, by item type (Zotero's schema marks one
# "primary" per type; "author" for all but these). An item with none (an edited book) takes
# all its creators, as Zotero's citations do.
PRIMARY_CREATOR = {
    "artwork": "artist", "audioRecording": "performer", "bill": "sponsor",
    "computerProgram": "programmer", "film": "director", "hearing": "contributor",
    "interview": "interviewee", "map": "cartographer", "patent": "inventor",
    "podcast": "podcaster", "presentation": "presenter", "radioBroadcast": "creator",
    "tvBroadcast": "director", "videoRecording": "creator",
}  # fmt: skip
# Type-specific fields standing for the base field (Zotero's baseFieldMappings).
BASE_FIELDS = {
    "caseName": "title", "nameOfAct": "title", "subject": "title",
    "dateDecided": "date", "dateEnacted": "date", "issueDate": "date",
}  # fmt: skip
_JOURNAL_TYPES = ("journalArticle", "magazineArticle", "newspaperArticle")
_MULTIPART = re.compile(r"(\d{4})-(\d{2})-(\d{2}) ")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EXTRA_LINE = re.compile(r"^\s*([A-Za-z][\w .-]*?)\s*:\s*(.+?)\s*$", re.MULTILINE)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(\S+)", re.IGNORECASE)


@dataclass(slots=True)
class ZoteroItem:
    """An item as both sources give it: fields by Zotero's names, creators in order."""

    key: str  # the item key (or citation key): named in messages
    item_type: str
    fields: dict[str, str]
    creators: list[tuple[str, str]] = field(default_factory=list)  # (creator type, name)
    tags: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)  # "parent/child" paths
    notes: list[str] = field(default_factory=list)  # HTML
    files: list[str] = field(default_factory=list)  # file:// links


def item_items(item: ZoteroItem, source: str, line: int) -> list[Item]:
    """[Record, *warnings] for an item, or [Rejection] naming its key."""
    items = finish(item_draft(item), source, line)
    return [
        Rejection(entry.source, entry.line, f"item {item.key[:80]}: {entry.reason}")
        if isinstance(entry, Rejection)
        else entry
        for entry in items
    ]


def item_draft(item: ZoteroItem) -> Draft:
    fields = dict(item.fields)
    for specific, base in BASE_FIELDS.items():
        if specific in fields:
            fields.setdefault(base, fields[specific])
    extra = dict(
        (name.strip().lower(), value)
        for name, value in _EXTRA_LINE.findall(fields.get("extra", ""))
    )
    return Draft(
        title=fields.get("title", ""),
        abstract=fields.get("abstractNote", ""),
        authors=primary_names(item.creators, item.item_type),
        arxiv_id=arxiv_text(fields, extra),
        published=zotero_date(fields.get("date", "")),
        links=[fields["url"]] if fields.get("url") else [],
        doi=fields.get("DOI") or extra.get("doi", ""),
        journal=fields.get("publicationTitle", "") if item.item_type in _JOURNAL_TYPES else "",
        citekey=fields.get("citationKey") or extra.get("citation key", ""),
        tags=[*item.tags, *item.collections],
        note=join_notes(html_to_markdown(note) for note in item.notes),
        files=item.files,
        own=True,
    )


def primary_names(creators: Iterable[tuple[str, str]], item_type: str) -> list[str]:
    creators = list(creators)
    wanted = PRIMARY_CREATOR.get(item_type, "author")
    primary = [name for kind, name in creators if kind == wanted]
    return primary or [name for _, name in creators]


def creator_name(first: str, last: str, single_field: bool) -> str:
    """ "First Last", or the one name of an institution (Zotero's single-field mode)."""
    if single_field or not first:
        return last or first
    return f"{first} {last}" if last else first


def arxiv_text(fields: dict[str, str], extra: dict[str, str]) -> str:
    """The text holding the item's arXiv id: its archive ID ("arXiv:2103.00020"), an arxiv.org
    URL, an "arXiv:" line in Extra, an arXiv DOI, or an "arXiv:..." publication title."""
    candidates = [
        fields.get("archiveID", ""),
        fields.get("url", "") if "arxiv.org" in fields.get("url", "").lower() else "",
        extra.get("arxiv", ""),
        extra.get("arxiv id", ""),
    ]
    doi = _ARXIV_DOI.search(fields.get("DOI", ""))
    if doi:
        candidates.append(doi.group(1))
    for name in ("number", "publicationTitle", "journalAbbreviation", "archiveLocation"):
        value = fields.get(name, "")
        if "arxiv" in value.lower():
            candidates.append(value)
    return next((text for text in candidates if text and arxiv_id(text)), "")


def zotero_date(text: str) -> str:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) from Zotero's stored multipart date
    ("2020-03-00 March 2020"), or from a date as a person typed it ("March 2020", "2019")."""
    text = text.strip()
    multipart = _MULTIPART.match(text + " ")
    if multipart:
        year, month, day = multipart.groups()
        if year == "0000":
            return ""
        if month == "00":
            return year
        return f"{year}-{month}" if day == "00" else f"{year}-{month}-{day}"
    if not text or iso_date(text) or partial_date(text):
        return text
    year = _YEAR.search(text)
    if year is None:
        return text  # no date: the import warns that it is unreadable
    month = _MONTH.search(text)
    if month is None:
        return year.group(1)
    return f"{year.group(1)}-{_MONTHS.index(month.group(1).lower()) + 1:02d}"
