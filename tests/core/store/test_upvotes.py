"""Upvote history: a count per fetch in the store file, and the trend the detail pane shows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.core.store.upvotes import Trend, record, trend, utc_stamp


def test_trend_is_latest_and_change_since_the_day_before(tmp_path: Path) -> None:
    store = tmp_path / "papers.sqlite3"
    written = record(
        store,
        [
            ("2303.06296", 10, "2024-03-10T08:00:00+00:00"),
            ("2303.06296", 25, "2024-03-10T20:00:00+00:00"),  # yesterday's last count
            ("2303.06296", 30, "2024-03-11T07:00:00+00:00"),
            ("2303.06296", 42, "2024-03-11T09:30:00+00:00"),
            ("2211.15661", 5, "2024-03-11T09:30:00+00:00"),
        ],
    )
    assert written == 5
    assert trend(store, "2303.06296") == Trend(42, 17, "2024-03-11T09:30:00+00:00")
    assert trend(store, "2303.06296")[:2] == (42, 17)  # a plain tuple for callers too
    assert trend(store, "2211.15661")[:2] == (5, None)  # no count from the day before
    assert trend(store, "9999.99999") is None


def test_an_older_count_is_not_yesterday(tmp_path: Path) -> None:
    store = tmp_path / "papers.sqlite3"
    record(store, [("p", 3, "2024-03-01T10:00:00Z"), ("p", 9, "2024-03-11T10:00:00Z")])
    assert trend(store, "p")[:2] == (9, None)


def test_timestamps_are_normalized_to_utc(tmp_path: Path) -> None:
    store = tmp_path / "papers.sqlite3"
    # 01:00 in UTC+02:00 is 23:00 UTC the day before: it counts as "yesterday".
    record(store, [("p", 4, "2024-03-11T01:00:00+02:00"), ("p", 6, datetime(2024, 3, 11, 9))])
    assert trend(store, "p")[:2] == (6, 2)
    assert utc_stamp("2024-03-11T01:00:00+02:00") == "2024-03-10T23:00:00+00:00"
    with pytest.raises(ValueError):
        utc_stamp("yesterday")


def test_the_same_fetch_twice_keeps_one_row(tmp_path: Path) -> None:
    store = tmp_path / "papers.sqlite3"
    when = datetime(2024, 3, 11, 9, tzinfo=UTC)
    record(store, [("p", 4, when)])
    record(store, [("p", 5, when)])
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT upvotes FROM upvote_history").fetchall() == [(5,)]


def test_a_connection_leaves_the_transaction_to_the_caller(tmp_path: Path) -> None:
    store = tmp_path / "papers.sqlite3"
    conn = sqlite3.connect(store)
    record(conn, [("p", 7, "2024-03-11T09:00:00Z")])
    conn.rollback()  # the caller's transaction failed: nothing of it stays
    assert trend(conn, "p") is None
    record(conn, [("p", 8, "2024-03-11T09:00:00Z")])
    conn.commit()
    conn.close()
    assert trend(store, "p")[:2] == (8, None)


def test_reading_or_recording_nothing_never_creates_a_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    assert trend(missing, "p") is None
    assert record(missing, []) == 0
    assert not missing.exists()
    with sqlite3.connect(tmp_path / "empty.sqlite3") as conn:  # a store without the table yet
        assert trend(conn, "p") is None
