"""reader writes Whoosh segments itself: terms, records, lengths, stored fields and columns as
Whoosh's own writer makes them, and postings of its own (format 5) that hold what Whoosh's
writer's postings hold."""

from __future__ import annotations

import json
import shutil
from array import array
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from reader.core import importers
from reader.core.index import IndexDamaged, segment_data
from reader.core.index.analysis import surface_words, text_analyzer, text_positions
from reader.core.index.fields import UserFields, build_schema, to_document
from reader.core.index.intake import FORMAT_FILE, FORMAT_VERSION, Intake, write_intake
from reader.core.index.paper_index import INDEXNAME, PaperIndex
from reader.core.index.postings import WORDS, read_vocabulary
from reader.core.library.dedupe import paper_from
from reader.core.library.facade import Library
from reader.core.library.sample import sample_files
from reader.core.model import Paper, Record
from reader.core.paths import DataPaths
from reader.core.search.engine import SearchEngine
from reader.core.search.evaluate import Evaluator
from reader.core.search.query import QueryParser

SOME = 150  # papers enough to fill several posting blocks, few enough to stay quick
FIELDS = [
    *("title", "abstract", "id", "date", "category", "note", "bookmarked", "tag", "source"),
    *("read", "summary"),
]


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


def whoosh_built(
    papers: list[Paper], folder: Path, user: Callable[[str], UserFields] | None = None
) -> windex.FileIndex:
    """The same documents through Whoosh's own IndexWriter and analyzers."""
    ix = windex.create_in(str(folder), build_schema(), indexname=INDEXNAME)
    writer = ix.writer()
    for paper in papers:
        doc = to_document(paper, user(paper.id) if user else UserFields())
        fields = {
            "id": doc.id,
            "title": doc.title,
            "abstract": doc.abstract,
            "date": doc.date or None,
            "source": doc.sources or None,
            "category": doc.categories or None,
            "tag": doc.tags or None,
            "note": doc.note,
            "summary": doc.summary,
            "bookmarked": doc.bookmarked,
            "read": doc.read,
            "title_sort": doc.sort_key(),
            "digest": doc.digest(),
        }
        writer.add_document(**{k: v for k, v in fields.items() if v is not None})
    writer.commit()
    write_intake(folder, Intake())  # reader's record, which Whoosh does not write
    return ix


Posting = tuple[int, float, list[int] | None]  # document, weight, positions (text fields)


def whoosh_postings(reader: IndexReader, field: str, term: bytes) -> list[Posting]:
    """A term's postings as Whoosh's own reader reads them (from Whoosh's own writer)."""
    fmt = reader.schema[field].format
    positional = fmt.supports("positions")
    matcher = reader.postings(field, term)
    out = []
    while matcher.is_active():
        poses = fmt.decode_positions(matcher.value()) if positional else None
        out.append((matcher.id(), matcher.weight(), poses))
        matcher.next()
    return out


def our_postings(reader: IndexReader, field: str, term: bytes) -> list[Posting]:
    """A term's postings as reader's postings hold them (format 5: no Whoosh blocks)."""
    whole = segment_data(reader).whole(reader, segment_data(reader).term_info(reader, field, term))
    docs = array("I", whole.docs)
    counts = array("B" if whole.counts_width == 1 else "I", whole.counts)
    positions = array("H" if whole.width == 2 else "I", whole.positions) if whole.width else None
    boost = reader.schema[field].format.field_boost
    out, at = [], 0
    for doc, count in zip(docs, counts, strict=True):
        poses = list(positions[at : at + count]) if positions is not None else None
        out.append((doc, float(count * boost), poses))
        at += count
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


def some_user_data(paper_id: str) -> UserFields:
    """Notes, summaries, tags, bookmarks and read marks on some papers, the same each run."""
    n = sum(map(ord, paper_id))
    return UserFields(
        tags=["kea", "moa"][: n % 3],
        note="the pruned networks were pruned again, and again" if n % 4 == 0 else "",
        bookmarked=n % 5 == 0,
        read=n % 2 == 0,
        summary="a summary of lottery tickets" if n % 6 == 0 else "",
    )


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[IndexReader, IndexReader]]:
    papers = seed_papers()[:SOME]
    theirs = whoosh_built(papers, tmp_path_factory.mktemp("whoosh"), some_user_data).reader()
    ours_index = PaperIndex(tmp_path_factory.mktemp("reader") / "index")
    ours_index.rebuild(papers, len(papers), some_user_data)
    yield theirs, ours_index.searcher().reader()
    ours_index.close()


