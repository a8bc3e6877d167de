"""Hugging Face upvotes as a time series per paper, so a paper can show its trend.

The store keeps only the latest count on the paper row (for sorting); this table keeps every
fetch's count in the same SQLite file, which is what "▲ 42, +17 since yesterday" needs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

_SCHEMA = """
CREATE TABLE IF NOT EXISTS upvote_history (
    paper_id TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    upvotes INTEGER NOT NULL,
    PRIMARY KEY (paper_id, fetched_at)
) WITHOUT ROWID
"""

Target = sqlite3.Connection | str | Path
Sample = tuple[str, int, "str | datetime"]  # (paper id, upvotes, when it was fetched)


class Trend(NamedTuple):
    """The latest count, and its change since the last count of the day before (or None)."""

    latest: int
    delta: int | None
    fetched_at: str | None = None  # when the latest count was fetched (UTC, ISO 8601)


def ensure_table(conn: sqlite3.Connection) -> None:
    conn.execute(_SCHEMA)


def utc_stamp(when: str | datetime) -> str:
    """One spelling for every timestamp (UTC, seconds), so text order is time order.

    A timestamp without a zone is taken as UTC; ValueError for text that is not ISO 8601.
    """
    moment = datetime.fromisoformat(when) if isinstance(when, str) else when
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def record(target: Target, samples: Iterable[Sample]) -> int:
    """Add one count per (paper, fetch time); a repeated pair keeps the newer count.

    Given a connection, the caller owns the transaction (the store calls this inside its
    own); given a path, the file is opened, written and committed here. Returns the rows
    written.
    """
    rows = [(pid, int(votes), utc_stamp(when)) for pid, votes, when in samples]
    if not rows:
        return 0
    with _connection(target, write=True) as conn:
        if conn is None:
            return 0
        ensure_table(conn)
        conn.executemany(
            "INSERT OR REPLACE INTO upvote_history(paper_id, upvotes, fetched_at) VALUES (?,?,?)",
            rows,
        )
    return len(rows)


def trend(target: Target, paper_id: str) -> Trend | None:
    """The paper's latest count and the change since the last count of the previous UTC day.

    "Yesterday" is the day before the latest fetch, so a library fetched last week still
    shows last week's movement rather than nothing. None when the paper has no counts.
    """
    with _connection(target, write=False) as conn:
        if conn is None:
            return None
        try:
            latest = conn.execute(
                "SELECT fetched_at, upvotes FROM upvote_history WHERE paper_id = ?"
                " ORDER BY fetched_at DESC LIMIT 1",
                (paper_id,),
            ).fetchone()
        except sqlite3.OperationalError:  # no table yet: nothing was ever recorded
            return None
        if latest is None:
            return None
        day = datetime.fromisoformat(latest[0]).replace(hour=0, minute=0, second=0)
        before = conn.execute(
            "SELECT upvotes FROM upvote_history WHERE paper_id = ? AND fetched_at >= ?"
            " AND fetched_at < ? ORDER BY fetched_at DESC LIMIT 1",
            (paper_id, utc_stamp(day - timedelta(days=1)), utc_stamp(day)),
        ).fetchone()
    return Trend(latest[1], latest[1] - before[0] if before else None, latest[0])


@contextmanager
def _connection(target: Target, *, write: bool) -> Iterator[sqlite3.Connection | None]:
    """The caller's connection as is, or one on the file at target (None: no file to read)."""
    if isinstance(target, sqlite3.Connection):
        yield target
        return
    path = Path(target)
    if not write and not path.exists():
        yield None
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30)
    try:
        with conn:
            yield conn
    finally:
        conn.close()
