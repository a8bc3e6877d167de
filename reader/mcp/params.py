"""The tools' argument types: each becomes a property of a tool's JSON schema, with the
description a model reads when it fills the argument in."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from reader.core.model import SORTS

PaperId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="A paper id as the tools return it: an arXiv id (2106.09685, a versioned "
        "2106.09685v2 or an old-style hep-th/9901001) or reader's own id for a paper without "
        "one (t:...).",
    ),
]
Limit = Annotated[int, Field(ge=1, le=100, description="The most papers to return.")]
WithAbstracts = Annotated[
    bool,
    Field(description="Also return each paper's whole abstract (long; leave off to skim)."),
]
Sort = Literal[SORTS]  # the CLI's --sort choices: one list for both
Query = Annotated[
    str,
    Field(
        max_length=2000,
        description='A search in reader\'s query language: plain words; "a phrase"; fields '
        "title:, author:, abstract:, category:cs.LG, tag:, note:, id:; dates date:2024, "
        "date:2024-03, date:>2023, date:[2024-01-01 to 2024-06-30]; AND, OR, NOT and "
        "parentheses; word* and word~ (fuzzy); filters is:bookmarked, is:read, is:unread, "
        "has:note, added:7d. Typos in plain words are forgiven; a query that does not parse "
        "is searched as plain words. An empty query lists every paper.",
    ),
]
Offset = Annotated[int, Field(ge=0, description="How many results to skip (for the next page).")]
SavedName = Annotated[
    str, Field(min_length=1, description="A saved search's name, as list_saved_searches gives it.")
]
Kind = Annotated[
    str,
    Field(
        description="Which list: bookmarked (the user's bookmarks), tag:NAME (the papers the "
        "user tagged NAME) or queue (the reading queue, in versions that have one).",
    ),
]
BibtexIds = Annotated[
    list[str],
    Field(min_length=1, max_length=200, description="Paper ids, as the other tools return them."),
]
Tags = Annotated[
    list[str],
    Field(
        min_length=1,
        max_length=20,
        description="Tags to add: no spaces or commas (use -); the paper keeps the tags it has.",
    ),
]
NoteText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20000,
        description="Markdown to add at the end of the note, after a blank line.",
    ),
]
