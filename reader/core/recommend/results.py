"""What For you answers: plain data the CLI prints, the MCP server returns and the app lists."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ForYouHit:
    id: str
    title: str
    score: float
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "reason": self.reason,
        }


@dataclass(slots=True)
class ForYouResult:
    results: list[ForYouHit] = field(default_factory=list)
    # One line to show above the list, e.g. that there are no signals yet (then the list is
    # the newest papers, not a ranking learned from the user).
    note: str | None = None
    learned: bool = False  # ranked from the user's signals (False: the newest papers)
    took_ms: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {"results": [hit.to_dict() for hit in self.results]}
