"""What a digest holds: new papers only, grouped (followed, saved searches, For you, the rest),
each once with every reason, muted ones left out and counted, and "since the last one"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from daily_library import fill, set_added

from reader.core.library.digest import make_digest, mark_made, parse_since
from reader.core.library.facade import Library

NOW = datetime(2024, 5, 2, 7, 0, tzinfo=UTC)
OLD = "2024-04-01T07:00:00+00:00"  # long before the last digest
NEW = "2024-05-02T06:00:00+00:00"  # an hour ago


@pytest.fixture
def daily(library: Library) -> Library:
    fill(library)
    set_added(library, {f"2401.0000{n}": OLD for n in range(1, 7)})
    set_added(library, {pid: NEW for pid in ("2401.00002", "2401.00003", "2401.00005")})
    set_added(library, {"2401.00006": NEW})
    return library


def test_sections_in_order_each_paper_once_with_every_reason(daily: Library) -> None:
    daily.watching.follow('author:"Yann LeCun"')
    daily.user.add_saved("ssm", "state space")
    daily.user.add_saved("surveys", "survey", sort="date")

    digest = make_digest(daily, since=NOW - timedelta(days=1), now=NOW)

    assert digest.new == 4 and digest.hidden == 0
    assert [(s.key, s.title) for s in digest.sections] == [
        ("followed", "Followed"),
        ("saved", "Saved search: ssm"),
        ("saved", "Saved search: surveys"),
        ("new", "Also new"),
    ]
    sections = {s.title: [e.id for e in s.entries] for s in digest.sections}
    assert sections["Followed"] == ["2401.00002"]  # an old LeCun paper is not new
    assert sections["Saved search: ssm"] == ["2401.00003"]
    assert sections["Saved search: surveys"] == ["2401.00005"]  # 00002 is listed already
    assert sections["Also new"] == ["2401.00006"]
    [lecun] = digest.sections[0].entries
    assert lecun.why == ['follows author:"Yann LeCun"', "saved search 'surveys'"]
    assert lecun.link == "https://arxiv.org/abs/2401.00002"
    assert lecun.authors == ["Yann LeCun", "Randall Balestriero"]
    assert lecun.blurb == "This survey reviews self-supervised learning methods."


def test_muted_papers_are_left_out_and_counted_unless_followed(daily: Library) -> None:
    daily.watching.mute("abstract:survey")
    digest = make_digest(daily, since=NOW - timedelta(days=1), now=NOW)
    assert {e.id for e in digest.entries} == {"2401.00003", "2401.00006"}
    assert digest.hidden == 2

    daily.watching.follow('author:"Yann LeCun"')  # stronger than the mute
    digest = make_digest(daily, since=NOW - timedelta(days=1), now=NOW)
    assert "2401.00002" in {e.id for e in digest.entries} and digest.hidden == 1


def test_since_the_last_digest(daily: Library) -> None:
    first = make_digest(daily, now=NOW)  # never made before: the last day
    assert first.since == NOW - timedelta(days=1) and first.new == 4
    mark_made(daily, first)
    assert daily.user.last_digest() == "2024-05-02T07:00:00Z"

    later = NOW + timedelta(hours=5)
    set_added(daily, {"2401.00001": "2024-05-02T09:00:00+00:00"})
    second = make_digest(daily, now=later)

    assert second.since == NOW and [e.id for e in second.entries] == ["2401.00001"]
    assert make_digest(daily, since=NOW - timedelta(days=60), now=later).new == 6


def test_a_section_shows_its_limit_and_counts_the_rest(daily: Library) -> None:
    digest = make_digest(daily, since=NOW - timedelta(days=60), now=NOW, limit=2)
    [rest] = digest.sections
    assert (len(rest.entries), rest.more) == (2, 4)


def test_for_you_comes_after_the_saved_searches_once_it_has_learned(library: Library) -> None:
    fill(library)
    set_added(library, {f"2401.0000{n}": NEW for n in range(1, 7)})
    library.user.add_saved("surveys", "survey")
    before = make_digest(library, now=NOW)  # nothing learned yet: no For you section
    library.user.set_bookmark("2401.00004", True)  # structured state spaces
    after = make_digest(library, now=NOW)

    assert [s.key for s in before.sections] == ["saved", "new"]
    assert [s.key for s in after.sections] == ["saved", "for-you", "new"]
    picks = after.sections[1].entries
    assert picks[0].id == "2401.00003"  # Mamba: the other state space paper
    assert "2401.00004" not in {e.id for e in picks}  # the user's own: not offered
    assert {"2401.00002", "2401.00005"}.isdisjoint(e.id for e in picks)  # in "surveys" already
    assert all(e.why and e.why[0].startswith("like ") for e in picks)


def test_parse_since() -> None:
    assert parse_since("1d", NOW) == NOW - timedelta(days=1)
    assert parse_since("12h", NOW) == NOW - timedelta(hours=12)
    assert parse_since("2w", NOW) == NOW - timedelta(weeks=2)
    assert parse_since("2024-05-01", NOW) == datetime(2024, 5, 1, tzinfo=UTC)
    assert parse_since("2024-05-01T07:30:00Z", NOW) == datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="not a time: 'yesterday'"):
        parse_since("yesterday", NOW)
