"""A new segment's positional fields as streams of term numbers, grouped into postings at the end.

Keeping each term's postings in its own growing arrays cost a dict lookup and three appends
per term of every document, in Python. Here a document's field only extends one array with its
tokens' term numbers (text fields a block of documents at a time, from their chunks:
paper_chunks.py; author names word by word, at their positions), and `take()` sorts the
whole stream once with numpy: by term (in the order Whoosh writes terms), then document, then
position, as the stream was appended. The postings, counts and positions are those
`analysis.text_positions` gives a text, document by document; an author name's are its words
folded, at their places, NAME_GAP places between two names.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import numpy as np

from reader.core.index.analysis import NAME_GAP, TOKEN, fold
from reader.core.index.term_buckets import TermBucket

_SLICE = 1 << 20  # stream tokens ranked, or searched for a range of terms, at once
_BUCKET = 1 << 18  # tokens sorted at once (about 50 bytes each meanwhile)
_RANKS = 1 << 16  # terms a bucket holds at most: their ranks in it fit 16 bits


class TermNumbers(dict[str, int]):
    """Term -> its number in this segment (numbers are dense, in first-seen order)."""

    def __init__(self) -> None:
        super().__init__()
        self._ranked: tuple[list[str], np.ndarray] | None = None

    def number(self, term: str) -> int:
        found = self.get(term)
        if found is None:
            found = self[term] = len(self)
        return found

    def ranked(self) -> tuple[list[str], np.ndarray]:
        """The terms in Whoosh's order, and each number's rank in it. A segment's fields
        share their numbers, and take() their streams one after another once every document
        is in: the terms are sorted once for them all."""
        if self._ranked is None or len(self._ranked[0]) != len(self):
            by_rank = sorted(self)
            rank = np.zeros(len(by_rank), dtype=np.uint32)
            rank[[self[term] for term in by_rank]] = np.arange(len(by_rank))
            self._ranked = by_rank, rank
        return self._ranked


class _WordNumbers(dict[str, int]):
    """A name's word -> its term's number (the word folded, never stemmed nor stopped)."""

    def __init__(self, numbers: TermNumbers) -> None:
        super().__init__()
        self._numbers = numbers

    def __missing__(self, word: str) -> int:
        found = self[word] = self._numbers.number(fold(word))
        return found


class TermStream:
    """One positional field of a segment: its documents' kept tokens (stop words dropped),
    in order, 4 bytes each."""

    def __init__(self, numbers: TermNumbers, explicit: bool = False) -> None:
        self._numbers = numbers
        self._tokens = array("I")
        self._ends = array("I")  # where each document's tokens end in _tokens
        # Whoosh's StopFilter renumbers: a document's first kept token keeps its place among
        # all tokens (after `lead` stop words), the kept tokens after it follow one by one.
        self._leads = array("I")
        # Author names give their own positions (gaps between names); text is numbered.
        self._positions: array[int] | None = array("I") if explicit else None
        self._words = _WordNumbers(numbers) if explicit else None

    def __len__(self) -> int:
        return len(self._tokens)

    def lengths(self) -> np.ndarray:
        """Each document's length in the field (its tokens, stop words not counted)."""
        return np.diff(self._end_array(), prepend=0)

    def _end_array(self) -> np.ndarray:
        return np.frombuffer(self._ends, dtype=np.uint32).astype(np.int64)

    def add_terms(self, tokens: np.ndarray, counts: np.ndarray, leads: np.ndarray) -> None:
        """The next documents' kept tokens' term numbers, one document after another, with
        how many each has and its lead (reader.core.index.paper_chunks makes them)."""
        ends = len(self._tokens) + np.cumsum(counts)
        self._tokens.frombytes(tokens.astype(np.uint32).tobytes())
        self._ends.frombytes(ends.astype(np.uint32).tobytes())
        self._leads.frombytes(leads.astype(np.uint32).tobytes())

    def add_names(self, names: Iterable[str]) -> None:
        """The next document's author names: each word (analysis.TOKEN) folded, at its place,
        NAME_GAP places between two names. A name's words go in one by one, in order (take()
        sorts them by term, stably), each word's term number remembered."""
        assert self._positions is not None and self._words is not None
        number = self._words.__getitem__
        base = 0
        for name in names:
            words = TOKEN.findall(name)
            self._tokens.extend(map(number, words))
            self._positions.extend(range(base, base + len(words)))
            base += len(words) + NAME_GAP
        self._ends.append(len(self._tokens))

    def take(self) -> Iterator[TermBucket]:
        """Every term's postings in sorted term order, a bucket of terms at a time. The stream
        is emptied: it is read once, when the segment is written."""
        by_rank, rank = self._numbers.ranked()
        keys = np.frombuffer(self._tokens, dtype=np.uint32)
        for begin in range(0, len(keys), _SLICE):  # term numbers become ranks, in place
            keys[begin : begin + _SLICE] = rank[keys[begin : begin + _SLICE]]
        ends = self._end_array()
        lengths = np.diff(ends, prepend=0)
        if self._positions is not None:
            positions = np.frombuffer(self._positions, dtype=np.uint32)
            place = Places(ends, ends - lengths, None, positions)
        else:
            leads = np.frombuffer(self._leads, dtype=np.uint32)
            place = Places(ends, ends - lengths, leads, None)
        self._tokens, self._ends, self._leads = array("I"), array("I"), array("I")
        self._positions = None
        return _postings(by_rank, keys, place, lengths)


