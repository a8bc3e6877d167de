"""Sorting by upvotes: most first, papers without upvotes last, in searches and in browsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.library.facade import Library
from reader.core.model import Record
from reader.core.settings.config import SORTS, load_config

VOTED = [
    Record(
        title="Pruning transformers by lottery tickets",
        abstract="We prune attention heads and find winning tickets.",
        arxiv_id="2403.00001",
        upvotes=5,
        source="test:1",
    ),
    Record(
        title="Lottery tickets at scale",
        abstract="Winning tickets in large language models, pruned once.",
        arxiv_id="2403.00002",
        upvotes=42,
        source="test:2",
    ),
    Record(
        title="Ticket pruning without upvotes",
        abstract="A lottery ticket paper that nobody upvoted on a daily page.",
        arxiv_id="2403.00003",
        source="test:3",
    ),
    Record(
        title="Zero is still a count",
        abstract="A lottery paper with no votes at all yet.",
        arxiv_id="2403.00004",
        upvotes=0,
        source="test:4",
    ),
]
BY_VOTES = ["2403.00002", "2403.00001", "2403.00004"]


@pytest.fixture
def voted(sample_library: Library) -> Library:
    assert sample_library.import_items(VOTED).added == len(VOTED)
    return sample_library


def test_upvotes_is_a_sort_everywhere() -> None:
    assert SORTS == ("relevance", "date", "title", "upvotes")


def test_a_search_sorted_by_upvotes_puts_the_most_voted_first(voted: Library) -> None:
    ids, result = voted.search_ids("lottery", sort="upvotes")
    assert result.sort == "upvotes"
    assert ids[:3] == BY_VOTES
    assert "2403.00003" in ids[3:]  # no upvotes: after every paper that has a count
    page = voted.search("lottery", limit=2, sort="upvotes")
    assert [hit.id for hit in page.results] == BY_VOTES[:2]
    assert page.total == len(ids)


def test_papers_without_upvotes_keep_relevance_order(voted: Library) -> None:
    relevance, _ = voted.search_ids("lottery ticket")
    by_votes, _ = voted.search_ids("lottery ticket", sort="upvotes")
    unvoted = [pid for pid in by_votes if pid not in BY_VOTES]
    assert unvoted == [pid for pid in relevance if pid not in BY_VOTES]


def test_browsing_sorted_by_upvotes(voted: Library) -> None:
    ids, result = voted.search_ids("", sort="upvotes")
    assert ids[:3] == BY_VOTES
    assert len(ids) == result.total == voted.count()
    assert ids[3] == "2403.00003"  # then the rest, newest additions first
    unread, _ = voted.search_ids("is:unread", sort="upvotes")
    assert unread[:3] == BY_VOTES


def test_the_store_lists_only_papers_with_upvotes(voted: Library) -> None:
    assert voted.store.upvotes() == {"2403.00001": 5, "2403.00002": 42, "2403.00004": 0}


def test_default_sort_may_be_upvotes(tmp_path: Path) -> None:
    file = tmp_path / "config.yaml"
    file.write_text("default_sort: upvotes\n", encoding="utf-8")
    config, notices = load_config(file)
    assert (config.default_sort, notices) == ("upvotes", [])
