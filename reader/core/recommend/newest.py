"""For you before there is anything to learn from: the newest papers, most upvoted first."""

from __future__ import annotations

import json
from collections.abc import Callable

from reader.core.recommend.results import ForYouHit
from reader.core.store import Store

_BATCH = 200  # papers read at a time while some are hidden

# Newest first by the paper's date (papers without one after, newest additions first among
# them); on the same date the most upvoted first, papers without upvotes last.
_ORDER = "(published != '') DESC, published DESC, (upvotes IS NULL), upvotes DESC, rowid DESC"


def newest(
    store: Store, seen: set[str], limit: int, hidden: Callable[[str], bool] | None
) -> list[ForYouHit]:
    """The `limit` newest papers the user has no signal about (nor `hidden` hides)."""
    hits: list[ForYouHit] = []
    skip = json.dumps(sorted(seen))
    offset = 0
    while len(hits) < limit:
        with store.lock:
            rows = store.conn.execute(
                "SELECT id, title, published, upvotes FROM papers"
                " WHERE id NOT IN (SELECT value FROM json_each(?))"
                f" ORDER BY {_ORDER} LIMIT ? OFFSET ?",
                (skip, _BATCH, offset),
            ).fetchall()
        offset += len(rows)
        for paper_id, title, published, upvotes in rows:
            if hidden is None or not hidden(paper_id):
                hits.append(ForYouHit(paper_id, title, 0.0, _why(published, upvotes)))
        if len(rows) < _BATCH:
            break
    return hits[:limit]


def _why(published: str, upvotes: int | None) -> str:
    parts = [f"new ({published})" if published else "new"]
    if upvotes is not None:
        parts.append(f"▲ {upvotes}")
    return ", ".join(parts)
