"""Completion for a comma/space separated list of tags: the word being typed is completed."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.suggester import Suggester

_SEPARATORS = re.compile(r"[,\s]+")


def split_tags(text: str) -> list[str]:
    """The tags in text, split on commas and spaces, in order, each once."""
    return list(dict.fromkeys(part for part in _SEPARATORS.split(text) if part))


class TagSuggester(Suggester):
    """Suggests an existing tag for the last word; tags come most-used first, so win ties."""

    def __init__(self, tags: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = list(dict.fromkeys(tags))

    async def get_suggestion(self, value: str) -> str | None:
        word = _SEPARATORS.split(value)[-1]
        if not word:
            return None
        typed = set(split_tags(value[: len(value) - len(word)]))
        folded = word.casefold()
        for tag in self.tags:
            if tag not in typed and len(tag) > len(word) and tag.casefold().startswith(folded):
                return value + tag[len(word) :]
        return None
