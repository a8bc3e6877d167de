"""A new segment's terms written a bucket at a time: each term's extent (postings.py's format)
and record made for the whole bucket in a few numpy calls.

Most terms of a segment have a posting or two (the id field has one term a paper), and making
each one's extent and record in Python, term by term, was most of the time writing a segment
took. Here each kind of part (documents, counts, positions, trailers) is made for the whole
bucket at once, then laid out term by term one of two ways: placed byte by byte by index
arithmetic, which costs nothing a term but a few index entries a byte (a bucket of ids or
names), or joined from slices of each kind's bytes, a few slices a term however many postings
it has (an abstract's words, which have many). The bytes are those TermWriter.add writes term
by term (tests/core/index/test_term_writer.py), which merges still use. Only writing loads
this module, and with it numpy.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from reader.core.index.column_files import length_bytes
from reader.core.index.postings import MAGIC, TRAILER, TermWriter

# An extent's trailer (postings.TRAILER), for a bucket's terms at once.
_TRAILERS = np.dtype(
    [("magic", "S4"), ("count", "<u4"), ("npos", "<u4"), ("width", "u1"), ("counted", "u1")]
)
# Postings a term has, on average in its bucket, from which the bucket's extents are joined
# from slices (an abstract's words), not placed byte by byte (ids, dates, names).
_JOINED_FROM = 64
# A term's record as W3TermInfo.to_bytes() packs it (not inlined: the extent's place follows).
_RECORDS = np.dtype(
    [("inlined", "u1"), ("weight", ">f4"), ("df", ">u4"), ("minlength", "u1"),
     ("maxlength", "u1"), ("maxweight", ">f4"), ("minid", ">u4"), ("maxid", ">u4"),
     ("offset", ">i8"), ("length", ">i4")]
)  # fmt: skip


class TermBucket(NamedTuple):
    """A range of a field's terms with their postings, as whole arrays: a new segment writes
    its fields a bucket of terms at a time (term_streams.py). In a text field every posting
    has at least one position; other fields have none, and are not scored."""

    terms: list[str]  # in order, at least one
    bounds: np.ndarray  # term i's postings are [bounds[i], bounds[i + 1])
    docs: np.ndarray  # each posting's document, ascending within its term
    freqs: np.ndarray  # how often its term occurs in it
    positions: np.ndarray | None  # every posting's positions in posting order (text fields)
    shortest: np.ndarray | None  # each term's shortest document: its length (scored fields)
    longest: np.ndarray | None  # and longest


def write_bucket(out: TermWriter, bucket: TermBucket, weight: float) -> None:
    """A bucket of terms of the field `out` is writing, each written as TermWriter.add writes
    it; `weight` what one occurrence weighs (the field's boost)."""
    extents, sizes = _extents_of(bucket)
    first, last = bucket.bounds[:-1], bucket.bounds[1:] - 1
    records = np.zeros(len(bucket.terms), dtype=_RECORDS)
    records["weight"] = np.add.reduceat(bucket.freqs, first) * weight
    records["df"] = np.diff(bucket.bounds)
    if bucket.shortest is not None and bucket.longest is not None:
        records["minlength"] = length_bytes(bucket.shortest)
        records["maxlength"] = length_bytes(bucket.longest)
    records["maxweight"] = np.maximum.reduceat(bucket.freqs, first) * weight
    records["minid"] = bucket.docs[first]
    records["maxid"] = bucket.docs[last]
    records["offset"] = out.end + np.cumsum(sizes) - sizes
    records["length"] = sizes
    raw, size = records.tobytes(), _RECORDS.itemsize
    out.add_made(
        extents,
        [
            (term.encode("utf-8"), raw[at : at + size])
            for term, at in zip(bucket.terms, range(0, len(raw), size), strict=True)
        ],
    )


class _Layout(NamedTuple):
    """How each term's extent in a bucket is laid out (postings.py's _extent_of)."""

    counts: np.ndarray  # postings
    counted: np.ndarray  # 1 if its exact counts follow the capped ones
    npos: np.ndarray  # positions
    wide: np.ndarray  # 4 bytes a position, not 2
    width: np.ndarray  # bytes a position: 2, 4, or 0 without positions
    token_bounds: np.ndarray | None  # term i's positions are [token_bounds[i], ...[i + 1])
    sizes: np.ndarray  # bytes, trailer included

    @classmethod
    def of(cls, bucket: TermBucket) -> _Layout:
        bounds, freqs, positions = bucket.bounds, bucket.freqs, bucket.positions
        counts = np.diff(bounds)
        counted = (np.maximum.reduceat(freqs, bounds[:-1]) > 255).astype(np.int64)
        if positions is None:
            token_bounds = None
            npos = width = np.zeros(len(counts), dtype=np.int64)
            wide = np.zeros(len(counts), dtype=bool)
        else:
            token_bounds = np.concatenate(([0], np.cumsum(freqs)))[bounds]
            npos = np.diff(token_bounds)
            wide = np.maximum.reduceat(positions, token_bounds[:-1]) > 0xFFFF
            width = np.where(wide, 4, 2)
        sizes = 5 * counts + 4 * counts * counted + width * npos + TRAILER.size
        return cls(counts, counted, npos, wide, width, token_bounds, sizes)

    def trailers(self) -> np.ndarray:
        """Each term's trailer (postings.TRAILER)."""
        trailers = np.zeros(len(self.counts), dtype=_TRAILERS)
        trailers["magic"], trailers["count"], trailers["npos"] = MAGIC, self.counts, self.npos
        trailers["width"], trailers["counted"] = self.width, self.counted
        return trailers


def _extents_of(bucket: TermBucket) -> tuple[bytes, np.ndarray]:
    """The bucket's terms' extents one after another, each laid out as postings.py's
    _extent_of lays it out, and their sizes."""
    layout = _Layout.of(bucket)
    if len(bucket.docs) >= _JOINED_FROM * len(bucket.terms):
        return _joined(bucket, layout), layout.sizes
    return _placed(bucket, layout), layout.sizes


def _joined(bucket: TermBucket, layout: _Layout) -> bytes:
    """The extents as a join of their parts, cut from each kind's bytes made whole: a few
    slices a term, whatever its postings."""
    bounds = bucket.bounds.tolist()
    docs = memoryview(bucket.docs.astype("<u4").tobytes())
    capped = memoryview(np.minimum(bucket.freqs, 255).astype(np.uint8).tobytes())
    exact = memoryview(bucket.freqs.astype("<u4").tobytes()) if layout.counted.any() else None
    trailers = memoryview(layout.trailers().tobytes())
    narrow = wide = memoryview(b"")
    token_bounds: list[int] = []  # none without positions
    if bucket.positions is not None and layout.token_bounds is not None:
        narrow = memoryview(bucket.positions.astype("<u2").tobytes())
        if layout.wide.any():
            wide = memoryview(bucket.positions.astype("<u4").tobytes())
        token_bounds = layout.token_bounds.tolist()
    parts: list[memoryview] = []
    add = parts.append
    size = TRAILER.size
    for term, (counted, is_wide) in enumerate(
        zip(layout.counted.tolist(), layout.wide.tolist(), strict=True)
    ):
        first, end = bounds[term], bounds[term + 1]
        add(docs[4 * first : 4 * end])
        add(capped[first:end])
        if counted and exact is not None:
            add(exact[4 * first : 4 * end])
        if token_bounds:
            begin, stop = token_bounds[term], token_bounds[term + 1]
            add(wide[4 * begin : 4 * stop] if is_wide else narrow[2 * begin : 2 * stop])
        add(trailers[size * term : size * term + size])
    return b"".join(parts)


def _placed(bucket: TermBucket, layout: _Layout) -> bytes:
    """The extents with every part of every one placed by index arithmetic: no Python a
    term, but a few index entries a byte."""
    bounds, freqs, positions = bucket.bounds, bucket.freqs, bucket.positions
    counts, counted, npos, sizes = layout.counts, layout.counted, layout.npos, layout.sizes
    terms = np.arange(len(counts))
    bases = np.cumsum(sizes) - sizes
    out = np.empty(int(sizes.sum()), dtype=np.uint8)
    of_posting = np.repeat(terms, counts)
    nth = np.arange(len(freqs)) - bounds[:-1][of_posting]  # a posting's place in its term
    _place(out, bases[of_posting] + 4 * nth, bucket.docs.astype("<u4"))
    out[(bases + 4 * counts)[of_posting] + nth] = np.minimum(freqs, 255)
    exact = counted[of_posting] == 1
    if exact.any():
        at = (bases + 5 * counts)[of_posting] + 4 * nth
        _place(out, at[exact], freqs[exact].astype("<u4"))
    if positions is not None and layout.token_bounds is not None:
        token_bounds, wide = layout.token_bounds, layout.wide
        of_token = np.repeat(terms, npos)
        nth = np.arange(len(positions)) - token_bounds[:-1][of_token]
        at = (bases + 5 * counts + 4 * counts * counted)[of_token]
        narrow = ~wide[of_token]
        _place(out, at[narrow] + 2 * nth[narrow], positions[narrow].astype("<u2"))
        if wide.any():
            _place(out, at[~narrow] + 4 * nth[~narrow], positions[~narrow].astype("<u4"))
    _place(out, bases + sizes - TRAILER.size, layout.trailers())
    return out.tobytes()


def _place(out: np.ndarray, at: np.ndarray, values: np.ndarray) -> None:
    """Write each value's bytes into `out` from its place in `at`."""
    width = values.dtype.itemsize
    out[(at[:, None] + np.arange(width)).ravel()] = values.view(np.uint8)
