"""Positions in reader's postings: each document's as the analysis gives them, through builds
and merges; phrases checked over them (exact, or each word within a slop of the one before)
find what Whoosh's own phrase search finds in Whoosh's own index of the same papers, scored as
their words are."""

from __future__ import annotations

import random
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest
from name_terms import name_positions  # tests/fixtures/index (pytest's pythonpath)
from test_index_format import seed_papers, whoosh_built
from whoosh import query as wq
from whoosh.searching import Searcher

from reader.core.index import TermPositions, segment_data
from reader.core.index.analysis import text_positions
from reader.core.index.fields import NAME_FIELDS, STEMMED_FIELDS, UserFields, to_document
from reader.core.index.paper_index import PaperIndex
from reader.core.model import Paper
from reader.core.search.evaluate import Evaluator

SOME = 150
REPEATED = "alpha beta " * 300  # a word 300 times: more than a frequency byte holds
FAR = "filler " * 70_000 + "gamma delta"  # positions past 65,535: four bytes each


PAPERS = seed_papers()[:SOME]
# Long notes for two papers (one in the first batch, one in the last), so the tails' wide
# forms are written, merged and read too.
NOTES = {PAPERS[1].id: REPEATED, PAPERS[-2].id: FAR}
DELETED = [p for p in PAPERS[3::4] if p.id not in NOTES]


def notes(paper_id: str) -> UserFields:
    return UserFields(note=NOTES.get(paper_id, ""))


def unpacked(found: TermPositions) -> list[tuple[int, list[int]]]:
    """(document, positions) of each posting of a term's tail."""
    docs, counts = array("I", found.docs), array("B" if found.counts_width == 1 else "I")
    counts.frombytes(found.counts)
    positions = array("H" if found.width == 2 else "I", found.positions)
    out, at = [], 0
    for doc, count in zip(docs, counts, strict=True):
        out.append((doc, list(positions[at : at + count])))
        at += count
    return out


def expected_positions(paper: Paper) -> dict[str, dict[str, list[int]]]:
    """Field -> term -> positions of a paper's document, as the analysis gives them."""
    doc = to_document(paper, notes(paper.id))
    texts = {"title": doc.title, "abstract": doc.abstract, "note": doc.note}
    out = {field: text_positions(texts.get(field, "")) for field in STEMMED_FIELDS}
    out["author"] = name_positions(doc.authors)
    return out


def check_tails(index: PaperIndex) -> None:
    """Every text field's term of every segment holds, for each document, the positions the
    analysis gives that document (and no document that lacks the term)."""
    by_id = {paper.id: paper for paper in PAPERS}
    widths: set[tuple[int, int]] = set()
    with index.reading() as searcher:
        for reader, _ in searcher.reader().leaf_readers():
            data = segment_data(reader)
            wanted: dict[tuple[str, str], list[tuple[int, list[int]]]] = {}
            for docnum, stored in reader.iter_docs():
                for field, terms in expected_positions(by_id[stored["id"]]).items():
                    for term, poses in terms.items():
                        wanted.setdefault((field, term), []).append((docnum, poses))
            held = set()
            for field in (*STEMMED_FIELDS, *NAME_FIELDS):
                for btext in reader.lexicon(field):
                    found = data.positions(reader, field, btext)
                    assert found is not None
                    term = btext.decode("utf-8")
                    assert unpacked(found) == wanted[field, term], (field, term)
                    widths.add((found.counts_width, found.width))
                    held.add((field, term))
            assert held == set(wanted)
    # narrow; counts past 255; positions past 65,535; both
    assert widths == {(1, 2), (4, 2), (1, 4), (4, 4)}


def test_a_built_segment_has_every_posting_positions(tmp_path: Path) -> None:
    index = PaperIndex(tmp_path / "index")
    index.rebuild(PAPERS, SOME, notes)
    check_tails(index)
    index.close()


@pytest.fixture
def merged(tmp_path: Path) -> Iterator[PaperIndex]:
    """Segments written a batch at a time, some papers deleted, then merged into one."""
    index = PaperIndex(tmp_path / "index")
    index.open()
    for start in range(0, SOME, 30):
        index.upsert(PAPERS[start : start + 30], user=notes)
    index.delete([p.id for p in DELETED])
    yield index
    index.close()


def test_a_merge_carries_positions_and_drops_deleted_documents(merged: PaperIndex) -> None:
    merged.optimize()
    assert merged.segment_count() == 1
    check_tails(merged)


def phrases(papers: list[Paper], count: int) -> list[tuple[str, list[str]]]:
    """Runs of 2 to 4 terms as the analyser gives them, from abstracts and titles, and a few
    in no paper's order; with the notes' phrases."""
    rand = random.Random(11)
    out: list[tuple[str, list[str]]] = [
        ("note", ["alpha", "beta"]),
        ("note", ["beta", "alpha", "beta"]),
        ("note", ["filler", "gamma", "delta"]),
        ("note", ["delta", "gamma"]),
    ]
    while len(out) < count:
        paper = rand.choice(papers)
        field = rand.choice(["title", "abstract"])
        at = text_positions(paper.title if field == "title" else paper.abstract)
        by_position = sorted((p, term) for term, poses in at.items() for p in poses)
        if len(by_position) < 5:
            continue
        start = rand.randrange(len(by_position) - 4)
        words = [term for _, term in by_position[start : start + rand.randint(2, 4)]]
        if rand.random() < 0.2:
            words.reverse()
        out.append((field, words))
    return out


@pytest.fixture(scope="module")
def whoosh_searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    """Whoosh's own index of the papers the merged index holds live (its writer, its blocks)."""
    live = [p for p in PAPERS if p not in DELETED]
    searcher = whoosh_built(live, tmp_path_factory.mktemp("whoosh"), notes).searcher()
    yield searcher
    searcher.close()


@pytest.mark.parametrize("optimize", [False, True])
@pytest.mark.parametrize("slop", [1, 2, 4])
def test_phrases_find_what_whoosh_finds(
    merged: PaperIndex, whoosh_searcher: Searcher, optimize: bool, slop: int
) -> None:
    if optimize:
        merged.optimize()
    some = 0
    with merged.reading() as searcher:
        assert optimize or len(searcher.reader().leaf_readers()) > 1
        for field, words in phrases(PAPERS, 300):
            q = wq.Phrase(field, words, slop=slop)
            hits = whoosh_searcher.search(q, limit=None)
            theirs = {hit["id"] for hit in hits}
            ours = Evaluator(searcher).run(q).scores
            assert {searcher.stored_fields(d)["id"] for d in ours} == theirs, (field, words)
            some += bool(theirs)
            terms = [Evaluator(searcher).run(wq.Term(field, word)).scores for word in words]
            for docnum, score in ours.items():  # BM25 of the words, as for the words alone
                assert score == pytest.approx(sum(term[docnum] for term in terms))
    assert some > 100  # most phrases are found