def test_same_terms_postings_and_term_stats(both: tuple[IndexReader, IndexReader]) -> None:
    """Each term's record is Whoosh's writer's but for where its postings are, and reader's
    postings hold the documents, weights and positions Whoosh's writer's blocks hold."""
    theirs, ours = both
    positional = 0
    for field in FIELDS:
        lexicon = list(theirs.lexicon(field))
        assert lexicon, field
        assert lexicon == list(ours.lexicon(field)), field
        for term in lexicon:
            expected = whoosh_postings(theirs, field, term)
            assert our_postings(ours, field, term) == expected, (field, term)
            assert term_stats(theirs, field, term) == term_stats(ours, field, term)
            positional += expected[0][2] is not None
    assert positional > 1000  # the text fields' positions were compared


def extent(info: W3TermInfo) -> tuple[int, int]:
    offset, length = info.extent()
    return offset, length[0] if isinstance(length, tuple) else length  # from_bytes' 1-tuple


def test_term_extents_are_readers_postings_alone(both: tuple[IndexReader, IndexReader]) -> None:
    """Format 5: no term's extent begins with Whoosh's block magic, and each ends where the
    next begins (nothing else is in the postings file)."""
    _, ours = both
    extents = sorted(extent(info) for _, info in ours._terms.items())
    postfile = ours._terms._postfile
    assert extents[0][0] == 0
    for (offset, length), (following, _) in pairwise(extents):
        assert offset + length == following
        assert postfile.get(offset, 4) != WHOOSH3_HEADER_MAGIC
    size = ours.storage().file_length(ours.segment().make_filename(".pst"))
    assert sum(length for _, length in extents) == size


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


def test_postings_without_readers_trailer_are_damage(tmp_path: Path) -> None:
    """A term whose postings are not reader's (here Whoosh's own writer's, under a current
    format record) is damage, said in one line, never a wrong answer."""
    folder = tmp_path / "index"
    folder.mkdir()
    whoosh_built(seed_papers()[:SOME], folder)
    plain = PaperIndex(folder)
    plain.open()
    with pytest.raises(IndexDamaged, match=r"trailer|record"):
        plain.probe()
    with pytest.raises(IndexDamaged, match=r"trailer|record"):
        SearchEngine(plain, lambda ids: {}).search("learning", limit=None)
    plain.close()


@pytest.mark.parametrize("first", ["search", "index check"])
def test_an_index_of_format_4_is_rebuilt_at_open(
    indexed_sample: Path, tmp_path: Path, first: str
) -> None:
    """Format 4 wrote Whoosh's blocks before reader's part of each term (Whoosh's own writer
    writes the same blocks, here): the next open, for a search or for `reader index check`,
    rebuilds it once, saying so in one line, and its terms are then reader's postings alone."""
    shutil.copytree(indexed_sample, tmp_path / "data")
    paths = DataPaths.resolve(tmp_path / "data")
    library = Library(paths)
    papers = list(library.store.iter_papers())
    library.close()
    shutil.rmtree(paths.index_dir)
    paths.index_dir.mkdir()
    whoosh_built(papers, paths.index_dir)
    record = paths.index_dir / FORMAT_FILE
    record.write_text(json.dumps({**json.loads(record.read_text()), "format": 4}))
    library = Library(paths)
    try:
        if first == "index check":
            assert library.check_index().ok
        result = library.search('"lottery ticket"')
        assert library.index_message == (
            "The search index was in an older format (4); it was rebuilt from the library "
            f"(format {FORMAT_VERSION})."
        )
        assert result.total > 0
        assert json.loads(record.read_text())["format"] == FORMAT_VERSION == 5
        with library.index.reading() as searcher:
            for reader, _ in searcher.reader().leaf_readers():
                postfile = reader._terms._postfile
                for _, info in reader._terms.items():
                    assert postfile.get(extent(info)[0], 4) != WHOOSH3_HEADER_MAGIC
    finally:
        library.close()


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


@pytest.mark.parametrize(
    "text",
    [
        "learning REQUIRE networks",
        "(pruning OR sparse) REQUIRE title:learning",
        '"neural networks"~3',
        'abstract:"language models"~2 OR "deep learning"~4',
        'learning REQUIRE "neural network"~2',
    ],
)
def test_forms_whoosh_once_ran_score_as_whoosh_scores(
    both: tuple[IndexReader, IndexReader], text: str
) -> None:
    """REQUIRE and phrases with a slop, which reader left to Whoosh's own search before it
    wrote its own postings: the documents and scores of Whoosh's search of its own index."""
    theirs, ours = both
    query = QueryParser(build_schema()).parse(text).query
    expected = {hit.docnum: hit.score for hit in Searcher(theirs).search(query, limit=None)}
    found = Evaluator(Searcher(ours)).run(query).scores
    assert expected, text
    assert found == pytest.approx(expected), text
