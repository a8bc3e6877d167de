"""reader writes Whoosh segments itself; they must be what Whoosh's own writer makes."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.formats import Positions
from whoosh.reading import IndexReader

from reader.core import importers
from reader.core.index.analysis import surface_words, text_analyzer, text_positions
from reader.core.index.fields import UserFields, build_schema, to_document
from reader.core.index.intake import Intake, write_intake
from reader.core.index.paper_index import INDEXNAME, PaperIndex
from reader.core.index.postings import WORDS, encode_positions, read_vocabulary
from reader.core.library.dedupe import paper_from
from reader.core.library.facade import sample_files
from reader.core.model import Paper, Record
from reader.core.search.engine import SearchEngine

SOME = 150  # papers enough to fill several posting blocks, few enough to stay quick
FIELDS = ["title", "abstract", "id", "date", "category", "note", "bookmarked", "tag", "source"]


def seed_papers() -> list[Paper]:
    papers: dict[str, Paper] = {}
    for path in sample_files():
        for item in importers.read_path(path):
            if isinstance(item, Record):
                paper = paper_from(item, "2025-01-01T00:00:00Z")
                papers[paper.id] = paper
    out = list(papers.values())
    for i, paper in enumerate(out):  # give the seeds what they lack, deterministically
        paper.published = f"202{i % 5}-0{1 + i % 9}-1{i % 9}" if i % 7 else ""
        paper.categories = ["cs.LG", "stat.ML"][: 1 + i % 2] if i % 3 else []
    return out


def whoosh_built(papers: list[Paper], folder: Path) -> windex.FileIndex:
    """The same documents through Whoosh's own IndexWriter and analyzers."""
    ix = windex.create_in(str(folder), build_schema(), indexname=INDEXNAME)
    writer = ix.writer()
    for paper in papers:
        doc = to_document(paper)
        fields = {
            "id": doc.id,
            "title": doc.title,
            "abstract": doc.abstract,
            "date": doc.date or None,
            "source": doc.sources or None,
            "category": doc.categories or None,
            "tag": doc.tags or None,
            "note": doc.note,
            "bookmarked": doc.bookmarked,
            "read": doc.read,
            "title_sort": doc.sort_key(),
            "digest": doc.digest(),
        }
        writer.add_document(**{k: v for k, v in fields.items() if v is not None})
    writer.commit()
    write_intake(folder, Intake())  # reader's record, which Whoosh does not write
    return ix


def postings(reader: IndexReader, field: str, term: bytes) -> list[tuple[int, float, bytes]]:
    matcher = reader.postings(field, term)
    out = []
    while matcher.is_active():
        out.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return out


def term_stats(reader: IndexReader, field: str, term: bytes) -> tuple[object, ...]:
    info = reader.term_info(field, term)
    return (
        info.weight(),
        info.doc_frequency(),
        info.min_length(),
        info.max_length(),
        info.max_weight(),
        info.min_id(),
        info.max_id(),
    )


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[IndexReader, IndexReader]]:
    papers = seed_papers()[:SOME]
    theirs = whoosh_built(papers, tmp_path_factory.mktemp("whoosh")).reader()
    ours_index = PaperIndex(tmp_path_factory.mktemp("reader") / "index")
    ours_index.rebuild(papers, len(papers))
    yield theirs, ours_index.searcher().reader()
    ours_index.close()


def test_same_terms_postings_and_term_stats(both: tuple[IndexReader, IndexReader]) -> None:
    theirs, ours = both
    for field in FIELDS:
        lexicon = list(theirs.lexicon(field))
        assert lexicon == list(ours.lexicon(field)), field
        for term in lexicon:
            assert postings(theirs, field, term) == postings(ours, field, term), (field, term)
            assert term_stats(theirs, field, term) == term_stats(ours, field, term)


def test_same_lengths_stored_fields_and_columns(both: tuple[IndexReader, IndexReader]) -> None:
    theirs, ours = both
    assert theirs.doc_count_all() == ours.doc_count_all() == SOME
    for field in ("title", "abstract", "note"):
        assert theirs.field_length(field) == ours.field_length(field)
        for docnum in range(theirs.doc_count_all()):
            assert theirs.doc_field_length(docnum, field) == ours.doc_field_length(docnum, field)
    for docnum in range(theirs.doc_count_all()):
        mine = ours.stored_fields(docnum)
        mine.pop("author", None)  # reader stores the authors; the Whoosh side has none
        assert theirs.stored_fields(docnum) == mine
    for column in ("id", "date", "title_sort"):
        assert list(theirs.column_reader(column)) == list(ours.column_reader(column))


def test_fast_analysis_matches_whoosh_analyzer() -> None:
    analyzer = text_analyzer()
    texts = [p.title for p in seed_papers()] + [p.abstract for p in seed_papers()]
    texts += [
        "",
        "the of a",
        "Ünïcödé façade — naïve CAFÉ",
        "3.14 x*y a.b.c e\u0301t\u00e9",
        "_ __ a_b",
    ]
    for text in texts:
        expected: dict[str, list[int]] = {}
        for token in analyzer(text, positions=True):
            expected.setdefault(token.text, []).append(token.pos)
        assert text_positions(text) == expected, text


def test_surface_words_are_lowercase_unstemmed_and_not_stop_words() -> None:
    assert surface_words(["The", "Pruning", "of", "networks,", "pruned!"]) == {
        "pruning",
        "networks",
        "pruned",
    }


def test_position_encoding_is_whoosh_positions() -> None:
    rand = random.Random(5)
    fmt = Positions()
    for _ in range(500):
        poses = sorted(rand.sample(range(5000), rand.randint(1, 12)))
        assert encode_positions(poses) == fmt.encode(poses)


def test_segments_written_by_whoosh_are_still_searched(tmp_path: Path) -> None:
    """Without reader's compact posting tails the evaluator decodes Whoosh's blocks."""
    papers = seed_papers()[:SOME]
    folder = tmp_path / "index"
    folder.mkdir()
    whoosh_built(papers, folder)
    ours = PaperIndex(tmp_path / "ours")
    ours.rebuild(papers, len(papers))
    plain, mine = PaperIndex(folder), ours
    texts = {p.id: p.abstract for p in papers}

    def abstracts(ids: list[str]) -> dict[str, str]:
        return {i: texts[i] for i in ids}

    for query in ["learning", '"neural networks"', "modle~", "transform* NOT vision"]:
        expected = SearchEngine(mine, abstracts).search(query, limit=None)
        got = SearchEngine(plain, abstracts).search(query, limit=None)
        assert [h.id for h in got.results] == [h.id for h in expected.results], query
    plain.close()
    ours.close()


def test_segment_vocabulary_holds_the_title_and_abstract_words_only(tmp_path: Path) -> None:
    """Suggestions read the segment's word list: every title and abstract word, no note's."""
    papers = seed_papers()[:SOME]
    index = PaperIndex(tmp_path / "index")
    index.rebuild(papers, len(papers), lambda _id: UserFields(note="zyzzyvas everywhere"))
    chunks = [chunk for p in papers for chunk in (*p.title.split(), *p.abstract.split())]
    with index.reading() as searcher:
        (reader, _), *others = searcher.reader().leaf_readers()
        assert not others
        words = read_vocabulary(reader.storage(), reader.segment())[WORDS]
    assert sorted(words) == sorted(surface_words(chunks))
    assert "zyzzyvas" not in words
    index.close()
