"""Why a paper is offered: the signalled papers it is like, and the key terms they share.

"like 2 papers you bookmarked and 1 you read: Title A; Title B; Title C (shared: pruning,
lottery)". The terms are words both the paper and those papers hold, weighted as key terms
are (tf-idf): how often the papers use the word, times how rare it is in the library.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from math import log

from reader.core.index import word_spans
from reader.core.recommend.signals import KINDS

SHOWN_TERMS = 3
_TITLE_CHARS = 60
_YOU = {"bookmarked": "bookmarked", "tagged": "tagged", "noted": "took notes on", "read": "read"}

Frequency = Callable[[str], int]  # an index term -> how many papers hold it


class Words:
    """A text's index terms, how often each occurs, and each as first written."""

    def __init__(self, text: str) -> None:
        self.counts: Counter[str] = Counter()
        self.shown: dict[str, str] = {}
        for start, end, term in word_spans(text):
            if term is not None and term.isalpha() and len(term) >= 3:
                self.counts[term] += 1
                self.shown.setdefault(term, text[start:end].lower())


def shared_terms(paper: Words, others: list[Words], frequency: Frequency, papers: int) -> list[str]:
    """The words `paper` shares with `others`, as written, the strongest key terms first."""
    theirs: Counter[str] = Counter()
    for other in others:
        theirs.update(other.counts)
    common = paper.counts.keys() & theirs.keys()
    # A word in more than a tenth of a big library names no topic ("results", "model").
    ceiling = max(papers // 10, 20)

    def weight(term: str) -> float:
        found = frequency(term)
        rarity = log((papers + 1) / (found + 1)) if found <= ceiling else 0.0
        return (paper.counts[term] + theirs[term]) * rarity

    ranked = sorted((term for term in common if weight(term) > 0), key=lambda t: (-weight(t), t))
    return [paper.shown[term] for term in ranked[:SHOWN_TERMS]]


def reason(kinds: list[str], titles: list[str], shared: list[str]) -> str:
    """The reason for one paper: the kinds and titles of the signals it is most like, and
    the key terms it shares with them."""
    counts = Counter(kinds)
    groups = [(kind, counts[kind]) for kind in KINDS if counts[kind]]
    parts = []
    for i, (kind, count) in enumerate(groups):
        noun = ("paper " if count == 1 else "papers ") if i == 0 else ""
        parts.append(f"{count} {noun}you {_YOU[kind]}")
    lead = f"like {_and(parts)}"
    shown = "; ".join(_short(title) for title in titles)
    text = f"{lead}: {shown}"
    if shared:
        text += f" (shared: {', '.join(shared)})"
    return text


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= _TITLE_CHARS else title[: _TITLE_CHARS - 1].rstrip() + "…"
