"""A Paper as a row of the papers table, and back: the columns, their order, the SQL that
writes a whole row, and the columns in which two papers' rows differ. Lists are JSON text; the
title's keys (norm_title, title_head, title_tail) are made by the Store, which knows how it
looks titles up."""

from __future__ import annotations

import json
from json.encoder import encode_basestring, encode_basestring_ascii

from reader.core.model import Paper

# What SELECT reads for a Paper, in paper_of's order.
COLUMNS = (
    "id, title, abstract, authors, published, updated, listed, categories, links, sources,"
    " upvotes, added_at, updated_at, doi, journal, citekey"
)
# A whole row: id, title, the three title keys, values(paper), then the change number
# (store/changes.py).
INSERT = (
    "INSERT INTO papers(id, title, norm_title, title_head, title_tail, abstract, authors,"
    " published, updated, listed, categories, links, sources, upvotes, added_at, updated_at,"
    " doi, journal, citekey, changed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
# The columns of values(paper), in its order.
VALUE_COLUMNS = (
    "abstract", "authors", "published", "updated", "listed", "categories", "links", "sources",
    "upvotes", "added_at", "updated_at", "doi", "journal", "citekey",
)  # fmt: skip


def changed_columns(old: Paper, new: Paper) -> dict[str, object]:
    """The columns whose values differ between the two papers' rows (the title's keys and the
    change number aside), with the new paper's values."""
    before = (old.id, old.title, *values(old))
    after = (new.id, new.title, *values(new))
    columns = ("id", "title", *VALUE_COLUMNS)
    return {c: v for c, was, v in zip(columns, before, after, strict=True) if was != v}


def values(paper: Paper) -> tuple[object, ...]:
    """The row's values after the id, the title and its keys."""
    return (
        paper.abstract,
        _json_list(paper.authors),
        paper.published,
        paper.updated,
        paper.listed,
        _json_list(paper.categories, ascii_only=True),
        _json_list(paper.links),
        _json_list(paper.sources),
        paper.upvotes,
        paper.added_at,
        paper.updated_at,
        paper.doi,
        paper.journal,
        paper.citekey,
    )


def _json_list(items: list[str], *, ascii_only: bool = False) -> str:
    """json.dumps(items, ensure_ascii=ascii_only), the same text, made from the escaped strings
    directly: json.dumps builds a list encoder afresh at each call, which cost several times
    the escaping itself, four times for every paper an import writes."""
    escape = encode_basestring_ascii if ascii_only else encode_basestring
    try:
        return "[" + ", ".join(map(escape, items)) + "]"
    except TypeError:  # an item that is not a string (a row edited by hand): json writes it
        return json.dumps(items, ensure_ascii=ascii_only)


def paper_of(row: tuple) -> Paper:
    """The Paper of a row read as COLUMNS."""
    loads = json.loads
    return Paper(
        id=row[0],
        title=row[1],
        abstract=row[2],
        authors=loads(row[3]),
        published=row[4],
        updated=row[5],
        listed=row[6],
        categories=loads(row[7]),
        links=loads(row[8]),
        sources=loads(row[9]),
        upvotes=row[10],
        added_at=row[11],
        updated_at=row[12],
        doi=row[13],
        journal=row[14],
        citekey=row[15],
    )
