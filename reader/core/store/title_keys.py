"""A title's keys in the store: its normalized form, and its head and tail words (what a
one-typo variant of the title still shares with it on one side at least). An import makes
them once a record and both looks the record up and writes its row with them."""

from __future__ import annotations

from typing import NamedTuple

_BLOCK_WORDS = 3  # title_head/title_tail: the first/last words, to find near-duplicate titles


def title_blocks(norm_title: str) -> tuple[str, str]:
    """Head and tail words of a normalized title: two cheap keys that a one-typo variant of a
    title still shares with the original on at least one side."""
    words = norm_title.split()
    return " ".join(words[:_BLOCK_WORDS]), " ".join(words[-_BLOCK_WORDS:])


class TitleKeys(NamedTuple):
    """The papers table's norm_title, title_head and title_tail (COLUMNS), in that order."""

    norm: str
    head: str
    tail: str

    COLUMNS = ("norm_title", "title_head", "title_tail")

    @classmethod
    def of(cls, norm_title: str) -> TitleKeys:
        return cls(norm_title, *title_blocks(norm_title))
