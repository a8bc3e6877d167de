"""Plain words forgive typos and missing words; clauses and filters still hold (real library)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reader.core.index.analysis import term_of
from reader.core.library.facade import Library
from reader.core.model import Record
from reader.core.search.combine import intersection
from reader.core.search.evaluate import Evaluator
from reader.core.search.plain_words import Split, _every, _group, split
from reader.core.search.query_cost import PROBE_RATIO

FIELDS = {"title", "abstract", "abs", "tag", "tags", "date", "author", "by", "category", "id"}
LOTTERY = "Proving the Lottery Ticket Hypothesis: Pruning is All You Need"
HYDRA = "Hydra: Bidirectional State Space Models Through Generalized Matrix Mixers"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lotery ticket prunning", Split("lotery ticket prunning", "")),
        ("What's in a Prior?", Split("What's in a Prior?", "")),
        ("MMGP: a Mesh Morphing", Split("MMGP: a Mesh Morphing", "")),
        ("How to (re)warm your model", Split("How to (re)warm your model", "")),
        ("tag:survey  lotery date:2024", Split("lotery", "tag:survey date:2024")),
        ("date:[2023 TO 2024] pruning", Split("pruning", "date:[2023 TO 2024]")),
        ("Title:pruning lotery", Split("lotery", "Title:pruning")),
        ('"lottery ticket" pruning', None),
        ("lottery OR pruning", None),
        ("transf*", None),
        ("lotery~", None),
        ("transf?rmer", None),
        ("tag:survey", None),
        ("?!", None),
    ],
)
def test_split_keeps_the_query_language_where_it_is_used(text: str, expected: Split) -> None:
    assert split(text, FIELDS) == expected


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    library = Library.open(tmp_path_factory.mktemp("forgiving") / "data")
    library.import_sample()
    yield library
    library.close()


def titles(library: Library, query: str, limit: int = 5) -> list[str]:
    return [hit.title for hit in library.search(query, limit=limit).results]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("lotery ticket prunning", LOTTERY),
        ("hydra state space", HYDRA),
        ("hydra stat spcae", HYDRA),
        ("Provng the Lotery Tiket Hypotesis", LOTTERY),
        ("How to (re)warm your model?", None),  # a pasted title with syntax-like punctuation
    ],
)
def test_what_people_remember_finds_the_paper(sample: Library, query: str, title: str) -> None:
    found = titles(sample, query, 3)
    if title is None:
        assert found and found[0].startswith("Continual Pre-Training of Large Language Models")
    else:
        assert title in found, found


def test_a_typo_gets_results_and_a_did_you_mean(sample: Library) -> None:
    result = sample.search("lotery ticket prunning")
    assert result.total > 0 and result.suggestion == "lottery ticket pruning"
    assert "«lottery»" in " ".join(h.snippet for h in result.results).lower()
    clean = sample.search("lottery ticket pruning")
    assert clean.suggestion is None
    assert [h.id for h in clean.results[:3]] == [h.id for h in result.results[:3]]


def test_exact_spelling_ranks_above_a_near_one(sample: Library) -> None:
    """'running' is one edit from 'prunning' like 'pruning'; a paper with the typed word
    itself would rank first, and here no paper has it, so both kinds come back."""
    exact = sample.search("pruning", limit=None)
    fuzzy = sample.search("prunning", limit=None)
    assert fuzzy.total >= exact.total > 0
    top = {h.id for h in exact.results[:5]}
    assert top <= {h.id for h in fuzzy.results}


def test_every_word_must_match_while_some_paper_has_them_all(sample: Library) -> None:
    both = sample.search("lottery pruning", limit=None)
    lottery = {h.id for h in sample.search("lottery", limit=None).results}
    pruning = {h.id for h in sample.search("pruning", limit=None).results}
    assert {h.id for h in both.results} == lottery & pruning


def test_a_word_no_paper_has_with_the_rest_still_finds_it(sample: Library) -> None:
    assert titles(sample, f"{LOTTERY} photosynthesis", 1) == [LOTTERY]
    assert sample.search("zqxwvkjh").total == 0


def test_clauses_and_filters_still_restrict(sample: Library) -> None:
    lottery_ids = [h.id for h in sample.search("lottery ticket", limit=None).results]
    chosen = lottery_ids[1]
    sample.user.add_tags(chosen, ["reading-group"])
    tagged = sample.search("tag:reading-group lotery tiket", limit=None)
    assert [h.id for h in tagged.results] == [chosen]
    sample.user.set_bookmark(lottery_ids[2], True)
    marked = sample.search("is:bookmarked lotery", limit=None)
    assert [h.id for h in marked.results] == [lottery_ids[2]]


def test_search_ids_agrees_with_search(sample: Library) -> None:
    ids, result = sample.search_ids("lotery ticket prunning")
    page = sample.search("lotery ticket prunning", limit=None)
    assert ids == [h.id for h in page.results] and result.total == page.total == len(ids)
    assert result.suggestion == "lottery ticket pruning"


def test_highlight_terms_include_the_corrections(sample: Library) -> None:
    terms = sample.engine.terms("lotery tag:x")
    assert "lotteri" in terms and "loteri" not in terms
    assert sample.engine.terms('"lottery ticket"') == ["lotteri", "ticket"]  # syntax: as is


def test_the_query_language_is_unchanged(sample: Library) -> None:
    strict = sample.search("title:lotery")
    assert strict.total == 0 and strict.suggestion == "title:lottery"
    phrase = sample.search('"lottery ticket hypothesis"', limit=None)
    assert phrase.total >= 1 and all("«" in h.snippet for h in phrase.results)


def test_dates_and_read_state_combine_with_typos(library: Library) -> None:
    library.import_items(
        [
            Record(title=f"Winning lottery tickets, {year} edition", published=f"{year}-05-01")
            for year in (2019, 2022, 2024)
        ]
    )
    assert len(library.search("lotery tikets", limit=None).results) == 3
    recent = library.search("date:[2022 TO 2025] lotery tikets", limit=None)
    assert sorted(h.date for h in recent.results) == ["2022-05-01", "2024-05-01"]
    assert recent.suggestion == "date:[2022 TO 2025] lottery tickets"
    library.user.set_read(recent.results[0].id, True)
    unread = library.search("is:unread date:[2022 TO 2025] lotery", limit=None)
    assert [h.id for h in unread.results] == [recent.results[1].id]


@pytest.mark.parametrize(
    "words",
    [["lottery", "model"], ["hydra", "state", "the", "models"], ["language", "models", "training"]],
)
def test_rare_words_first_scores_as_every_word_scored_whole(
    sample: Library, words: list[str]
) -> None:
    """Common words probed for the rare word's papers give the papers and scores that scoring
    every posting and intersecting gives."""
    groups = [_group([(term, 1.0)]) for term in filter(None, map(term_of, words))]
    with sample.index.reading() as searcher:
        evaluator = Evaluator(searcher)
        whole = intersection([evaluator.run(group).scores for group in groups])
        probed = _every(Evaluator(searcher), groups, None)
    assert whole and probed.keys() == whole.keys()
    assert all(probed[d] == pytest.approx(whole[d], rel=1e-12) for d in whole)


def test_common_words_are_probed_not_scored_whole(sample: Library) -> None:
    """The rare word's few papers make the common word's postings a bisection each."""
    with sample.index.reading() as searcher:
        evaluator = Evaluator(searcher)
        rare = evaluator.run(_group([("lotteri", 1.0)])).scores
        common = evaluator.run(_group([("model", 1.0)])).scores
        assert len(common) > PROBE_RATIO * len(rare) * 2
        probed = evaluator.run_within(_group([("model", 1.0)]), rare)
    # Lists too short to probe come whole, so other papers may come with part of their
    # score (the caller intersects): the rare word's papers have the whole of it.
    assert len(probed) < len(common)
    assert {d: probed.get(d) for d in rare} == {d: common.get(d) for d in rare}
