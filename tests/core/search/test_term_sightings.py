"""A hit's snippet and title marks look only for the terms its paper may hold, and are the
marks that every matched term gives."""

from __future__ import annotations

import pytest

from reader.core.library.facade import Library
from reader.core.search import term_sightings
from reader.core.search.snippets import match_spans, snippet

QUERIES = [
    "model~1",
    "lottery model",
    "pruning~2",
    "tokens~1 agent~1",
    "lanuage~1 OR diffusion",
    "title:transformer~1 abstract:memory",
    "reasoning~1 NOT video",
    "prun* lottery~1",
    '"large language" model~1',
]


@pytest.mark.parametrize("rare", [term_sightings.RARE, 3])
def test_every_hit_is_marked_as_all_the_terms_would_mark_it(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch, rare: int
) -> None:
    monkeypatch.setattr(term_sightings, "RARE", rare)  # 3: most terms are not recorded
    for query in QUERIES:
        _, listed = sample_library.search_ids(query)
        terms = set(listed.terms)
        result = sample_library.search(query, limit=None)
        assert result.total, query
        abstracts = sample_library.store.abstracts([hit.id for hit in result.results])
        for hit in result.results:
            assert hit.snippet == snippet(abstracts[hit.id], terms), (query, hit.id)
            assert hit.highlights == match_spans(hit.title, terms), (query, hit.id)


def test_a_fuzzy_hit_looks_for_its_own_spellings_only(sample_library: Library) -> None:
    """The point of it: `model~1` matches spellings that most papers lack."""
    with sample_library.index.reading() as searcher:
        from reader.core.search.evaluate import Evaluator

        evaluator = Evaluator(searcher)
        from whoosh import query as wq

        found = evaluator.run(
            wq.Or([wq.FuzzyTerm("title", "model", maxdist=1), wq.FuzzyTerm("abstract", "model")])
        )
    terms = {term for _, term in found.terms}
    assert len(terms) > 3
    held = found.sightings.holders(terms, ("title", "abstract"))
    assert all(held(docnum) < terms for docnum in found.scores)
