"""Search by meaning: long plain queries are ranked by words and vectors fused (real library)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from reader.core.index.analysis import text_positions
from reader.core.library.facade import Library
from reader.core.search.array_scores import DenseScores
from reader.core.search.meaning import RRF_K, SEMANTIC_WEIGHT, fuse
from reader.core.search.plain_words import LONG_QUERY

DESCRIBED = Path(__file__).resolve().parents[3] / "bench" / "described_queries.json"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    library = Library.open(tmp_path_factory.mktemp("meaning") / "data")
    library.import_sample()
    yield library
    library.close()


def described() -> list[tuple[str, str]]:
    return [(q["query"], q["id"]) for q in json.loads(DESCRIBED.read_text(encoding="utf-8"))]


def test_a_paper_described_in_other_words_is_found(sample: Library) -> None:
    """Most of the hand-written descriptions find their paper in the first ten, no paper
    holding all their words (so a search for every word finds nothing)."""
    found = 0
    for query, target in described():
        result = sample.search(query, limit=10)
        found += target in [hit.id for hit in result.results]
    assert found / len(described()) >= 0.9
    query = "small helper network picks useful web text as the main network learns"
    result = sample.search(query, limit=10)
    assert result.total > 10 and result.note is None


def test_a_paper_holding_every_word_comes_first(sample: Library) -> None:
    title = "Proving the Lottery Ticket Hypothesis: Pruning is All You Need"
    assert len({t for t in text_positions(title)}) >= LONG_QUERY
    result = sample.search(title, limit=5)
    assert result.results[0].title == title
    assert result.total > 5  # papers with some of the words follow


def test_short_queries_still_need_every_word(sample: Library) -> None:
    result = sample.search("lottery ticket pruning", limit=None)
    assert 0 < result.total < 20
    for hit in result.results:
        text = sample.get(hit.id)
        terms = set(text_positions(f"{text.title} {text.abstract}"))
        assert {"lotteri", "ticket", "prune"} <= terms


def test_long_queries_keep_the_query_language_when_used(sample: Library) -> None:
    """A field clause makes it the query language's: every word is needed as before."""
    words = "lottery ticket hypothesis pruning subnetwork weights"
    plain, scoped = sample.search(words, limit=None), sample.search(f"{words} title:pruning")
    assert plain.total > scoped.total > 0


def test_fusion_adds_the_vectors_best_to_the_words_ranking() -> None:
    lexical = DenseScores(np.array([1, 4, 7, 9]), np.array([1.0, 8.0, 3.0, 2.0]))
    fused = fuse(lexical, np.array([9, 12]))  # the vectors' two best, best first
    # 9 is third by words and first by meaning: both lists lift it past the words' first;
    # 12 holds no word but is near in meaning, so it joins, after the words' papers.
    assert fused.ranked() == [9, 4, 7, 1, 12]
    scale = RRF_K + 1
    assert fused[4] == pytest.approx(1.0)  # the words' first, alone
    assert fused[9] == pytest.approx(scale * (1 / (RRF_K + 3) + SEMANTIC_WEIGHT / (RRF_K + 1)))
    assert fused[12] == pytest.approx(scale * SEMANTIC_WEIGHT / (RRF_K + 2))


MISSING_MODEL = """
import importlib.util, json, sys
real = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: None if name == "wordllama" else real(name, *a)
from reader.core.library.facade import Library
library = Library.open(sys.argv[1])
result = library.search(sys.argv[2], limit=3)
print(json.dumps({"note": result.note, "ids": [hit.id for hit in result.results]}))
"""


def test_without_the_model_a_long_query_is_searched_by_words_and_says_so(
    sample: Library,
) -> None:
    query, _ = described()[0]
    done = subprocess.run(
        [sys.executable, "-c", MISSING_MODEL, str(sample.paths.data_dir), query],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert "searched by words only" in answer["note"] and "wordllama" in answer["note"]
    assert answer["ids"]


def test_in_a_big_library_common_words_only_add_to_papers_with_rarer_ones(
    sample: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a million papers a long query's common words are probed for the papers holding
    its rarer words instead of read whole: the sample made "big" by lowering the bar gives
    those papers the scores a full read gives them (but for the common words' paper counts,
    taken from the larger field)."""
    from reader.core.search import whole_paper
    from reader.core.search.evaluate import Evaluator

    query = "sparse subnetworks found by pruning train to full accuracy from initialization"
    with sample.index.reading() as searcher:
        evaluator = Evaluator(searcher)
        plain = sample.engine._plain(query, query, searcher, evaluator)
        words = [rewrite.searched for rewrite in plain.searched]
        exact = whole_paper.whole_paper_scores(evaluator, words)
        monkeypatch.setattr(whole_paper, "CANDIDATES", 20)
        monkeypatch.setattr(whole_paper, "RARE_SHARE", 0.01)
        probed = whole_paper.whole_paper_scores(Evaluator(searcher), words)
    assert 0 < len(probed.docnums) < len(exact.docnums)
    assert set(probed.docnums) <= set(exact.docnums)
    full = dict(zip(exact.docnums.tolist(), exact.scores.tolist(), strict=True))
    for docnum, score in zip(probed.docnums.tolist(), probed.scores.tolist(), strict=True):
        assert score == pytest.approx(full[docnum], rel=0.05)
    best = probed.docnums[np.argsort(-probed.scores)[:3]].tolist()
    assert best == exact.docnums[np.argsort(-exact.scores)[:3]].tolist()
