"""A bucket of terms is written as TermWriter.add writes each of its terms, byte for byte
(reader.core.index.term_buckets)."""

from __future__ import annotations

import random
from array import array
from pathlib import Path

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import TEXT
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_ushort

from reader.core.index import whoosh_seam as seam
from reader.core.index.postings import TermSums, TermWriter, sums_of
from reader.core.index.term_buckets import _JOINED_FROM, TermBucket, write_bucket


def bucket_of(seed: int, terms: int, postings: list[int]) -> tuple[TermBucket, np.ndarray]:
    """Random terms' postings (each term's count one of `postings`) with what a library has
    and what it rarely has: a word more than 255 times in a paper, positions past 65,535;
    and the field's length of each document."""
    rng = random.Random(seed)
    lengths = np.array([rng.randrange(1, 200_000) for _ in range(500)], dtype=np.int64)
    names, bounds, docs, freqs, positions = [], [0], [], [], []
    for n in range(terms):
        names.append(f"term{n:05d}" + "é" * (n % 3))
        held = sorted(rng.sample(range(len(lengths)), rng.choice(postings)))
        for doc in held:
            freq = rng.choice([1, 1, 2, 3, 256, 300]) if n % 7 == 3 else rng.choice([1, 2])
            top = 70_000 if n % 5 == 1 else 60_000
            docs.append(doc)
            freqs.append(freq)
            positions += sorted(rng.sample(range(top), freq))
        bounds.append(len(docs))
    docs_a, freqs_a = np.array(docs), np.array(freqs)
    starts = np.array(bounds[:-1])
    held_lengths = lengths[docs_a]
    bucket = TermBucket(
        terms=names,
        bounds=np.array(bounds),
        docs=docs_a,
        freqs=freqs_a,
        positions=np.array(positions, dtype=np.uint32),
        shortest=np.minimum.reduceat(held_lengths, starts),
        longest=np.maximum.reduceat(held_lengths, starts),
    )
    return bucket, lengths


def written(folder: Path, write) -> dict[str, bytes]:
    """The segment files of one text field whose terms `write` adds to a TermWriter."""
    folder.mkdir()
    storage = FileStorage(str(folder))
    codec = W3Codec()
    segment = codec.new_segment(storage, "MAIN")
    fieldwriter = codec.field_writer(storage, segment)
    terms = TermWriter(fieldwriter)
    terms.start_field("abstract", TEXT())
    write(terms)
    terms.finish_field()
    fieldwriter.close()
    prefix = segment.make_filename("")
    return {name[len(prefix) :]: storage.open_file(name).read() for name in storage.list()}


# Postings a term has: few (names, ids: each byte of a bucket is placed) or many (an
# abstract's words: a bucket is joined from slices).
FEW = [1, 1, 2, 5, 40]
MANY = [1, 40, 100, 300]


@pytest.mark.parametrize(
    "seed, terms, postings",
    [(1, 1, FEW), (2, 30, FEW), (3, 5000, FEW), (6, 1, MANY), (7, 800, MANY)],
)
def test_a_bucket_is_written_as_its_terms_one_by_one(
    tmp_path: Path, seed: int, terms: int, postings: list[int]
) -> None:
    bucket, lengths = bucket_of(seed, terms, postings)
    boost = 1.5

    def one_by_one(out: TermWriter) -> None:
        at = 0
        for i, term in enumerate(bucket.terms):
            begin, end = bucket.bounds[i], bucket.bounds[i + 1]
            docs, freqs = bucket.docs[begin:end].tolist(), bucket.freqs[begin:end].tolist()
            count = sum(freqs)
            held = array("I", bucket.positions[at : at + count].tolist())
            at += count
            sums = sums_of(docs, freqs, array("I", lengths.tolist()))
            out.add(term.encode("utf-8"), docs, freqs, boost, sums, held)

    expected = written(tmp_path / "one", one_by_one)
    actual = written(tmp_path / "bucket", lambda out: write_bucket(out, bucket, boost))
    assert actual == expected
    assert sum(len(data) for data in actual.values()) > 100 * terms


@pytest.mark.parametrize("seed, terms, postings", [(3, 5000, FEW), (7, 800, MANY)])
def test_the_rare_cases_were_there(seed: int, terms: int, postings: list[int]) -> None:
    bucket, _ = bucket_of(seed, terms, postings)
    assert (np.diff(bucket.bounds) == 1).any()
    assert bucket.freqs.max() > 255
    assert bucket.positions.max() > 0xFFFF
    joined = len(bucket.docs) >= _JOINED_FROM * len(bucket.terms)
    assert joined == (postings is MANY)  # each way of laying out extents is tested


@pytest.mark.parametrize("postings", [FEW, MANY])
def test_a_bucket_without_positions_is_written_as_its_terms_one_by_one(
    tmp_path: Path, postings: list[int]
) -> None:
    """A keyword field's terms: one occurrence a document, no positions, not scored."""
    bucket, _ = bucket_of(4, 300, postings)
    bucket = bucket._replace(
        freqs=np.ones(len(bucket.docs), dtype=np.int64), positions=None, shortest=None, longest=None
    )

    def one_by_one(out: TermWriter) -> None:
        for i, term in enumerate(bucket.terms):
            docs = bucket.docs[bucket.bounds[i] : bucket.bounds[i + 1]].tolist()
            sums = TermSums(len(docs), 1, None, 0)
            out.add(term.encode("utf-8"), docs, b"\x01" * len(docs), 1.0, sums)

    expected = written(tmp_path / "one", one_by_one)
    assert written(tmp_path / "bucket", lambda out: write_bucket(out, bucket, 1.0)) == expected


def test_a_field_writers_terms_are_recorded_and_closed_as_whoosh_does(tmp_path: Path) -> None:
    """whoosh_seam.add_terms and close_field_writer write the terms file Whoosh's own term
    table writes (its add() for each term, then its close()), byte for byte: the records,
    their MD5 hashes and the hash tables (many keys share a bucket, so slots collide)."""
    rng = random.Random(5)
    keys = sorted(
        {bytes(rng.randrange(256) for _ in range(rng.randrange(1, 12))) for _ in range(3000)}
    )
    records = [
        (key, bytes(rng.randrange(256) for _ in range(rng.choice([0, 5, 35])))) for key in keys
    ]

    def terms_file(folder: Path, whooshs_own: bool) -> dict[str, bytes]:
        folder.mkdir()
        storage = FileStorage(str(folder))
        codec = W3Codec()
        segment = codec.new_segment(storage, "MAIN")
        fieldwriter = codec.field_writer(storage, segment)
        fieldwriter.start_field("abstract", TEXT())
        if whooshs_own:
            for btext, value in records:
                fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + btext, value)
            fieldwriter.finish_field()
            fieldwriter.close()
        else:
            seam.add_terms(fieldwriter, records[:1000])
            seam.add_terms(fieldwriter, records[1000:])
            fieldwriter.finish_field()
            seam.close_field_writer(fieldwriter)
        prefix = segment.make_filename("")
        return {name[len(prefix) :]: storage.open_file(name).read() for name in storage.list()}

    expected = terms_file(tmp_path / "whoosh", whooshs_own=True)
    assert terms_file(tmp_path / "seam", whooshs_own=False) == expected
    assert sum(map(len, expected.values())) > 12 * 2 * len(records)  # the tables are there
