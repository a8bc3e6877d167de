"""Follows and mutes on a real library: which papers they pick, `is:followed` / `is:muted`, and
feeds that hide muted papers (counted) while typed searches never do."""

from __future__ import annotations

import pytest
from daily_library import fill

from reader.core.library.facade import Library
from reader.core.library.watching import author_query
from reader.core.paths import DataPaths

LECUN = 'author:"Yann LeCun"'


@pytest.fixture
def daily(library: Library) -> Library:
    return fill(library)


def ids(sequence: object) -> set[str]:
    return set(sequence)  # type: ignore[call-overload]


def test_a_followed_author_marks_their_papers(daily: Library) -> None:
    done = daily.watching.follow(LECUN)

    assert (done.entry.query, done.fresh, done.matches) == (LECUN, True, 2)
    assert daily.watching.followed_ids() == {"2401.00001", "2401.00002"}
    assert daily.watching.following("2401.00002") == [LECUN]
    assert daily.watching.following("2401.00006") == []
    found = daily.search("is:followed", limit=None)
    assert {hit.id for hit in found.results} == {"2401.00001", "2401.00002"}
    assert daily.count_matching("is:followed convolutional") == 1


def test_a_followed_phrase_and_the_author_query_helper(daily: Library) -> None:
    assert author_query('  Yann  "LeCun" ') == 'author:"Yann LeCun"'
    daily.watching.follow('title:"state spaces"')
    assert daily.watching.followed_ids() == {"2401.00003", "2401.00004"}


def test_a_query_that_does_not_parse_is_refused_with_the_note_search_gives(daily: Library) -> None:
    with pytest.raises(ValueError, match=r"malformed query \(unclosed quote\)"):
        daily.watching.follow('title:"state space')
    with pytest.raises(ValueError, match="is:followed"):
        daily.watching.mute("is:followed survey")
    with pytest.raises(ValueError, match="empty"):
        daily.watching.follow("   ")
    assert daily.watching.follows() == [] and daily.watching.mutes() == []


def test_a_follow_that_finds_nothing_yet_is_kept_with_a_suggestion(daily: Library) -> None:
    done = daily.watching.follow("difusion")
    assert done.matches == 0 or done.suggestion  # plain words forgive the typo, or suggest
    assert [q.query for q in daily.watching.follows()] == ["difusion"]


def test_feeds_hide_muted_papers_and_say_how_many(daily: Library) -> None:
    daily.watching.mute("abstract:survey")
    muted = {"2401.00002", "2401.00005"}
    assert daily.watching.muted_ids() == muted

    everything = daily.watching.feed_ids("")  # All papers: from the store, no index
    assert ids(everything.ids) == {f"2401.0000{n}" for n in (1, 3, 4, 6)}
    assert (everything.hidden, everything.result.total) == (2, 4)
    unread = daily.watching.feed_ids("is:unread")
    assert unread.hidden == 2 and not ids(unread.ids) & muted
    saved = daily.watching.feed_ids("language models", sort="date")  # a saved search's query
    assert "2401.00005" not in ids(saved.ids) and saved.hidden == 1
    assert daily.watching.feed_count("") == 4
    assert daily.watching.hide_muted(["2401.00005", "2401.00006"]) == ["2401.00006"]


def test_typed_searches_and_hand_made_lists_never_hide_muted_papers(daily: Library) -> None:
    daily.watching.mute("abstract:survey")
    daily.user.set_bookmark("2401.00005", True)
    daily.user.queue.add(["2401.00002"])

    assert "2401.00005" in ids(daily.search_ids("language models")[0])  # typed
    for query in ("is:bookmarked", "is:queued", "is:muted", "has:note"):
        assert daily.watching.hidden_by_mutes(query) == frozenset(), query
    assert ids(daily.search_ids("is:muted")[0]) == {"2401.00002", "2401.00005"}


def test_a_follow_is_stronger_than_a_mute(daily: Library) -> None:
    daily.watching.mute("abstract:survey")
    daily.watching.follow(LECUN)  # LeCun's survey stays in the feeds

    feed = daily.watching.feed_ids("")
    assert "2401.00002" in ids(feed.ids) and "2401.00005" not in ids(feed.ids)
    assert feed.hidden == 1


def test_answers_are_kept_until_the_index_changes(daily: Library) -> None:
    daily.watching.follow(LECUN)
    first = daily.watching.matches(LECUN)
    assert daily.watching.matches(LECUN) is first  # kept: no search ran again

    fill(daily, [("2402.00001", "Joint Embedding Predictive Architectures", ["Yann LeCun"], "")])

    assert daily.watching.matches(LECUN) == first | {"2402.00001"}
    assert "2402.00001" in daily.watching.followed_ids()


def test_queries_with_filters_are_answered_afresh(daily: Library) -> None:
    daily.watching.follow("is:bookmarked")
    assert daily.watching.followed_ids() == frozenset()
    daily.user.set_bookmark("2401.00006", True)
    assert daily.watching.followed_ids() == {"2401.00006"}


def test_a_hand_written_follow_asking_for_itself_matches_nothing(paths: DataPaths) -> None:
    (paths.user_dir).mkdir(parents=True)
    (paths.user_dir / "follows.yaml").write_text("- is:followed\n- diffusion\n")
    library = fill(Library(paths))
    try:
        assert library.watching.followed_ids() == {"2401.00006"}
    finally:
        library.close()


def test_the_queue_lists_in_queue_order(daily: Library) -> None:
    daily.user.queue.add(["2401.00006", "2401.00001", "2401.00004"])
    assert list(daily.search_ids("is:queued")[0]) == ["2401.00006", "2401.00001", "2401.00004"]
    assert list(daily.search_ids("is:queued state", sort="title")[0]) == ["2401.00004"]
    assert list(daily.search_ids("is:queued", sort="title")[0]) == [  # another sort: that order
        "2401.00001",
        "2401.00006",
        "2401.00004",
    ]


def test_mute_suggestions_are_the_papers_key_terms(daily: Library) -> None:
    suggestions = daily.watching.mute_suggestions("2401.00005")
    assert all(s.startswith("abstract:") for s in suggestions)
