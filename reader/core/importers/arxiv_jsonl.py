"""arXiv metadata snapshot: one JSON object a line, streamed so a multi-GB file never sits in
memory. A bad line is one rejection (file:line, reason); the rest is imported.

Row fields: id, title, abstract, authors ("A, B and C") or authors_parsed ([[last, first,
suffix], ...], preferred when present), categories ("cs.LG stat.ML"), update_date, versions
([{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}, ...]), doi.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from reader.core.importers.build import Draft, FieldError, Item, finish, type_name
from reader.core.importers.json_values import DECODER, json_error
from reader.core.importers.limits import over_long_reason
from reader.core.importers.lines import LineDecoder, iter_raw_lines
from reader.core.model import Rejection

_TEXT_FIELDS = ("id", "title", "abstract", "authors", "categories", "update_date", "doi")
_AUTHOR_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_AUTHOR_TOKENS = re.compile(r"[()]|\s*,\s*(?:and\s+)?|\s+and\s+")
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def read(stream: BinaryIO, source: str) -> Iterator[Item]:
    decoder = LineDecoder(source)
    decode = DECODER.decode
    for number, raw in iter_raw_lines(stream):
        if raw is None:
            yield Rejection(source, number, over_long_reason())
            continue
        if not raw.strip():
            continue
        line, warning = decoder.decode(raw, number)
        if warning:
            yield warning
        try:
            row = decode(line)
        except (ValueError, RecursionError) as error:
            yield Rejection(source, number, json_error(error))
            continue
        try:
            draft = row_draft(row)
        except FieldError as error:
            yield Rejection(source, number, str(error))
            continue
        yield from finish(draft, source, number)


def row_draft(row: object) -> Draft:
    if type(row) is not dict:
        raise FieldError(f"a line must hold a JSON object, not {type_name(row)}")
    get = row.get
    texts = {key: get(key) for key in _TEXT_FIELDS}
    for key, value in texts.items():  # checked inline: this runs for every row of a snapshot
        if type(value) is not str:
            if value is not None:
                raise FieldError(f"'{key}' must be a string, not {type_name(value)}")
            texts[key] = ""
    if not texts["id"]:
        raise FieldError("no 'id'")
    parsed = get("authors_parsed")
    doi = _DOI.search(texts["doi"]) if texts["doi"] else None
    return Draft(
        title=texts["title"],
        abstract=texts["abstract"],
        wrapped=True,
        authors=split_authors(texts["authors"]) if parsed is None else _parsed_authors(parsed),
        arxiv_id=texts["id"],
        published=_first_version_date(get("versions")),
        updated=texts["update_date"],
        categories=texts["categories"].split(),
        links=[f"https://doi.org/{doi.group(0)}"] if doi else [],
        doi=doi.group(0) if doi else "",
    )


def _parsed_authors(parsed: object) -> list[str]:
    """[[last, first, suffix], ...] -> ["first last suffix", ...]."""
    if type(parsed) is not list:
        raise FieldError(f"'authors_parsed' must be a list, not {type_name(parsed)}")
    names: list[str] = []
    try:
        for entry in parsed:
            if type(entry) is not list:
                raise TypeError
            name = " ".join(entry[1::-1])  # first last; join refuses anything but strings
            if entry[2:3] and entry[2]:
                name += " " + entry[2]  # a suffix (Jr., III)
            names.append(name)
    except TypeError:
        raise FieldError("each of 'authors_parsed' must be a list of strings") from None
    return names


def split_authors(text: str) -> list[str]:
    """'A, B and C' -> [A, B, C]; a comma inside parentheses (an affiliation) does not split."""
    if "(" not in text:
        return [name for name in _AUTHOR_SPLIT.split(text) if name.strip()]
    names: list[str] = []
    depth, start = 0, 0
    for match in _AUTHOR_TOKENS.finditer(text):
        token = match.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            names.append(text[start : match.start()])
            start = match.end()
    names.append(text[start:])
    return [name.strip() for name in names if name.strip()]


def _first_version_date(versions: object) -> str:
    """The 'created' date of v1 (else of the first version listed): when it was published."""
    if versions is None:
        return ""
    if type(versions) is not list:
        raise FieldError(f"'versions' must be a list, not {type_name(versions)}")
    first = ""
    try:
        for version in versions:
            created = version["created"]
            if type(created) is not str:
                raise TypeError
            if version.get("version") == "v1":
                return created
            first = first or created
    except (TypeError, KeyError, AttributeError):
        raise FieldError("each of 'versions' must be an object with a 'created' string") from None
    return first
