"""The size limits that keep an import's memory bounded, and how they are reported."""

from __future__ import annotations

# Line formats (Daily Papers text, JSON lines) are read a line at a time, each capped far
# above any real record (an arXiv row with thousands of authors is a few hundred KB).
MAX_LINE_BYTES = 4 * 1024 * 1024
# Whole-document formats (JSON, XML) are held in memory while parsed, so the file is capped.
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024


def over_long_reason(limit: int = MAX_LINE_BYTES) -> str:
    return f"line is longer than {limit // (1024 * 1024)} MiB; skipped without reading it"


def too_big(kind: str) -> str:
    size = MAX_DOCUMENT_BYTES // (1024 * 1024)
    return f"is larger than {size} MiB; {kind} documents that big are refused (split the file)"
