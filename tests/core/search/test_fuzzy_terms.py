"""The letter masks pass on every term within the distance, so `word~N` finds what measuring
the whole vocabulary finds."""

from __future__ import annotations

import random
import string
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

import reader
from reader.core.index.analysis import TOKEN, term_of
from reader.core.search.fuzzy_terms import Vocabulary


def sample_terms() -> set[str]:
    """The analysed terms of the built-in sample's text."""
    terms: set[str] = set()
    for path in (Path(reader.__file__).parent / "sample").glob("*.txt"):
        terms.update(filter(None, map(term_of, TOKEN.findall(path.read_text(encoding="utf-8")))))
    return terms


def _by_length(terms: set[str]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for term in sorted(terms):
        out.setdefault(len(term), []).append(term)
    return out


def _near(word: str, terms: list[str], maxdist: int) -> list[str]:
    found = process.extract(
        word, terms, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
    )
    return sorted(term for term, _, _ in found)


def _edits(word: str, rand: random.Random, count: int) -> str:
    alphabet = string.ascii_lowercase + string.digits + "éßж中"
    for _ in range(count):
        at = rand.randrange(len(word) + 1)
        kind = rand.choice("ids")
        if kind == "i" or not word:
            word = word[:at] + rand.choice(alphabet) + word[at:]
        elif kind == "d":
            word = word[:at] + word[at + 1 :]
        else:
            word = word[:at] + rand.choice(alphabet) + word[at + 1 :]
    return word


def test_the_masks_keep_every_term_within_the_distance() -> None:
    rand = random.Random(5)
    terms = sample_terms()
    terms |= {_edits(rand.choice(sorted(terms)), rand, rand.randint(1, 2)) for _ in range(3000)}
    terms.discard("")
    vocabulary = Vocabulary(_by_length(terms))
    words = [_edits(term, rand, rand.randint(0, 2)) for term in rand.sample(sorted(terms), 400)]
    dropped = found = 0
    for word in filter(None, words):
        for maxdist in (1, 2):
            for size in range(len(word) - maxdist, len(word) + maxdist + 1):
                everything = vocabulary.by_length.get(size, [])
                candidates = vocabulary.candidates(word, maxdist, size)
                assert _near(word, candidates, maxdist) == _near(word, everything, maxdist)
                found += len(_near(word, candidates, maxdist))
                dropped += len(everything) - len(candidates)
    assert found > 1000  # the words had neighbours to find
    assert dropped > 100 * found  # and most terms were never measured
