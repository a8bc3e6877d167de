"""Similar papers over the real sample library, its real index and store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reader.core.index.analysis import term_of, text_positions
from reader.core.library.facade import Library
from reader.core.model import Paper
from reader.core.search.similar import MAX_TERMS, key_terms, similar_papers, surface_words

LOTTERY = "Proving the Lottery Ticket Hypothesis: Pruning is All You Need"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """One sample library for the tests that only read it (an import takes seconds)."""
    library = Library.open(tmp_path_factory.mktemp("similar") / "data")
    library.import_sample()
    yield library
    library.close()


def paper_titled(library: Library, title: str) -> Paper:
    return next(p for p in library.store.iter_papers() if p.title == title)


def test_lottery_ticket_papers_are_like_each_other(sample: Library) -> None:
    paper = paper_titled(sample, LOTTERY)
    result = similar_papers(sample.index, paper, limit=5)
    assert result.id == paper.id and "lottery" in result.terms
    titles = [hit.title for hit in result.results]
    assert len(titles) == 5
    assert "When Layers Play the Lottery, all Tickets Win at Initialization" in titles
    assert "Logarithmic Pruning is All You Need" in titles
    assert all("lottery" in hit.terms and "ticket" in hit.terms for hit in result.results[:2])


def test_never_the_paper_itself_and_best_first(sample: Library) -> None:
    for paper in list(sample.store.iter_papers())[::40]:
        result = similar_papers(sample.index, paper, limit=8)
        assert paper.id not in {hit.id for hit in result.results}
        scores = [hit.score for hit in result.results]
        assert scores == sorted(scores, reverse=True)
        assert 0 < len(result.results) <= 8
        for hit in result.results:
            assert hit.title and hit.id


def test_key_terms_are_capped_shared_and_shown_as_written(sample: Library) -> None:
    paper = paper_titled(sample, LOTTERY)
    with sample.index.reading() as searcher:
        weights = key_terms(searcher, paper)
        reader = searcher.reader()
        for term in weights:  # a term only this paper has cannot make another paper similar
            assert reader.doc_frequency("abstract", term) >= 2 or (
                reader.doc_frequency("title", term) >= 2
            )
    assert 0 < len(weights) <= MAX_TERMS
    assert max(weights.values()) == 1.0
    shown = surface_words(paper)
    assert shown["lotteri"] == "lottery"  # the index term is stemmed; people read words


def test_a_paper_with_no_text_has_no_similar_papers(sample: Library) -> None:
    empty = Paper(id="t:empty", title="", abstract="")
    result = similar_papers(sample.index, empty)
    assert result.results == [] and result.terms == []


def test_a_paper_outside_the_library_still_finds_neighbours(sample: Library) -> None:
    """A paper not (yet) indexed has no document to leave out; its text is enough."""
    draft = Paper(
        id="t:draft",
        title="Winning lottery tickets in pruned subnetworks",
        abstract="We study the lottery ticket hypothesis: sparse subnetworks found by pruning "
        "train to full accuracy from their original initialization.",
    )
    result = similar_papers(sample.index, draft, limit=3)
    assert any("Lottery" in hit.title for hit in result.results)


def test_deleted_papers_are_not_suggested(sample_library: Library) -> None:
    paper = paper_titled(sample_library, LOTTERY)
    first = similar_papers(sample_library.index, paper, limit=3).results[0]
    sample_library.index.delete([first.id])
    again = similar_papers(sample_library.index, paper, limit=3)
    assert first.id not in {hit.id for hit in again.results}


def test_to_dict_is_plain_json_data(sample: Library) -> None:
    paper = paper_titled(sample, LOTTERY)
    data = similar_papers(sample.index, paper, limit=2).to_dict()
    assert set(data) == {"id", "title", "terms", "took_ms", "results"}
    assert set(data["results"][0]) == {"id", "title", "authors", "date", "score", "terms"}


def test_key_terms_are_topic_words_not_everyday_english(sample: Library) -> None:
    """Issue #21: in a small library, 'every' or 'need' is as rare as a topic word, so only a
    list of generic words keeps them out of the reasons `S` gives."""
    everyday = {"every", "need", "them", "within", "goes", "five", "type", "overview", "design"}
    seen: set[str] = set()
    for paper in list(sample.store.iter_papers())[::5]:
        result = similar_papers(sample.index, paper, limit=5)
        seen |= set(result.terms)
        assert not everyday & set(result.terms), (paper.title, result.terms)
    assert len(seen) > 200  # the walk saw many papers' terms, so the check had something to catch


def test_papers_alike_in_meaning_come_up_with_the_key_term_ones(sample: Library) -> None:
    """Vectors find papers on the same subject in other words: scaling-law papers for a
    scaling-law paper, whatever key terms they hold."""
    paper = paper_titled(sample, "Unified Scaling Laws for Routed Language Models")
    result = similar_papers(sample.index, paper, limit=6, abstracts=sample.store.abstracts)
    about_scaling = [hit for hit in result.results if "scaling" in hit.title.lower()]
    assert len(about_scaling) >= 3


def test_a_paper_sharing_no_key_term_shows_the_words_it_does_share(sample: Library) -> None:
    paper = paper_titled(sample, LOTTERY)
    result = similar_papers(sample.index, paper, limit=40, abstracts=sample.store.abstracts)
    bare = [hit for hit in result.results if not set(hit.terms) & set(result.terms)]
    assert bare  # the vectors bring papers that hold none of the key terms
    assert any(hit.terms for hit in bare)
    for hit in bare:
        held = text_positions(f"{hit.title} {sample.get(hit.id).abstract}")
        assert all(term_of(word) in held for word in hit.terms), hit.terms
