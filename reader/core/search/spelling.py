"""Typo tolerance without syntax: misspelled query words become nearby words of the index.

People search by what they remember ("lotery ticket prunning"). A query word no paper has is
most likely a typo, so it is searched as the closest words the index does have, weighted below
an exact match so that a correctly spelled paper still ranks first. Words the index knows are
left alone: a rare real word is never "corrected" into a common one.

Distances are taken between words as written, not between stems: the stemmer cuts a misspelled
word differently ("exploeation" -> "exploeat", but "exploration" -> "explor"), so the stems of a
typo and of its word can be three edits apart when the words are one. The vocabulary is the
index's unstemmed title and abstract words; a candidate is then searched as its stem. The
distance is optimal string alignment (Levenshtein plus adjacent swaps, so "hte" is one typo from
"the"), measured by rapidfuzz only for the few words whose letters allow it
(search.words_by_length).

"Did you mean" (suggest_text) uses the same vocabulary: the whole query again, each word the
index does not know replaced by the closest word it does know. Field names, operators and the
values of fields that are not free text (ids, dates, tags) are left alone; the caller checks
the corrected query finds something before offering it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from reader.core.index import term_of
from reader.core.search.words_by_length import WordsByLength

# Relative to 1.0 for the word as typed, by edit distance; 0 is the word found as a part of a
# dotted token ("nlpedia" in "pretrain.nlpedia.ai", which the index holds as one word).
FUZZY_WEIGHT = {0: 0.8, 1: 0.6, 2: 0.35}
# Enough that a common near word ("their", "there", "they") cannot crowd out the one meant
# ("theory" for "thery"); rarer candidates weigh more in the ranking anyway (idf).
MAX_ALTERNATIVES = 6

Analyze = Callable[[str], str | None]  # a word -> its index term, None for a stop word
Frequency = Callable[[str], int]  # an index term -> how many papers hold it


def max_distance(word: str) -> int:
    """Typos tolerated in a word: none in short words (too many neighbours), more in long ones."""
    size = len(word)
    if size <= 3 or not word.isalpha():
        return 0
    return 1 if size <= 5 else 2


@dataclass(frozen=True, slots=True)
class Alternative:
    word: str  # as written in the papers
    term: str  # what the index holds for it
    distance: int
    frequency: int  # papers holding the term

    @property
    def weight(self) -> float:
        return FUZZY_WEIGHT.get(self.distance, 0.0)


@dataclass(frozen=True, slots=True)
class Rewrite:
    """One query word and what to search for instead; no alternatives when it needs none."""

    word: str  # as typed
    term: str  # as the index's analyzer makes it (stemmed)
    known: bool
    alternatives: tuple[Alternative, ...] = ()

    @property
    def searched(self) -> list[tuple[str, float]]:
        """(term, weight) pairs to look for: the word itself, or its alternatives."""
        if self.known or not self.alternatives:
            return [(self.term, 1.0)] if self.known else []
        return [(alt.term, alt.weight) for alt in self.alternatives]

    @property
    def corrected(self) -> str:
        """The term most likely meant: the closest, then the most common, alternative."""
        return self.alternatives[0].term if self.alternatives else self.term


class Vocabulary:
    """Words of the index as written (lowercase), bucketed by length for fuzzy lookups.

    How many papers hold a term is asked (`frequency`) only for the few candidates of a
    lookup, never for the whole vocabulary; it is passed per lookup, so a vocabulary can be
    kept while the searcher that counts changes.
    """

    def __init__(self, words: Iterable[str] | WordsByLength) -> None:
        """Words (the same word twice is kept once), or words by length already."""
        if not isinstance(words, WordsByLength):
            words = WordsByLength(words if isinstance(words, (set, frozenset)) else set(words))
        self.lengths = words
        self._dotted: dict[str, list[str]] = {}  # a part of a dotted word -> those words
        for group in words.by_length.values():
            for word in [word for word in group if "." in word]:
                for part in word.split("."):
                    if len(part) >= 3 and part.isalpha():
                        self._dotted.setdefault(part, []).append(word)

    def near(self, word: str, reach: int) -> list[tuple[str, int]]:
        """(word, distance) for every vocabulary word within `reach` edits of `word`, and
        (dotted word, 0) for the dotted words it is a part of."""
        from rapidfuzz.distance import OSA  # loaded by the first misspelled word, not at start

        found = [(dotted, 0) for dotted in self._dotted.get(word, ())]
        if reach <= 0:
            return found
        return found + self.lengths.near(word, reach, OSA.distance)

    def alternatives(
        self, word: str, analyze: Analyze, frequency: Frequency, limit: int = MAX_ALTERNATIVES
    ) -> list[Alternative]:
        """The index terms of the words nearest `word`, most frequent first; one entry per
        term ("pruning" and "pruned" are both "prune")."""
        from rapidfuzz.distance import Indel

        typed = word.lower()
        closest: dict[str, tuple[int, float, str]] = {}  # term -> (distance, -shared, word)
        for near, distance in self.near(typed, max_distance(word)):
            term = analyze(near)
            # Of two words as close ("transform", "transformer" for "transformr"), the one
            # sharing more letters with the typed word is the likelier one.
            key = (distance, -Indel.normalized_similarity(typed, near), near)
            if term and key < closest.get(term, (distance + 1, 0.0, near)):
                closest[term] = key
        found = [
            Alternative(near, term, distance, frequency(term))
            for term, (distance, _, near) in closest.items()
        ]
        found = [alt for alt in found if alt.frequency > 0]
        found.sort(key=lambda alt: (alt.distance, -alt.frequency, alt.word))
        # A word one edit away is far likelier meant than words two away ("lotery" is
        # "lottery", not also "lower"): only the closest distance found is kept.
        return [alt for alt in found if alt.distance == found[0].distance][:limit]


def rewrite(
    words: Sequence[str],
    vocabulary: Callable[[], Vocabulary],
    analyze: Analyze,
    frequency: Frequency,
) -> list[Rewrite]:
    """For each query word: its term if some paper has it, else the terms of the nearest
    vocabulary words. Words the analyzer drops (stop words) are skipped. The vocabulary is
    asked for only when a word is unknown (loading it is the costly part)."""
    out: list[Rewrite] = []
    for word in words:
        term = analyze(word)
        if not term:
            continue
        if frequency(term) > 0:
            out.append(Rewrite(word, term, known=True))
        else:
            found = vocabulary().alternatives(word, analyze, frequency) if word.isalpha() else []
            out.append(Rewrite(word, term, known=False, alternatives=tuple(found)))
    return out


def suggestion(query: str, rewrites: Sequence[Rewrite]) -> str | None:
    """The query with each misspelled word replaced by its best correction ("did you mean"),
    or None when nothing would change. Words are found case-insensitively and whole, so the
    query's punctuation and other words survive; a correction takes the letter case of the word
    it replaces."""
    text = query
    changed = False
    for item in rewrites:
        if item.known or not item.alternatives or not item.alternatives[0].distance:
            continue  # a word found inside a dotted token ("nlpedia") is no misspelling
        replaced = _replace_word(text, item.word, item.alternatives[0].word)
        if replaced != text:
            text, changed = replaced, True
    return text if changed else None


def _replace_word(text: str, word: str, by: str) -> str:
    lowered = text.casefold()
    target = word.casefold()
    start = 0
    while (at := lowered.find(target, start)) >= 0:
        end = at + len(target)
        before = lowered[at - 1] if at else " "
        after = lowered[end] if end < len(lowered) else " "
        if not before.isalnum() and before != ":" and not after.isalnum():  # not a field value
            return text[:at] + _like(text[at:end], by) + text[end:]
        start = end
    return text


# -- "did you mean" ----------------------------------------------------------------------

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
    from rapidfuzz.distance import Levenshtein  # loaded by the first unknown word

    low = word.lower()
    limit = 1 if len(low) <= 4 else 2
    # The closest first, alphabetically among equals (the same in every process).
    near = [
        (distance, candidate)
        for candidate, distance in words.lengths.near(low, limit, Levenshtein.distance)
    ]
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
