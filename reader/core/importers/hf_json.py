"""Hugging Face daily_papers API JSON: a list of {"paper": {...}, "title", "publishedAt", ...}.

Also read: a bare paper object, or a list of them (what /api/papers/<id> answers). Unknown
keys are ignored. A record is numbered by its place in the list (API answers come on one
line, so line numbers would not tell records apart).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from reader.core.importers.build import (
    Draft,
    FieldError,
    Item,
    finish,
    iso_date,
    text_field,
    type_name,
)
from reader.core.importers.errors import UnreadableFile
from reader.core.importers.json_values import DECODER, iter_list, json_error
from reader.core.importers.limits import MAX_DOCUMENT_BYTES, too_big
from reader.core.importers.lines import decode_legacy
from reader.core.model import Rejection, Warning_

MAX_UPVOTES = 2**31 - 1


def read(stream: BinaryIO, source: str) -> Iterator[Item]:
    text, warning = load_text(stream, source, "JSON")
    if warning:
        yield warning
    start = len(text) - len(text.lstrip(" \t\r\n"))
    if text.startswith("{", start):
        yield from _single_object(text, source)
        return
    if not text.startswith("[", start):
        raise UnreadableFile(source, "is not a JSON list of papers")
    for element in iter_list(text, start):
        if element.error:
            yield Rejection(source, element.number, element.error)
        else:
            yield from _element(element.value, source, element.number)


def load_text(stream: BinaryIO, source: str, kind: str) -> tuple[str, Warning_ | None]:
    """The whole document as text, refused past MAX_DOCUMENT_BYTES so memory stays bounded."""
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UnreadableFile(source, too_big(kind))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        note = "not valid UTF-8; decoded as Windows-1252 (Latin-1), check accented letters"
        return decode_legacy(data), Warning_(source, line, note)


def _single_object(text: str, source: str) -> Iterator[Item]:
    try:
        value = DECODER.decode(text)
    except (ValueError, RecursionError) as error:
        raise UnreadableFile(source, json_error(error)) from None
    if isinstance(value, dict) and "error" in value and "title" not in value:
        raise UnreadableFile(source, f"is an API error answer: {str(value['error'])[:200]!r}")
    yield from _element(value, source, 1)


def _element(value: object, source: str, number: int) -> list[Item]:
    try:
        draft = paper_draft(value)
    except FieldError as error:
        return [Rejection(source, number, str(error))]
    return finish(draft, source, number)


def paper_draft(value: object) -> Draft:
    """The fields of one list element: a {"paper": {...}} wrapper or a bare paper object."""
    if not isinstance(value, dict):
        raise FieldError(f"a paper must be a JSON object, not {type_name(value)}")
    paper = value.get("paper", value)
    if not isinstance(paper, dict):
        raise FieldError(f"'paper' must be an object, not {type_name(paper)}")
    where = "paper." if paper is not value else ""
    title = text_field(paper, "title", where=where) or text_field(value, "title")
    abstract = text_field(paper, "summary", where=where) or text_field(value, "summary")
    listed = text_field(value, "publishedAt") if paper is not value else ""
    links = [text_field(paper, key, where=where) for key in ("githubRepo", "projectPage")]
    return Draft(
        title=title,
        abstract=abstract,
        wrapped=True,
        authors=_authors(paper.get("authors"), where),
        arxiv_id=text_field(paper, "id", where=where),
        published=text_field(paper, "publishedAt", where=where),
        listed=(iso_date(listed) or "") if listed else "",
        links=links,
        upvotes=_upvotes(paper.get("upvotes"), where),
    )


def _authors(value: object, where: str) -> list[str]:
    """[{"name": "..."}, ...], as the API gives them; plain strings are accepted too."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError(f"'{where}authors' must be a list, not {type_name(value)}")
    names: list[str] = []
    for author in value:
        if isinstance(author, str):
            names.append(author)
        elif isinstance(author, dict):
            names.append(text_field(author, "name", where=f"{where}authors[]."))
        else:
            raise FieldError(f"each of '{where}authors' must be an object with a name")
    return names


def _upvotes(value: object, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"'{where}upvotes' must be a whole number, not {type_name(value)}")
    if not 0 <= value <= MAX_UPVOTES:
        raise FieldError(f"'{where}upvotes' is out of range ({str(value)[:20]})")
    return value
