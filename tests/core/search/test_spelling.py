"""Typo-tolerant query rewriting over the real seed pages' words."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

import reader
from reader.core.index.analysis import TOKEN_PATTERN, term_of
from reader.core.search.spelling import Vocabulary, max_distance, rewrite, suggestion

WORDS: set[str] = set()
TERMS: Counter[str] = Counter()  # how many lines of the seeds hold each index term
for _path in sorted((Path(reader.__file__).parent / "sample").glob("*.txt")):
    for _line in _path.read_text(encoding="utf-8").splitlines():
        _found = {w.lower() for w in re.findall(TOKEN_PATTERN, _line)}
        WORDS.update(_found)
        TERMS.update({t for t in map(term_of, _found) if t})


def count(term: str) -> int:
    return TERMS[term]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(WORDS)


def test_tolerance_grows_with_word_length() -> None:
    words = ("gan", "adam", "lotery", "prunning", "2018", "x2y4z")
    assert [max_distance(w) for w in words] == [0, 1, 2, 2, 0, 0]


def test_known_words_are_left_alone(vocabulary: Vocabulary) -> None:
    def unneeded() -> Vocabulary:
        raise AssertionError("the vocabulary is loaded only for an unknown word")

    rewrites = rewrite(["lottery", "ticket", "pruning"], unneeded, term_of, count)
    assert all(r.known and not r.alternatives for r in rewrites)
    assert all(r.searched == [(r.term, 1.0)] for r in rewrites)
    assert suggestion("lottery ticket pruning", rewrites) is None


def test_misspelled_words_become_the_nearest_index_words(vocabulary: Vocabulary) -> None:
    rewrites = rewrite(["lotery", "the", "ticket", "prunning"], lambda: vocabulary, term_of, count)
    assert [r.word for r in rewrites] == ["lotery", "ticket", "prunning"]  # "the" is a stop word
    assert [r.known for r in rewrites] == [False, True, False]
    assert rewrites[0].alternatives[0].word == "lottery"
    assert rewrites[0].corrected == term_of("lottery")
    assert rewrites[2].corrected == term_of("pruning")
    assert all(0 < weight < 1 for r in rewrites if not r.known for _, weight in r.searched)
    assert suggestion("Lotery ticket prunning", rewrites) == "Lottery ticket pruning"


def test_distance_is_between_words_not_stems(vocabulary: Vocabulary) -> None:
    """The stems of "exploeation" and "exploration" are 3 edits apart; the words are 1."""
    assert term_of("exploeation") == "exploeat" and term_of("exploration") == "explor"
    (item,) = rewrite(["Exploeation"], lambda: vocabulary, term_of, count)
    assert item.corrected == "explor" and item.alternatives[0].distance == 1


def test_a_swap_of_two_letters_is_one_typo(vocabulary: Vocabulary) -> None:
    for typed, meant in (("hypotehsis", "hypothesis"), ("atetntion", "attention")):
        (item,) = rewrite([typed], lambda: vocabulary, term_of, count)
        assert item.alternatives[0].word == meant
        assert item.alternatives[0].distance == 1


def test_a_rare_word_is_not_crowded_out_by_common_neighbours(vocabulary: Vocabulary) -> None:
    (item,) = rewrite(["thery"], lambda: vocabulary, term_of, count)  # their, there, they, theory
    assert term_of("theory") in {alt.term for alt in item.alternatives}


def test_closest_first_then_most_frequent_one_entry_per_term(vocabulary: Vocabulary) -> None:
    found = vocabulary.alternatives("transformr", term_of, count)
    assert found[0].word == "transformer"
    assert len({alt.term for alt in found}) == len(found)
    for a, b in itertools.pairwise(found):
        assert (a.distance, -a.frequency) <= (b.distance, -b.frequency)


def test_short_words_and_numbers_are_never_guessed(vocabulary: Vocabulary) -> None:
    assert vocabulary.alternatives("gnn", term_of, count) == []
    (item,) = rewrite(["20188"], lambda: vocabulary, term_of, count)
    assert not item.known and item.alternatives == () and item.searched == []


def test_a_word_far_from_everything_stays_as_typed(vocabulary: Vocabulary) -> None:
    (item,) = rewrite(["zqxwvkjh"], lambda: vocabulary, term_of, count)
    assert not item.known and item.alternatives == () and item.corrected == item.term


def test_known_means_some_paper_has_the_term(vocabulary: Vocabulary) -> None:
    (item,) = rewrite(["lottery"], lambda: vocabulary, term_of, lambda term: 0)
    assert not item.known  # no paper has it (say, all deleted), whatever the vocabulary says


def test_suggestion_replaces_whole_words_and_keeps_the_rest() -> None:
    vocab = Vocabulary({"lottery", "ticket", "lot"})
    rewrites = rewrite(["LOTERY", "ticket"], lambda: vocab, term_of, lambda t: 3 * (t != "loteri"))
    assert suggestion("LOTERY, ticket: (lotery)", rewrites) == "LOTTERY, ticket: (lotery)"
    assert suggestion("slotery ticket", rewrites) is None  # not inside another word
    assert suggestion("tag:lotery lotery", rewrites) == "tag:lotery lottery"  # nor a field value


def test_frequencies_are_read_only_for_candidates() -> None:
    asked: list[str] = []

    def frequency(term: str) -> int:
        asked.append(term)
        return len(term)

    vocab = Vocabulary(["alpha", "alphas", "beta", "gamma"])
    assert [a.word for a in vocab.alternatives("alphaa", str, frequency)] == ["alphas", "alpha"]
    assert sorted(asked) == ["alpha", "alphas"]


def test_a_part_of_a_dotted_word_finds_it_without_a_suggestion() -> None:
    """The index holds "pretrain.nlpedia.ai" as one word; "nlpedia" alone still finds it."""
    vocab = Vocabulary({"pretrain.nlpedia.ai", "pretrain"})
    (item,) = rewrite(["nlpedia"], lambda: vocab, term_of, lambda t: int(t != "nlpedia"))
    assert item.searched == [("pretrain.nlpedia.ai", 0.8)]
    assert suggestion("nlpedia", [item]) is None