class Places(NamedTuple):
    """Where a stream's tokens are: in which document, at which position."""

    ends: np.ndarray  # where each document's tokens end in the stream
    starts: np.ndarray  # where they begin
    leads: np.ndarray | None  # text: each document's first position (then one by one)
    positions: np.ndarray | None  # names: each token's own position

    def of(self, places: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document, position) of the tokens at these places of the stream (ascending),
        taken in `order`. As the places ascend, a token's document is how many documents
        end at or before it: the ends are found among the places, a search per document
        rather than per token."""
        passed = np.bincount(np.searchsorted(places, self.ends), minlength=len(places) + 1)
        docs = np.cumsum(passed[: len(places)])[order]
        tokens = places[order]
        if self.positions is not None:
            return docs, self.positions[tokens]
        return docs, (self.leads[docs] + (tokens - self.starts[docs])).astype(np.uint32)


def _postings(
    by_rank: list[str], keys: np.ndarray, place: Places, lengths: np.ndarray
) -> Iterator[TermBucket]:
    """The postings of each term, in rank order: the tokens of a range of terms at a time
    are sorted by term (stably, so documents and positions stay in order), never the whole
    stream at once."""
    if not len(keys):
        return
    ends = np.cumsum(np.bincount(keys, minlength=len(by_rank)))
    low = 0
    while low < len(by_rank):
        start = ends[low - 1] if low else 0
        high = max(int(np.searchsorted(ends, start + _BUCKET, side="right")), low + 1)
        high = min(high, low + _RANKS)
        chosen = _places_of(keys, low, high)
        if len(chosen):
            # Ranks from the bucket's first, in 16 bits: numpy sorts those by radix, stably.
            order = np.argsort((keys[chosen] - low).astype(np.uint16), kind="stable")
            docs, positions = place.of(chosen, order)
            yield _bucket(by_rank, keys[chosen[order]], docs, positions, lengths)
        low = high


def _places_of(keys: np.ndarray, low: int, high: int) -> np.ndarray:
    """Where the stream holds the terms ranked low to high - 1, ascending. Found a slice at a
    time: a mask of the whole stream held three bytes a token at once, in every worker."""
    found = []
    for begin in range(0, len(keys), _SLICE):
        part = keys[begin : begin + _SLICE]
        found.append(np.flatnonzero((part >= low) & (part < high)) + begin)
    return np.concatenate(found)


def _bucket(
    by_rank: list[str],
    keys: np.ndarray,
    docs: np.ndarray,
    positions: np.ndarray,
    lengths: np.ndarray,
) -> TermBucket:
    """The postings of tokens sorted by term, then document, then position; `lengths` the
    field's length by document."""
    first = np.ones(len(keys), dtype=bool)  # a posting's first token
    first[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
    starts = np.flatnonzero(first)
    posting_docs = docs[starts]
    posting_keys = keys[starts]
    bounds = np.flatnonzero(np.r_[True, posting_keys[1:] != posting_keys[:-1]])  # terms' starts
    held = lengths[posting_docs]
    return TermBucket(
        terms=[by_rank[key] for key in posting_keys[bounds].tolist()],
        bounds=np.append(bounds, len(starts)),
        docs=posting_docs,
        freqs=np.diff(starts, append=len(keys)),
        positions=positions,
        shortest=np.minimum.reduceat(held, bounds),
        longest=np.maximum.reduceat(held, bounds),
    )
