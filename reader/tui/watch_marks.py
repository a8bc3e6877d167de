"""Which papers the user's follows and mutes pick, as the main thread paints them.

Finding them means running each followed or muted query (a search), so a worker does it
(DailyCommands.rewatch) and hands the answer over in one piece; the list's marker column and
the detail pane then ask here, a set lookup per row. Until the first answer (and in a library
with no follows or mutes) nothing is marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Picked = Sequence[tuple[str, frozenset[str]]]  # (query, the ids it finds now), query order


@dataclass(frozen=True, slots=True)
class WatchMarks:
    follows: Picked = ()
    mutes: Picked = ()
    followed: frozenset[str] = field(init=False)
    muted: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "followed", _union(self.follows))
        object.__setattr__(self, "muted", _union(self.mutes))

    def is_followed(self, paper_id: str) -> bool:
        return paper_id in self.followed

    def is_muted(self, paper_id: str) -> bool:
        """Muted and not kept by a follow (a follow is stronger than a mute)."""
        return paper_id in self.muted and paper_id not in self.followed

    def following(self, paper_id: str) -> list[str]:
        """The followed queries that find this paper: why it is marked."""
        return [query for query, ids in self.follows if paper_id in ids]

    def muted_by(self, paper_id: str) -> list[str]:
        return [query for query, ids in self.mutes if paper_id in ids]


def _union(picked: Picked) -> frozenset[str]:
    found: set[str] = set()
    for _, ids in picked:
        found |= ids
    return frozenset(found)
