"""The letter masks pass on every word within the distance, so `word~N`, typo alternatives and
"did you mean" find what measuring the whole vocabulary finds."""

from __future__ import annotations

import random
import string
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

import reader
from reader.core.index.analysis import TOKEN, term_of
from reader.core.search.words_by_length import WordsByLength


def sample_terms() -> set[str]:
    """The analysed terms of the built-in sample's text."""
    terms: set[str] = set()
    for path in (Path(reader.__file__).parent / "sample").glob("*.txt"):
        terms.update(filter(None, map(term_of, TOKEN.findall(path.read_text(encoding="utf-8")))))
    return terms


def _near(word: str, terms: list[str], maxdist: int) -> list[str]:
    found = process.extract(
        word, terms, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
    )
    return sorted(term for term, _, _ in found)


def _vocabulary(rand: random.Random) -> set[str]:
    """The sample's terms, and misspellings of them (neighbours to find)."""
    terms = sample_terms()
    terms |= {_edits(rand.choice(sorted(terms)), rand, rand.randint(1, 2)) for _ in range(3000)}
    terms.discard("")
    return terms


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
    terms = _vocabulary(rand)
    vocabulary = WordsByLength(terms)
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


def test_near_is_every_word_within_the_distance_swaps_too() -> None:
    """`near` with optimal string alignment (a swap of neighbours is one edit, and changes no
    letter) gives what rapidfuzz gives over each whole length, in the same order; so does a
    vocabulary whose masks were all made first."""
    rand = random.Random(8)
    terms = _vocabulary(rand)
    lazy, prepared = WordsByLength(terms), WordsByLength(terms)
    prepared.prepare()
    words = [_swap(term, rand) for term in rand.sample(sorted(terms), 300)]
    found = 0
    for word in words:
        expected = []
        for size in range(len(word) - 2, len(word) + 3):
            expected += [
                (near, int(distance))
                for near, distance, _ in process.extract(
                    word, lazy.of_length(size), scorer=OSA.distance, score_cutoff=2, limit=None
                )
            ]
        assert lazy.near(word, 2, OSA.distance) == expected
        assert prepared.near(word, 2, OSA.distance) == expected
        found += len(expected)
    assert found > 300


def _swap(word: str, rand: random.Random) -> str:
    """The word with two neighbouring letters swapped (as it is if it has one letter)."""
    if len(word) < 2:
        return word
    at = rand.randrange(len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def test_words_added_go_in_their_place_with_their_masks() -> None:
    words = WordsByLength(["delta", "alpha", "gamma", "abc", "zzz"])
    more = words.adding(["beta", "alpha", "omega", "aaaaa", "zzzzz", "omega", "xyz"])
    assert more.by_length == {
        3: ("abc", "xyz", "zzz"),
        4: ("beta",),
        5: ("aaaaa", "alpha", "delta", "gamma", "omega", "zzzzz"),
    }
    assert words.of_length(5) == ("alpha", "delta", "gamma")  # the one it came from, as it was
    words.prepare()
    with_masks = words.adding(["omega", "beta"])
    assert with_masks.of_length(5) == ("alpha", "delta", "gamma", "omega")
    fresh = WordsByLength(with_masks.of_length(5)).masks(5)
    assert np.array_equal(with_masks.masks(5), fresh)  # each mask in its word's place
