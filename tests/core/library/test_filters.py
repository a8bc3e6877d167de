from datetime import UTC, datetime

from reader.core.library.filters import split_filters


def test_filters_are_taken_out_of_the_query() -> None:
    f = split_filters(
        "is:unread transformer has:note IS:Bookmarked added:7d", datetime(2026, 1, 8, tzinfo=UTC)
    )
    assert f.query == "transformer"
    assert (f.unread, f.has_note, f.bookmarked) == (True, True, True)
    assert f.added_since == "2026-01-01T00:00:00+00:00"


def test_words_that_only_look_like_filters_stay() -> None:
    f = split_filters("title:is:unread this:is ok")
    assert f.query == "title:is:unread this:is ok"
    assert not f.any


def test_the_daily_loops_marks_are_filters_too() -> None:
    f = split_filters("is:followed diffusion IS:Muted is:queued")
    assert f.query == "diffusion"
    assert (f.followed, f.muted, f.queued) == (True, True, True)
    assert f.uses_user_data and f.any
    plain = split_filters("added:3d transformers")
    assert plain.any and not plain.uses_user_data  # the store alone answers added:
