"""What a search answers: its hits, plain data that the CLI prints as JSON and the TUI lists."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hit:
    id: str
    title: str
    authors: list[str]
    date: str
    score: float
    snippet: str
    # (start, end) of the matched words in `title`, for the TUI's result list.
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "authors": list(self.authors),
            "date": self.date,
            "score": round(self.score, 4),
            "snippet": self.snippet,
        }


@dataclass
class SearchResult:
    query: str
    total: int
    took_ms: float
    suggestion: str | None
    results: list[Hit]
    note: str | None = None
    sort: str = "relevance"

    def to_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "total": self.total,
            "took_ms": round(self.took_ms, 2),
            "suggestion": self.suggestion,
            "results": [hit.to_dict() for hit in self.results],
            "note": self.note,
            "sort": self.sort,
        }
