""" "Did you mean": the whole query again, each word the index does not know replaced by the
closest word it does know (rapidfuzz over the index's unstemmed title and abstract words).

Field names, operators and the values of fields that are not free text (ids, dates, tags)
are left alone; the caller checks the corrected query finds something before offering it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from reader.core.analysis import term_of
from reader.core.typo import Vocabulary

TEXT_FIELDS = {"title", "abstract", "abs", "note"}
_OPERATORS = {"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"}
_PIECE = re.compile(
    r'(?P<field>\w+):(?P<value>"[^"]*"|\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|\S*)|(?P<word>\w+)'
)
_CANDIDATES = 25


def suggest_text(
    text: str, words: Vocabulary | Iterable[str], doc_frequency: Callable[[str], int]
) -> str | None:
    """`text` with unknown words corrected, or None if no word needs (or has) a correction.

    `words` is the index's vocabulary of unstemmed words; `doc_frequency(term)` tells how many
    papers have an analysed term in their title or abstract.
    """
    if not isinstance(words, Vocabulary):
        words = Vocabulary(words)
    out: list[str] = []
    last = 0
    changed = False
    for start, end, word in _words(text):
        better = _correct(word, words, doc_frequency)
        if better is not None:
            out += [text[last:start], _like(word, better)]
            last = end
            changed = True
    if not changed:
        return None
    out.append(text[last:])
    return "".join(out)


def _words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of the free-text words of a query."""
    for match in _PIECE.finditer(text):
        if match.group("field") is not None:
            if match.group("field") in TEXT_FIELDS:
                offset = match.start("value")
                for inner in re.finditer(r"\w+", match.group("value")):
                    yield offset + inner.start(), offset + inner.end(), inner.group(0)
            continue
        word = match.group("word")
        if word not in _OPERATORS and word.isalpha() and len(word) >= 3:
            yield match.start(), match.end(), word


def _correct(word: str, words: Vocabulary, doc_frequency: Callable[[str], int]) -> str | None:
    term = term_of(word)
    if term is None or doc_frequency(term) > 0:
        return None
    from rapidfuzz import process  # loaded by the first unknown word, not at start
    from rapidfuzz.distance import Levenshtein

    low = word.lower()
    limit = 1 if len(low) <= 4 else 2
    # Only words of a length within `limit` can be within `limit` edits; the closest first,
    # alphabetically among equals (the same in every process).
    near: list[tuple[int, str]] = []
    for size in range(len(low) - limit, len(low) + limit + 1):
        near += [
            (int(distance), candidate)
            for candidate, distance, _ in process.extract(
                low, words.of_length(size), scorer=Levenshtein.distance, score_cutoff=limit,
                limit=None,
            )
        ]  # fmt: skip
    best: tuple[int, int, str] | None = None
    for distance, candidate in sorted(near)[:_CANDIDATES]:
        candidate_term = term_of(candidate)
        frequency = doc_frequency(candidate_term) if candidate_term else 0
        if frequency and (best is None or (distance, -frequency) < best[:2]):
            best = (distance, -frequency, candidate)
    return best[2] if best else None


def _like(original: str, word: str) -> str:
    """`word` in the letter case of `original` (lower, Title or UPPER)."""
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
