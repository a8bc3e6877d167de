"""Search over a real index of the sample library (the seeds) plus a few papers made to carry
what the seeds lack (arXiv ids, authors, dates, categories)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core import importers
from reader.core.index.paper_index import PaperIndex, UserFields
from reader.core.library.dedupe import paper_from
from reader.core.library.sample import sample_files
from reader.core.model import Paper, Record
from reader.core.search.engine import SearchEngine
from reader.core.search.snippets import CLOSE, OPEN

MADE = [
    Paper(
        id="2401.12345",
        title="Sparse Lottery Tickets for Efficient Transformers",
        abstract="We study lottery tickets inside transformer language models.",
        authors=["Ada Lovelace", "Alan Turing"],
        published="2024-03-05",
        categories=["cs.LG"],
        sources=["feeds/2024-03.txt:12"],
    ),
    Paper(
        id="2312.00001",
        title="Zebra Crossing Detection",
        abstract="Street scenes with zebra crossings.",
        authors=["Grace Hopper"],
        published="2023-12-30",
        categories=["cs.CV"],
    ),
    Paper(
        id="2406.00002",
        title="aardvark Sightings at Dawn",
        abstract="Field notes about zebra and aardvark behaviour.",
        authors=["Émile Zola"],
        published="2024-06-30",
    ),
    Paper(
        id="2407.00003",
        title="Markup [red]is[/red] <b>text</b> here",
        abstract="A title with [bold]brackets[/bold] and <i>tags</i> is still only words.",
        published="2024-07-01",
    ),
    Paper(id="2001.00004", title="Undated zebra notes", abstract="Nothing dated here."),
]


def seed_papers() -> list[Paper]:
    """The sample library as the importer reads it, one Paper per id (later ones win)."""
    papers: dict[str, Paper] = {}
    for path in sample_files():
        for item in importers.read_path(path):
            if isinstance(item, Record):
                paper = paper_from(item, "2025-01-01T00:00:00Z")
                papers[paper.id] = paper
    return list(papers.values())


@pytest.fixture(scope="module")
def corpus() -> dict[str, Paper]:
    return {p.id: p for p in [*seed_papers(), *MADE]}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, corpus: dict[str, Paper]) -> Iterator:
    index = PaperIndex(tmp_path_factory.mktemp("search") / "index")
    index.open()
    tags = {"2312.00001": UserFields(tags=["Reading List"], note="check the zebra dataset")}
    index.rebuild(corpus.values(), len(corpus), lambda pid: tags.get(pid, UserFields()))
    yield SearchEngine(index, lambda ids: {i: corpus[i].abstract for i in ids if i in corpus})
    index.close()


def ids(engine: SearchEngine, query: str, **kwargs: object) -> list[str]:
    return [hit.id for hit in engine.search(query, limit=None, **kwargs).results]


def titles(engine: SearchEngine, query: str) -> list[str]:
    return [hit.title for hit in engine.search(query, limit=None).results]


def test_plain_words_search_titles_and_abstracts_with_and(engine: SearchEngine) -> None:
    both = engine.search("lottery ticket", limit=None)
    assert both.total >= 3
    for hit in both.results:
        text = (hit.title + " " + hit.snippet).lower()
        assert "lotter" in text and "ticket" in text
    # No paper has both: rather than nothing, the papers with either
    # (reader.core.search.plain_words).
    either = set(ids(engine, "lottery")) | set(ids(engine, "zebra"))
    assert set(ids(engine, "lottery zebra")) == either


def test_stemming_finds_other_forms(engine: SearchEngine, corpus: dict[str, Paper]) -> None:
    found = set(ids(engine, "pruned"))
    assert found == set(ids(engine, "pruning"))
    assert any("pruning" in corpus[i].title.lower() for i in found)


def test_title_field_and_boost(engine: SearchEngine, corpus: dict[str, Paper]) -> None:
    in_title = ids(engine, "title:pruning")
    assert in_title and all("prun" in corpus[i].title.lower() for i in in_title)
    anywhere = ids(engine, "pruning")
    assert set(in_title) < set(anywhere)
    # A title match counts double: the first results have the word in the title.
    assert "prun" in corpus[anywhere[0]].title.lower()


def test_abstract_field(engine: SearchEngine, corpus: dict[str, Paper]) -> None:
    found = ids(engine, "abstract:aardvark")
    assert found == ["2406.00002"]
    assert "aardvark" in corpus[found[0]].abstract


def test_author_field_and_phrase_does_not_span_two_authors(engine: SearchEngine) -> None:
    assert ids(engine, "author:lovelace") == ["2401.12345"]
    assert ids(engine, "authors:Turing") == ["2401.12345"]
    assert ids(engine, 'author:"ada lovelace"') == ["2401.12345"]
    assert ids(engine, 'author:"lovelace alan"') == []
    assert ids(engine, "author:emile") == ["2406.00002"]  # accents folded


def test_id_takes_a_versioned_id(engine: SearchEngine) -> None:
    assert ids(engine, "id:2401.12345") == ["2401.12345"]
    assert ids(engine, "id:2401.12345v2") == ["2401.12345"]
    assert ids(engine, "id:2401.99999") == []


def test_date_year_and_range(engine: SearchEngine) -> None:
    assert set(ids(engine, "date:2024")) == {"2401.12345", "2406.00002", "2407.00003"}
    assert set(ids(engine, "date:2024-03")) == {"2401.12345"}
    assert set(ids(engine, "date:[2024-01-01 to 2024-06-30]")) == {"2401.12345", "2406.00002"}
    assert set(ids(engine, "date:[2023 to 2024-03]")) == {"2312.00001", "2401.12345"}
    assert set(ids(engine, "date:>2024-06-30")) == {"2407.00003"}
    assert ids(engine, "zebra date:2023") == ["2312.00001"]


def test_boolean_operators_and_groups(engine: SearchEngine) -> None:
    zebra = set(ids(engine, "zebra"))
    assert zebra == {"2312.00001", "2406.00002", "2001.00004"}
    assert set(ids(engine, "zebra NOT aardvark")) == zebra - {"2406.00002"}
    assert set(ids(engine, "zebra AND aardvark")) == {"2406.00002"}
    assert set(ids(engine, "aardvark OR zebra")) == zebra
    assert set(ids(engine, "(aardvark OR street) AND zebra")) == {"2406.00002", "2312.00001"}
    everything = engine.search("NOT zebra", limit=0)
    assert everything.total == engine.index.doc_count() - 3


def test_phrase_needs_the_words_in_order(engine: SearchEngine, corpus: dict[str, Paper]) -> None:
    phrase = set(ids(engine, '"lottery ticket"'))
    words = set(ids(engine, "lottery ticket"))
    assert phrase and phrase <= words
    for pid in phrase:
        text = " ".join((corpus[pid].title + " " + corpus[pid].abstract).lower().split())
        assert "lottery ticket" in text
    assert ids(engine, '"ticket lottery"') == []


def test_prefix_and_fuzzy(engine: SearchEngine) -> None:
    prefixed = set(ids(engine, "transform*"))
    assert set(ids(engine, "transformer")) <= prefixed
    assert set(ids(engine, "transformation")) <= prefixed
    assert set(ids(engine, "lotery~")) == set(ids(engine, "lottery"))
    assert set(ids(engine, "lotery~1")) == set(ids(engine, "lottery"))
    assert set(ids(engine, "lotery")) >= set(ids(engine, "lottery"))  # plain words forgive


@pytest.mark.parametrize("query", ["title:(", '"unclosed', "AND", "[/", "a OR", "())", "x]"])
def test_malformed_query_falls_back_to_plain_words(engine: SearchEngine, query: str) -> None:
    result = engine.search(query)
    assert result.note and result.note.startswith("malformed query")
    assert result.note.endswith("searched the plain words instead")


def test_malformed_query_still_finds_its_words(engine: SearchEngine) -> None:
    result = engine.search('"zebra crossing')
    assert result.note is not None
    assert [h.id for h in result.results] == ["2312.00001"]
    assert engine.search('"zebra crossing"').note is None


def test_markup_looking_text_is_only_words(engine: SearchEngine) -> None:
    result = engine.search("[red]is[/red]")
    assert result.note is not None  # brackets that are not a range
    markup = engine.search("<b>text</b>", limit=None)
    assert markup.note is None and "2407.00003" in [h.id for h in markup.results]  # plain words
    hit = engine.search("brackets", limit=1).results[0]
    assert hit.title == "Markup [red]is[/red] <b>text</b> here"
    assert "[bold]" in hit.snippet and "<i>tags</i>" in hit.snippet


def test_suggestion_for_a_typo_is_the_whole_corrected_query(engine: SearchEngine) -> None:
    result = engine.search("lotery")
    assert result.total > 0 and result.suggestion == "lottery"  # found as "lottery" anyway
    assert engine.search("lotery ticket").suggestion == "lottery ticket"
    assert engine.search("title:Lotery").suggestion == "title:Lottery"
    assert engine.search("lottery").suggestion is None
    assert engine.search("qqqqzzzz").suggestion is None


def test_a_fuzzy_word_that_finds_nothing_suggests_the_word_meant(engine: SearchEngine) -> None:
    typo = engine.search("lootteryy~1")
    assert typo.total == 0 and typo.suggestion == "lottery~1"
    assert engine.search("lottery~1").total > 0  # what the suggestion promises
    assert engine.search("title:lootteryy~1").suggestion == "title:lottery~1"


def test_sorts(engine: SearchEngine, corpus: dict[str, Paper]) -> None:
    by_date = ids(engine, "zebra", sort="date")
    assert by_date == ["2406.00002", "2312.00001", "2001.00004"]  # undated last
    by_title = ids(engine, "zebra", sort="title")
    keys = [corpus[i].title.casefold() for i in by_title]
    assert keys == sorted(keys)
    relevance = engine.search("pruning", limit=None)
    scores = [hit.score for hit in relevance.results]
    assert scores == sorted(scores, reverse=True)
    with pytest.raises(ValueError, match="unknown sort"):
        engine.search("zebra", sort="size")


def test_paging_and_totals(engine: SearchEngine) -> None:
    everything = ids(engine, "learning")
    first = engine.search("learning", limit=5)
    second = engine.search("learning", limit=5, offset=5)
    assert first.total == second.total == len(everything) > 10
    assert [h.id for h in first.results + second.results] == everything[:10]


def test_pages_of_tied_papers_follow_the_full_order(engine: SearchEngine) -> None:
    """A date range scores every paper alike: each page takes the next of the full order."""
    query = "date:[2023-01-01 to 2024-12-31]"
    everything = ids(engine, query)
    assert len({hit.score for hit in engine.search(query, limit=None).results}) == 1
    assert len(everything) == 4
    pages = [engine.search(query, limit=1, offset=k).results for k in range(len(everything))]
    assert [page[0].id for page in pages] == everything


def test_snippet_marks_matched_words(engine: SearchEngine) -> None:
    hit = engine.search("pruning", limit=1).results[0]
    assert f"{OPEN}" in hit.snippet and CLOSE in hit.snippet
    marked = hit.snippet.split(OPEN)[1].split(CLOSE)[0]
    assert marked.lower().startswith("prun")
    start, end = hit.highlights[0]
    assert hit.title[start:end].lower().startswith("prun")
    assert len(hit.snippet.replace(OPEN, "").replace(CLOSE, "")) <= 250


def test_result_dicts_have_the_contract_keys(engine: SearchEngine) -> None:
    result = engine.search("zebra")
    assert list(result.to_dict()) == [
        "query",
        "total",
        "took_ms",
        "suggestion",
        "results",
        "note",
        "sort",
    ]
    assert list(result.results[0].to_dict()) == [
        "id",
        "title",
        "authors",
        "date",
        "score",
        "snippet",
    ]


def test_allow_filters_by_id(engine: SearchEngine) -> None:
    assert ids(engine, "zebra", allow={"2001.00004", "nope"}) == ["2001.00004"]
    assert set(ids(engine, "zebra", allow=lambda pid: pid.startswith("2"))) == {
        "2312.00001",
        "2406.00002",
        "2001.00004",
    }
    assert engine.search("zebra", allow=set()).total == 0


def test_search_ids_lists_every_match_in_order(engine: SearchEngine) -> None:
    found, result = engine.search_ids("learning")
    assert found == ids(engine, "learning")
    assert result.total == len(found) and result.results == []
    dated, _ = engine.search_ids("zebra", sort="date")
    assert dated == ["2406.00002", "2312.00001", "2001.00004"]


MARKED = ["lotery tiket", "title:lottery pruning", "transform*", "lottery]"]


@pytest.mark.parametrize("query", MARKED)
def test_search_ids_gives_the_terms_to_mark(engine: SearchEngine, query: str) -> None:
    """The list marks what terms() would, without a second look-up of misspelt words."""
    _, result = engine.search_ids(query)
    assert result.terms == engine.terms(query)
    assert result.terms and "terms" not in result.to_dict()  # not in the CLI's JSON


def test_user_fields_are_searchable(engine: SearchEngine) -> None:
    assert ids(engine, "tag:reading-list") == ["2312.00001"]
    assert ids(engine, "note:dataset") == ["2312.00001"]
    assert ids(engine, "category:cs.LG") == ["2401.12345"]
    assert ids(engine, "source:2024-03") == ["2401.12345"]


def test_terms_are_the_analysed_words(engine: SearchEngine) -> None:
    assert engine.terms("Pruning networks") == ["network", "prune"]
    assert "lotteri" in engine.terms("lotery~")
    assert engine.terms("zebra NOT aardvark") == ["zebra"]


def test_empty_and_stopword_queries_find_nothing_quietly(engine: SearchEngine) -> None:
    for query in ["", "   ", "the of and"]:
        result = engine.search(query)
        assert result.total == 0 and result.note is None


def test_search_sees_writes_through_the_shared_searcher(tmp_path: Path) -> None:
    index = PaperIndex(tmp_path / "index")
    engine = SearchEngine(index, lambda ids: {})
    index.upsert([MADE[1]])
    assert ids(engine, "zebra") == ["2312.00001"]
    index.upsert([MADE[2]])
    assert set(ids(engine, "zebra")) == {"2312.00001", "2406.00002"}
    index.delete(["2312.00001"])
    assert ids(engine, "zebra") == ["2406.00002"]
    index.close()


def test_typos_follow_the_index_as_papers_come_and_go(tmp_path: Path) -> None:
    """The words for typos are kept in step with each commit (gathered_words.py), and a new
    engine on the index (the next process) reads them from their file."""
    index = PaperIndex(tmp_path / "index")
    index.open()
    index.rebuild(MADE, len(MADE), lambda pid: UserFields())
    engine = SearchEngine(index, lambda ids: {})
    assert engine.search("quokkka").suggestion is None
    assert engine.search("quokkka~1").total == 0
    quokka = Paper(id="2501.00005", title="Quokka Census", abstract="Counting quokkas.")
    index.upsert([quokka], lambda pid: UserFields())
    assert engine.search("quokkka").suggestion == "quokka"
    assert engine.search("quokkka~1").total == 1  # the fuzzy word's terms follow too
    assert SearchEngine(index, lambda ids: {}).search("quokkka").suggestion == "quokka"
    assert sorted(p.name for p in index.index_dir.glob("words-*.cache")) == [
        "words-_words.cache",
        "words-title+abstract.cache",
    ]
    index.delete([quokka.id])  # its words may stay held: a term no paper has is not offered
    assert engine.search("quokkka").suggestion is None
    assert engine.search("quokkka~1").total == 0
    assert SearchEngine(index, lambda ids: {}).search("quokkka").suggestion is None
    index.close()
