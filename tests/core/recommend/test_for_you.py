"""For you with simulated users on the real sample: a reader of one topic keeps papers of it,
a new page is imported, and its papers of that topic should come first.

A topic is the sample papers whose titles match a pattern (diffusion models, mathematics,
continual learning, model merging); the sample's four saved Daily Papers pages are its
"days". Ranks are compared among the new page's papers only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader.core.library.facade import Library
from reader.core.model import Paper, Record
from reader.core.paths import DataPaths
from reader.core.recommend import NO_SIGNALS

TOPICS = {
    "diffusion": r"diffusion",
    "math": r"math",
    "continual": r"continual|forgetting",
    "merging": r"merg",
}


def on(topic: str, paper: Paper) -> bool:
    return re.search(TOPICS[topic], paper.title.lower()) is not None


def first_source(paper: Paper) -> str:
    return Path(paper.sources[0].rsplit(":", 1)[0]).name


@contextmanager
def reader_of(
    tmp_path: Path, seeds: list[Path], new_page: str, keep: Callable[[Paper], bool]
) -> Iterator[tuple[Library, list[Paper]]]:
    """A library of every page but `new_page`, the papers `keep` picks bookmarked, then
    `new_page` imported: the library and the new page's papers."""
    library = Library(DataPaths.resolve(tmp_path / "data"))
    try:
        library.import_paths([seed for seed in seeds if seed.name != new_page])
        for paper in library.store.iter_papers():
            if keep(paper):
                library.user.set_bookmark(paper.id, True)
        library.import_paths([seed for seed in seeds if seed.name == new_page])
        new = [
            paper
            for paper in library.store.iter_papers()
            if first_source(paper) == new_page and not library.user.is_bookmarked(paper.id)
        ]
        yield library, new
    finally:
        library.close()


def ranks_of(library: Library, new: list[Paper], wanted: Callable[[Paper], bool]) -> list[float]:
    """Where the wanted new papers are among the new papers For you lists (0: first, 1:
    last), every paper asked for."""
    result = library.for_you(limit=library.count())
    assert result.learned and result.note is None
    ids = {paper.id for paper in new}
    order = [hit.id for hit in result.results if hit.id in ids]
    assert len(order) == len(new)  # every new paper is offered, each once
    by_id = {paper.id: paper for paper in new}
    return [order.index(p) / (len(order) - 1) for p in order if wanted(by_id[p])]


@pytest.mark.parametrize(
    ("topic", "new_page"),
    [
        ("diffusion", "001_d79a91feee10d0d7.txt"),
        ("math", "001_d79a91feee10d0d7.txt"),
        ("continual", "000_37692cc544caa02a.txt"),
        ("merging", "000_37692cc544caa02a.txt"),
    ],
)
def test_a_topics_new_papers_come_first(
    tmp_path: Path, seeds: list[Path], topic: str, new_page: str
) -> None:
    with reader_of(tmp_path, seeds, new_page, lambda p: on(topic, p)) as (library, new):
        ranks = ranks_of(library, new, lambda p: on(topic, p))
    assert ranks, "the new page has papers of the topic"
    # By chance the topic's papers would sit in the middle (0.5) on average.
    assert sum(ranks) / len(ranks) <= 0.2, ranks
    assert min(ranks) <= 0.1, ranks


def test_a_reader_of_two_topics_gets_both(tmp_path: Path, seeds: list[Path]) -> None:
    def keep(paper: Paper) -> bool:
        return on("diffusion", paper) or on("continual", paper)

    with reader_of(tmp_path, seeds, "001_d79a91feee10d0d7.txt", keep) as (library, new):
        ranks = {
            t: ranks_of(library, new, lambda p, t=t: on(t, p)) for t in ("diffusion", "continual")
        }
    for topic, found in ranks.items():
        assert min(found) <= 0.1, (topic, found)


def test_dismissed_papers_never_come_back_and_their_topic_sinks(
    tmp_path: Path, seeds: list[Path]
) -> None:
    """A reader of diffusion papers who also read some mathematics papers, then says "not
    for me" to the mathematics ones: new mathematics papers sink, the dismissed never show."""
    new_page = "001_d79a91feee10d0d7.txt"
    with reader_of(tmp_path, seeds, new_page, lambda p: on("diffusion", p)) as (library, new):
        old_math = [p for p in library.store.iter_papers() if on("math", p) and p not in new]
        for paper in old_math:
            library.user.set_read(paper.id, True)
        before = ranks_of(library, new, lambda p: on("math", p))
        for paper in old_math:
            library.user.set_read(paper.id, False)
            assert library.dismiss(paper.id) == paper.id
        after = ranks_of(library, new, lambda p: on("math", p))
        assert sum(after) / len(after) > sum(before) / len(before) + 0.1, (before, after)
        library.import_paths([seed for seed in seeds if seed.name != new_page])  # again
        offered = {hit.id for hit in library.for_you(limit=library.count()).results}
        assert not offered & {paper.id for paper in old_math}
        library.dismiss(old_math[0].id, undo=True)
        offered = {hit.id for hit in library.for_you(limit=library.count()).results}
        assert old_math[0].id in offered


def test_each_paper_says_what_it_is_like(tmp_path: Path, seeds: list[Path]) -> None:
    with reader_of(tmp_path, seeds, "001_d79a91feee10d0d7.txt", lambda p: on("diffusion", p)) as (
        library,
        _,
    ):
        kept = {p.title for p in library.store.iter_papers() if library.user.is_bookmarked(p.id)}
        read = next(p for p in library.store.iter_papers() if on("math", p))
        library.user.set_read(read.id, True)
        result = library.for_you(limit=10)
    assert len(result.results) == 10
    top = result.results[0]
    assert top.reason.startswith("like ") and "you bookmarked: " in top.reason
    assert any(title[:40] in top.reason for title in kept)
    assert read.id not in {hit.id for hit in result.results}  # read papers are not offered
    scores = [hit.score for hit in result.results]
    assert scores == sorted(scores, reverse=True)
    assert result.to_dict()["results"][0].keys() == {"id", "title", "score", "reason"}


def test_hidden_papers_are_left_out(tmp_path: Path, seeds: list[Path]) -> None:
    with reader_of(tmp_path, seeds, "001_d79a91feee10d0d7.txt", lambda p: on("diffusion", p)) as (
        library,
        _,
    ):
        first = [hit.id for hit in library.for_you(limit=5).results]
        hidden = set(first[:2])
        again = library.for_you(limit=5, hidden=hidden.__contains__)
    assert not hidden & {hit.id for hit in again.results}
    assert [hit.id for hit in again.results][:3] == first[2:5]


def test_without_signals_the_newest_come_first_and_it_says_so(paths: DataPaths) -> None:
    library = Library(paths)
    records = [
        Record(title="Old paper on graphs", abstract="Graphs.", published="2023-01-02"),
        Record(title="New paper, few votes", abstract="Votes.", published="2024-05-01", upvotes=3),
        Record(title="New paper, many votes", abstract="More.", published="2024-05-01", upvotes=40),
        Record(title="A paper with no date", abstract="Undated."),
    ]
    library.import_items(records)
    result = library.for_you(limit=10)
    assert result.note == NO_SIGNALS and not result.learned
    assert [hit.title for hit in result.results] == [
        "New paper, many votes",
        "New paper, few votes",
        "Old paper on graphs",
        "A paper with no date",
    ]
    assert result.results[0].reason == "new (2024-05-01), ▲ 40"
    library.dismiss(result.results[0].id)
    assert "New paper, many votes" not in {h.title for h in library.for_you(limit=10).results}
    library.close()
