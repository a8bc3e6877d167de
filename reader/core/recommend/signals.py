"""What the user has told reader about papers, as signals of what they want to read.

Bookmarks, tags and notes are strong signals (the user kept the paper, or worked on it), a
read mark is a weak one (the paper was opened, and held for a moment), and "not for me" (a
dismissal) is a negative one. They come from the user's own files, as they are now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.userdata import UserData

STRONG = 1.0
WEAK = 0.3
# How a signal is named in a reason, strongest first: "like 2 papers you bookmarked".
KINDS = ("bookmarked", "tagged", "noted", "read")
_WEIGHTS = {"bookmarked": STRONG, "tagged": STRONG, "noted": STRONG, "read": WEAK}


@dataclass(slots=True)
class Signals:
    positive: dict[str, float] = field(default_factory=dict)  # paper id -> weight
    kind: dict[str, str] = field(default_factory=dict)  # paper id -> its strongest signal
    dismissed: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.positive)

    def seen(self) -> set[str]:
        """Papers For you never offers: those the user has a signal about."""
        return set(self.positive) | self.dismissed


def gather(user: UserData) -> Signals:
    """The user's signals now (their files re-read where another process changed them)."""
    user.refresh()
    held = {
        "bookmarked": user.bookmarks(),
        "tagged": set(user.tagged()),
        "noted": user.ids_with_notes(),
        "read": user.read_ids(),
    }
    signals = Signals(dismissed=user.dismissed())
    for kind in KINDS:  # strongest first: a paper's first kind is its strongest
        for paper_id in sorted(held[kind] - signals.dismissed):
            if paper_id not in signals.positive:
                signals.positive[paper_id] = _WEIGHTS[kind]
                signals.kind[paper_id] = kind
    return signals
