"""arXiv API answers: an Atom feed of <entry> elements, parsed with defusedxml.

A DTD (and with it every entity bomb, external or parameter entity) is refused before any
entry is read. Entries are parsed one at a time and dropped once read, so memory stays
bounded; the file is capped at MAX_DOCUMENT_BYTES all the same, since a single huge text node
would still be held whole. An OpenSearch feed with no entries is simply empty.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from reader.core.ids import arxiv_id
from reader.core.importers.build import Draft, Item, finish
from reader.core.importers.errors import UnreadableFile
from reader.core.importers.limits import MAX_DOCUMENT_BYTES, too_big
from reader.core.model import Record, Rejection
from reader.core.text import clean_title

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ERROR_ID = "arxiv.org/api/errors"


def read(stream: BinaryIO, source: str) -> Iterator[Item]:
    number = 0
    started = False  # a record was yielded: from then on trouble is a rejection, not a refusal
    try:
        root: ElementTree.Element | None = None
        for event, element in iterparse(_Capped(stream, source), ("start", "end"), forbid_dtd=True):
            if root is None:
                root = element
                if element.tag != f"{ATOM}feed":
                    raise UnreadableFile(
                        source, f"is XML but its root is <{_local(element)}>, not an Atom <feed>"
                    )
            if event != "end" or element.tag != f"{ATOM}entry":
                continue
            number += 1
            items = _entry(element, source, number)
            _forget(root, element)
            started = started or any(isinstance(item, Record) for item in items)
            yield from items
    except DefusedXmlException as error:
        raise UnreadableFile(source, _refusal(error)) from None
    except ElementTree.ParseError as error:
        line, column = error.position
        reason = f"not well-formed XML at line {line}, column {column}: {_expat_reason(error)}"
        if not started:
            raise UnreadableFile(source, reason) from None
        yield Rejection(source, number + 1, f"{reason}; entries after it were not read")


def _forget(root: ElementTree.Element, entry: ElementTree.Element) -> None:
    """Drop an entry once read, so a long feed never sits in memory whole."""
    try:
        root.remove(entry)
    except ValueError:  # not a child of the feed itself (an odd feed): empty it instead
        entry.clear()


class _Capped:
    """A read-only stream that refuses to deliver more than MAX_DOCUMENT_BYTES."""

    def __init__(self, stream: BinaryIO, source: str) -> None:
        self.stream, self.source, self.total = stream, source, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if size >= 0 else MAX_DOCUMENT_BYTES + 1)
        self.total += len(data)
        if self.total > MAX_DOCUMENT_BYTES:
            raise UnreadableFile(self.source, too_big("XML"))
        return data


def _entry(entry: ElementTree.Element, source: str, number: int) -> list[Item]:
    entry_id = entry.findtext(f"{ATOM}id") or ""
    summary = entry.findtext(f"{ATOM}summary") or ""
    if _ERROR_ID in entry_id:
        message = clean_title(summary)[:300]
        return [Rejection(source, number, f"the arXiv API answered an error: {message}")]
    links: list[str] = []
    doi = (entry.findtext(f"{ARXIV}doi") or "").strip()
    if doi:
        links.append(f"https://doi.org/{doi}")
    known = arxiv_id(entry_id) is not None  # then the abs/pdf links are made from the id
    for link in entry.iterfind(f"{ATOM}link"):
        if (link.get("title") == "doi" and not doi) or (not known and link.get("title") != "doi"):
            links.append(link.get("href") or "")
    primary = entry.find(f"{ARXIV}primary_category")
    categories = [primary.get("term") or ""] if primary is not None else []
    categories += [node.get("term") or "" for node in entry.iterfind(f"{ATOM}category")]
    draft = Draft(
        title=entry.findtext(f"{ATOM}title") or "",
        abstract=summary,
        wrapped=True,
        authors=[node.findtext(f"{ATOM}name") or "" for node in entry.iterfind(f"{ATOM}author")],
        arxiv_id=entry_id,
        published=entry.findtext(f"{ATOM}published") or "",
        updated=entry.findtext(f"{ATOM}updated") or "",
        categories=categories,
        links=links,
        doi=doi or next((link for link in links if "doi.org/" in link), ""),
    )
    return finish(draft, source, number)


def _refusal(error: DefusedXmlException) -> str:
    what = type(error).__name__
    if what == "DTDForbidden":
        return (
            "refused: the XML declares a DTD (<!DOCTYPE ...>), which can hide entity bombs "
            "and external entities; arXiv feeds have none"
        )
    if what == "EntitiesForbidden":
        return "refused: the XML declares entities (a possible entity bomb)"
    if what == "ExternalReferenceForbidden":
        return "refused: the XML refers to an external entity"
    return f"refused: unsafe XML ({what})"


def _expat_reason(error: ElementTree.ParseError) -> str:
    return str(error).split(":")[0]


def _local(element: ElementTree.Element) -> str:
    return element.tag.rsplit("}", 1)[-1][:50]
