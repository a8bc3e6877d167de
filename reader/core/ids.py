"""Paper identity: the arXiv id when known, otherwise a stable id from the normalized title."""

from __future__ import annotations

import hashlib
import re

from reader.core.text import normalize_title

# New-style ids (2401.12345, 0704.0001: YYMM.NNNN(N)) and old-style ones (hep-th/9901001,
# math.GT/0309136: archive[.SC]/YYMMNNN). A version suffix (v2) is dropped.
_NEW = re.compile(r"(?<![\d.])(\d{2}(0[1-9]|1[0-2])\.\d{4,5})(?:v\d+)?(?![\d])")
_OLD = re.compile(
    r"(?<![\w.-])([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})(?:v\d+)?(?!\d)"
)

TITLE_ID_PREFIX = "t:"


def arxiv_id(text: str | None) -> str | None:
    """The versionless arXiv id inside text (a bare id, an abs/pdf URL, 'arXiv:...'), or None."""
    if not text:
        return None
    text = text.strip()
    match = _NEW.search(text)
    if match:
        return match.group(1)
    match = _OLD.search(text)
    return match.group(1) if match else None


def title_id(title: str) -> str:
    """A stable id for a paper known only by its title; the same for any spelling that
    normalizes alike, so re-imports and other layouts find the same paper."""
    return norm_title_id(normalize_title(title))


def norm_title_id(norm: str) -> str:
    """title_id() of an already normalized title (an import has it at hand)."""
    digest = hashlib.sha1(norm.encode("utf-8")).hexdigest()
    return f"{TITLE_ID_PREFIX}{digest[:12]}"


def is_title_id(paper_id: str) -> bool:
    return paper_id.startswith(TITLE_ID_PREFIX)
