"""Which papers hold a query's words in order, read from the index's positions: the same
answers as analysing every word of their title and abstract (stop words skipped)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_snippets import every_term, sample_texts

from reader.core.index.paper_index import PaperIndex
from reader.core.model import Paper
from reader.core.search.evaluate import Evaluator
from reader.core.search.phrase_bonus import fields_holding

FIELDS = ("title", "abstract")


def paper(i: int, title: str, abstract: str) -> Paper:
    return Paper(id=f"2401.{i:05d}", title=title, abstract=abstract, authors=["A. Author"])


@pytest.fixture
def texts() -> list[tuple[str, str]]:
    """(title, abstract) pairs of the sample's paragraphs."""
    paragraphs = sample_texts()[:240]
    return [(paragraphs[i], paragraphs[i + 1]) for i in range(0, len(paragraphs) - 1, 2)]


@pytest.fixture
def index(tmp_path: Path, texts: list[tuple[str, str]]) -> Iterator[PaperIndex]:
    """The texts in three segments, so positions are read from each."""
    index = PaperIndex(tmp_path / "index")
    index.open()
    papers = [paper(i, title, abstract) for i, (title, abstract) in enumerate(texts)]
    for start in range(0, len(papers), 50):
        index.upsert(papers[start : start + 50])
    yield index
    index.close()


def held_in(text: str, words: list[str]) -> bool:
    terms = every_term(text)
    return any(terms[i : i + len(words)] == words for i in range(len(terms)))


@pytest.mark.parametrize("seed", range(3))
def test_words_in_order_agree_with_analysing_every_word(
    index: PaperIndex, texts: list[tuple[str, str]], seed: int
) -> None:
    rng = random.Random(seed)
    with index.reading() as searcher:
        ids = {searcher.stored_fields(d)["id"]: d for d in range(searcher.doc_count_all())}
        docnums = [ids[f"2401.{i:05d}"] for i in range(len(texts))]
        assert len(searcher.reader().leaf_readers()) == 3
        for _ in range(40):
            source = " ".join(rng.choice(texts))
            terms = every_term(source)
            at = rng.randrange(len(terms) - 2)
            present = terms[at : at + rng.choice((2, 3))]
            for words in (present, present[::-1], [terms[-1], "zzzunknown"]):
                chosen = rng.sample(docnums, 50)
                expected = {
                    docnum: count
                    for docnum in chosen
                    if (count := sum(held_in(t, words) for t in texts[docnums.index(docnum)]))
                }
                got = fields_holding(Evaluator(searcher), words, chosen, FIELDS)
                assert got == expected, words


def test_stop_words_between_do_not_break_a_run(tmp_path: Path) -> None:
    index = PaperIndex(tmp_path / "index")
    index.open()
    index.upsert(
        [
            paper(0, "Pruning of the Large Models", "Nothing here."),
            paper(1, "Large pruned models", "We prune large models."),
            paper(2, "Elsewhere", "pruning large models, and pruning larger ones"),
        ]
    )
    with index.reading() as searcher:
        every = list(range(3))
        assert fields_holding(Evaluator(searcher), ["prune", "larg"], every, FIELDS) == {
            0: 1,
            1: 1,
            2: 1,
        }
        assert fields_holding(Evaluator(searcher), ["larg", "prune"], every, FIELDS) == {1: 1}
        assert fields_holding(Evaluator(searcher), ["larg", "model"], every, FIELDS) == {
            0: 1,
            1: 1,
            2: 1,
        }
        assert fields_holding(Evaluator(searcher), ["prune", "larg", "model"], [2], FIELDS) == {
            2: 1
        }
    index.close()
