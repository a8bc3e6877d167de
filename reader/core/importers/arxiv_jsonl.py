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

from reader.core.importers.build import Draft, FieldError, Item, finish, text_field, type_name
from reader.core.importers.json_values import DECODER, json_error
from reader.core.importers.limits import over_long_reason
from reader.core.importers.lines import LineDecoder, iter_raw_lines
from reader.core.model import Rejection

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
    if not isinstance(row, dict):
        raise FieldError(f"a line must hold a JSON object, not {type_name(row)}")
    paper_id = text_field(row, "id")
    if not paper_id:
        raise FieldError("no 'id'")
    categories = text_field(row, "categories")
    doi = _DOI.search(text_field(row, "doi"))
    return Draft(
        title=text_field(row, "title"),
        abstract=text_field(row, "abstract"),
        wrapped=True,
        authors=_authors(row),
        arxiv_id=paper_id,
        published=_first_version_date(row.get("versions")),
        updated=text_field(row, "update_date"),
        categories=categories.split(),
        links=[f"https://doi.org/{doi.group(0)}"] if doi else [],
    )


def _authors(row: dict[str, object]) -> list[str]:
    parsed = row.get("authors_parsed")
    if parsed is not None:
        return _parsed_authors(parsed)
    return split_authors(text_field(row, "authors"))


def _parsed_authors(parsed: object) -> list[str]:
    """[[last, first, suffix], ...] -> ["first last suffix", ...]."""
    if not isinstance(parsed, list):
        raise FieldError(f"'authors_parsed' must be a list, not {type_name(parsed)}")
    names: list[str] = []
    for entry in parsed:
        if not isinstance(entry, list) or not entry:
            raise FieldError("each of 'authors_parsed' must be a list of strings")
        parts = entry[:3]
        for part in parts:
            if not isinstance(part, str):
                raise FieldError("each of 'authors_parsed' must be a list of strings")
        parts += ["", ""]
        names.append(f"{parts[1]} {parts[0]} {parts[2]}")  # spaces are folded later
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
    if not isinstance(versions, list):
        raise FieldError(f"'versions' must be a list, not {type_name(versions)}")
    dated = [v for v in versions if isinstance(v, dict) and isinstance(v.get("created"), str)]
    if len(dated) != len(versions):
        raise FieldError("each of 'versions' must be an object with a 'created' string")
    for version in dated:
        if version.get("version") == "v1":
            return str(version["created"])
    return str(dated[0]["created"]) if dated else ""
