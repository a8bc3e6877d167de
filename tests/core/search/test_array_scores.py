"""Plain queries and fuzzy words scored as numpy vectors give the dict path's answers exactly
(real index)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from reader.core.index.paper_index import PaperIndex
from reader.core.library.facade import Library
from reader.core.model import Paper
from reader.core.search import engine as engine_module
from reader.core.search import query_cost
from reader.core.search.array_scores import DenseScores
from reader.core.search.engine import SearchEngine

QUERIES = [
    "state space models",  # every word common: the phrase bonus applies
    "language model",
    "lotery ticket prunning",  # typos: each word is an Or of spellings
    "diffusion graph zzqxv",  # a word no paper has is left out
    "hydra bidirectional matrix mixers",
    "quantum protein",  # no paper has both: papers with some, by their share
    "language title:model",  # a clause: papers must match it, and its scores add
    "pruning title:lottery",
    "quantum protein title:model",  # a clause, and no paper with every word
]
# One fuzzy word, over big posting lists: scored as vectors too
FUZZY = [
    "model~1",  # model, models, modal...: the title's and the abstract's spellings added
    "prunning~1",  # only spellings one edit away: no paper has the word as typed
    "abstract:languag~2",  # one field
    "title:(model~1)^3",  # a boost on each spelling
    "(model~1)^0.5",  # a boost on the two fields' sum
    "title:model~1 OR abstract:trained~1",  # two fields, two words
]


@pytest.fixture(scope="module")
def deleted_and_engine(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[list[Paper], SearchEngine]]:
    """The sample in two segments, with papers deleted from both while the segments live."""
    root = tmp_path_factory.mktemp("dense")
    library = Library.open(root / "library")
    library.import_sample()
    papers = [library.store.get(pid) for pid in sorted(library.store.ids())]
    library.close()
    index = PaperIndex(root / "index")
    index.open()
    index.rebuild(papers[:250], 250)
    index.upsert(papers[250:])
    deleted = papers[::37]
    index.delete([p.id for p in deleted])
    assert index.segment_count() == 2
    abstracts = {p.id: p.abstract for p in papers}
    yield deleted, SearchEngine(index, lambda ids: {pid: abstracts[pid] for pid in ids})
    index.close()


@pytest.fixture
def engine(deleted_and_engine: tuple[list[Paper], SearchEngine]) -> SearchEngine:
    return deleted_and_engine[1]


def by_vectors(monkeypatch: pytest.MonkeyPatch, on: bool = True) -> None:
    """Every plain query scored as vectors (on) or as dicts (off)."""
    threshold = 0 if on else float("inf")
    monkeypatch.setattr(query_cost, "DENSE_MIN", threshold)
    monkeypatch.setattr(query_cost, "DENSE_MIN_UNLOADED", threshold)


def answers(engine: SearchEngine, query: str) -> tuple:
    full = engine.search(query, limit=None)
    page = engine.search(query, limit=7, offset=3)
    ids, listed = engine.search_ids(query)
    return (
        [(hit.id, hit.score, hit.snippet) for hit in full.results],
        full.total,
        [(hit.id, hit.score) for hit in page.results],
        ids,
        listed.total,
        full.suggestion,
    )


def scored_as(engine: SearchEngine, query: str) -> type:
    with engine.index.reading() as searcher:
        return type(engine._run(query, searcher)[1].scores)


@pytest.mark.parametrize("query", QUERIES + FUZZY)
def test_vectors_answer_as_dicts_do(
    engine: SearchEngine, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_vectors(monkeypatch, on=False)
    assert scored_as(engine, query) is dict
    by_dicts = answers(engine, query)
    by_vectors(monkeypatch)
    assert scored_as(engine, query) is DenseScores
    assert answers(engine, query) == by_dicts
    assert by_dicts[1] > 0, "a query that finds nothing compares nothing"


@pytest.mark.parametrize("query", ["model~1 pruning", "model~1 -title:model", "title:a* model~1"])
def test_a_fuzzy_word_among_other_parts_is_scored_as_dicts(
    engine: SearchEngine, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_vectors(monkeypatch)
    assert scored_as(engine, query) is dict


def test_deleted_papers_are_left_out(
    deleted_and_engine: tuple[list[Paper], SearchEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    deleted, engine = deleted_and_engine
    by_vectors(monkeypatch)
    word = "model"
    assert any(word in paper.title.lower() for paper in deleted)
    ids, result = engine.search_ids(word)
    assert result.total == len(ids) > 0
    assert not {paper.id for paper in deleted} & set(ids)


def test_a_small_library_is_scored_without_numpy(sample_library: Library) -> None:
    """Below the postings that pay for importing numpy, the dict path answers."""
    engine = sample_library.engine
    with engine.index.reading() as searcher:
        assert type(engine._run("state space models", searcher)[1].scores) is dict


def test_top_and_ranked_order_ties_by_docnum() -> None:
    scores = DenseScores(np.array([1, 3, 5, 7, 9]), np.array([2.0, 3.0, 2.0, 1.0, 2.0]))
    assert scores.ranked() == [3, 1, 5, 9, 7]
    assert scores.top(2) == [3, 1]
    assert scores.top(3) == [3, 1, 5]
    assert scores.top(9) == scores.ranked()
    assert scores.top(0) == []


def test_reads_and_writes_like_a_mapping() -> None:
    scores = DenseScores(np.array([2, 4, 8]), np.array([0.5, 1.5, 2.5]))
    assert list(scores) == [2, 4, 8] and len(scores) == 3 and scores[4] == 1.5
    scores[8] *= 2
    assert dict(scores.items()) == {2: 0.5, 4: 1.5, 8: 5.0}
    with pytest.raises(KeyError):
        scores[3]
    with pytest.raises(KeyError):
        scores[9] = 1.0
    kept = scores.where([True, False, True])
    assert dict(kept.items()) == {2: 0.5, 8: 5.0}


def test_one_segment_without_deletions(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = sample_library.engine
    before = answers(engine, "language model")
    by_vectors(monkeypatch)
    assert scored_as(engine, "language model") is DenseScores
    assert answers(engine, "language model") == before


@pytest.mark.parametrize("vectors", [True, False])
def test_ids_ranked_later_come_in_the_order_of_the_full_search(
    engine: SearchEngine, vectors: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """search_ids ranks only its first few at once: the rest, read later, rank as a search
    of every match does (a long list's end, a paper found in it)."""
    by_vectors(monkeypatch, on=vectors)
    monkeypatch.setattr(engine_module, "FIRST_RANKED", 5)
    for query in ("language model", "model"):
        wanted = [hit.id for hit in engine.search(query, limit=None).results]
        assert len(wanted) > 20
        ids, result = engine.search_ids(query)
        assert len(ids) == result.total == len(wanted)
        assert ids[:5] == wanted[:5] and ids[3] == wanted[3]
        assert ids.index(wanted[17]) == 17  # past the first five: the rest are ranked now
        assert ids[-1] == wanted[-1] and list(ids) == wanted
        ids, _ = engine.search_ids(query)
        assert ids[7:9] == wanted[7:9]
