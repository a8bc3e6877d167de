"""Term-number streams give the postings analysis gives, per document: author names here,
text fields through their chunks in test_paper_chunks.py."""

from __future__ import annotations

from functools import cache

import numpy as np
from name_terms import name_positions  # tests/fixtures/index (pytest's pythonpath)

from reader.core import importers
from reader.core.index import term_streams
from reader.core.index.term_streams import TermNumbers, TermStream
from reader.core.library.sample import sample_files
from reader.core.model import Record

TRICKY = [
    "",
    "   ",
    "the of a",  # stop words only: no postings, length 0
    "The pruning of the pruned networks, pruning again (SciML) x.y.z",
    "of the a.b a.b a.b 3.14 x*y Ünïcödé façade — naïve CAFÉ e\u0301t\u00e9",
    "model model, model; (model) MODEL",
]


@cache
def sample() -> list[Record]:
    return [r for f in sample_files() for r in importers.read_path(f) if isinstance(r, Record)]


Postings = dict[str, list[tuple[int, int, list[int]]]]  # term -> [(doc, freq, positions)]


def expected_postings(per_doc: list[dict[str, list[int]]]) -> Postings:
    out: Postings = {}
    for doc, positions in enumerate(per_doc):
        for term, poses in positions.items():
            out.setdefault(term, []).append((doc, len(poses), poses))
    return dict(sorted(out.items()))


def taken(stream: TermStream, lengths: list[int]) -> Postings:
    """The stream's postings; each term's shortest and longest document are checked on the
    way."""
    out: Postings = {}
    for bucket in stream.take():
        at = 0
        for i, term in enumerate(bucket.terms):
            begin, end = bucket.bounds[i], bucket.bounds[i + 1]
            docs, freqs = bucket.docs[begin:end].tolist(), bucket.freqs[begin:end].tolist()
            rows = []
            for doc, freq in zip(docs, freqs, strict=True):
                rows.append((doc, freq, bucket.positions[at : at + freq].tolist()))
                at += freq
            held = [lengths[doc] for doc in docs]
            assert (bucket.shortest[i], bucket.longest[i]) == (min(held), max(held))
            out[term] = rows
        assert at == len(bucket.positions)
    return out


def test_author_postings_keep_the_gaps_between_names(monkeypatch) -> None:
    monkeypatch.setattr(term_streams, "_SLICE", 5)
    monkeypatch.setattr(term_streams, "_BUCKET", 3)
    names = [r.authors for r in sample()] + [
        [],
        ["Ada Lovelace", "Alan Turing", "Ada"],
        ["ADA lovelace", "Ünïcödé Façade-Naïve", "e\u0301t\u00e9 É.T.É.", "  ", "x*y O'Brien"],
    ]
    stream = TermStream(TermNumbers(), explicit=True)
    for authors in names:
        stream.add_names(authors)
    told = stream.lengths().tolist()
    per_doc = [name_positions(authors) for authors in names]
    assert told == [sum(map(len, p.values())) for p in per_doc]
    assert taken(stream, told) == expected_postings(per_doc)


def test_a_stream_is_read_once() -> None:
    numbers = TermNumbers()
    stream = TermStream(numbers)
    stream.add_terms(np.array([numbers.number("prune"), numbers.number("network")]),
                     np.array([2]), np.array([0]))  # fmt: skip
    stream.take()
    assert len(stream) == 0


def test_more_terms_than_sixteen_bits_come_out_in_order() -> None:
    """A bucket's terms are sorted by their ranks in 16 bits: a stream of more terms than
    that, each in few places, still gives every term its own documents, in term order."""
    count = (1 << 16) + 300
    stream = TermStream(TermNumbers(), explicit=True)
    for doc in range(count):  # document d holds the term of d, and of d // 2 (reversed order)
        stream.add_names([f"w{count - doc:06d} w{count - doc // 2:06d}"])
    buckets = list(stream.take())
    assert all(len(bucket.terms) <= 1 << 16 for bucket in buckets)
    terms = [term for bucket in buckets for term in bucket.terms]
    assert terms == sorted(terms) and len(terms) == count
    docs = {}
    for bucket in buckets:
        for i, term in enumerate(bucket.terms):
            docs[term] = bucket.docs[bucket.bounds[i] : bucket.bounds[i + 1]].tolist()
    expected: dict[str, list[int]] = {}
    for doc in range(count):
        for term in dict.fromkeys((f"w{count - doc:06d}", f"w{count - doc // 2:06d}")):
            expected.setdefault(term, []).append(doc)
    assert docs == expected
