"""Vector files: written whole, read back row for row, and refused when they do not fit."""

from __future__ import annotations

from array import array
from pathlib import Path

import numpy as np
import pytest

from reader.core.vectors import (
    VectorFile,
    VectorFileError,
    VectorWriter,
    model_fingerprint,
    paper_text,
    shared_model,
    to_codes,
    to_int8,
    unit,
    write_selected,
)
from reader.core.vectors.header import CODE_BYTES, DIM, HEADER_SIZE

PAPERS = [
    ("Lottery tickets in pruned networks", "Sparse subnetworks train to full accuracy."),
    ("Scaling laws for language models", "Loss falls as a power law of compute."),
    ("", ""),
    ("Grokking", "Generalisation long after the training set is memorised."),
]


class Numbered(dict[str, bytes]):
    """Chunk -> its number in a writer, as the bytes the segment builder gives it."""

    def __init__(self, writer: VectorWriter) -> None:
        super().__init__()
        self._writer = writer

    def __missing__(self, chunk: str) -> bytes:
        found = self[chunk] = array("I", (self._writer.number(chunk),)).tobytes()
        return found

    def of(self, title: str, abstract: str) -> bytes:
        return b"".join(map(self.__getitem__, paper_text(title, abstract).split()))


def written(path: Path, papers=PAPERS, known=None) -> VectorFile:
    writer = VectorWriter()
    numbered = Numbered(writer)
    for i, (title, abstract) in enumerate(papers):
        writer.add(numbered.of(title, abstract), (known or {}).get(i))
    writer.write(path)
    return VectorFile.open(path, len(papers))


def test_rows_and_codes_are_the_texts_vectors(tmp_path: Path) -> None:
    vectors = written(tmp_path / "a.vec")
    expected = shared_model().embed([f"{t}\n{a}" for t, a in PAPERS])
    rows = vectors.rows(np.arange(len(PAPERS)))
    assert rows.dtype == np.int8 and rows.shape == (len(PAPERS), DIM)
    assert (rows == to_int8(expected)).all()
    assert (vectors.codes(np.arange(len(PAPERS))) == to_codes(expected)).all()
    cosines = (unit(rows) * expected).sum(axis=1)
    assert cosines[[0, 1, 3]].min() > 0.999  # int8 costs almost nothing
    assert vectors.fingerprint == model_fingerprint()
    assert (tmp_path / "a.vec").stat().st_size == HEADER_SIZE + len(PAPERS) * (CODE_BYTES + DIM)


def test_rows_read_in_any_order_and_in_blocks(tmp_path: Path) -> None:
    vectors = written(tmp_path / "a.vec")
    every = vectors.rows(np.arange(len(PAPERS)))
    assert (vectors.rows(np.array([3, 0])) == every[[3, 0]]).all()
    blocks = [(start, rows.copy()) for start, rows in vectors.blocks(size=3)]
    assert [start for start, _ in blocks] == [0, 3]
    assert (np.concatenate([rows for _, rows in blocks]) == every).all()


def test_a_known_vector_is_kept_as_given(tmp_path: Path) -> None:
    """A re-indexed paper whose text did not change brings its vector: not embedded again."""
    other = written(tmp_path / "other.vec")
    row, code = other.rows(np.array([1]))[0], other.codes(np.array([1]))[0]
    kept = written(tmp_path / "kept.vec", known={0: (row.tobytes(), code.tobytes())})
    assert (kept.rows(np.array([0]))[0] == row).all()
    assert (kept.rows(np.array([1, 3])) == other.rows(np.array([1, 3]))).all()


def test_selected_rows_of_several_files_make_one_in_order(tmp_path: Path) -> None:
    first, second = written(tmp_path / "1.vec"), written(tmp_path / "2.vec", PAPERS[::-1])
    write_selected(tmp_path / "m.vec", [(first, np.array([0, 3])), (second, np.array([1]))])
    merged = VectorFile.open(tmp_path / "m.vec", 3)
    expected = np.concatenate([first.rows(np.array([0, 3])), second.rows(np.array([1]))])
    assert (merged.rows(np.arange(3)) == expected).all()
    assert merged.fingerprint == first.fingerprint


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda data: data[:-1], "cut short"),
        (lambda data: b"NOTVECS\n" + data[8:], "not a vector file"),
        (lambda data: b"", "not a vector file"),
    ],
)
def test_a_damaged_file_is_refused_with_its_reason(tmp_path: Path, damage, why: str) -> None:
    path = tmp_path / "a.vec"
    written(path)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(VectorFileError, match=why):
        VectorFile.open(path)


def test_a_file_for_another_number_of_documents_is_refused(tmp_path: Path) -> None:
    written(tmp_path / "a.vec")
    with pytest.raises(VectorFileError, match="4 rows for 5 documents"):
        VectorFile.open(tmp_path / "a.vec", 5)
    with pytest.raises(VectorFileError, match="missing"):
        VectorFile.open(tmp_path / "none.vec")


def test_vectors_supplied_later_in_any_pieces_land_in_order(tmp_path: Path) -> None:
    """A writer made with later=True takes the vectors of its papers without one afterwards,
    in pieces that need not match its blocks; the papers with a known vector keep it."""
    count = 2500  # more than one block of rows
    rows = np.random.default_rng(7).integers(-128, 128, (count, DIM), dtype=np.int8)
    codes = np.random.default_rng(8).integers(0, 256, (count, CODE_BYTES), dtype=np.uint8)
    known = {i for i in range(count) if i % 9 == 0}
    given, later = VectorWriter(), VectorWriter(later=True)
    for i in range(count):
        given.add(b"", (rows[i].tobytes(), codes[i].tobytes()))
        later.add(b"", (rows[i].tobytes(), codes[i].tobytes()) if i in known else None)
    fresh = [i for i in range(count) if i not in known]
    assert later.missing == len(fresh)
    taken = 0
    for piece in (700, 1300, 500):  # the last piece is more than it needs
        taken += later.supply(
            rows[fresh][taken : taken + piece], codes[fresh][taken : taken + piece]
        )
    assert taken == len(fresh) and later.missing == 0
    given.write(tmp_path / "given.vec")
    later.write(tmp_path / "later.vec")
    assert (tmp_path / "later.vec").read_bytes() == (tmp_path / "given.vec").read_bytes()


def test_a_writer_for_vectors_later_hands_out_each_papers_tokens_once_in_order() -> None:
    writer = VectorWriter(later=True)
    numbered = Numbered(writer)
    texts = [("Graphs", "Trees and graphs."), ("", ""), ("Trees", "Graphs, again.")]
    writer.add(numbered.of(*texts[0]))
    writer.add(b"", (bytes(DIM), bytes(CODE_BYTES)))  # a known vector: no tokens
    first = writer.take_tokens()
    for title, abstract in texts[1:]:
        writer.add(numbered.of(title, abstract))
    second = writer.take_tokens()
    assert writer.take_tokens() == []
    runs = [*first, *second]
    ids = np.concatenate([r.ids for r in runs]).tolist()
    counts = np.concatenate([r.counts for r in runs]).tolist()
    expected = shared_model().token_ids([paper_text(t, a) for t, a in texts])
    assert counts == [len(tokens) for tokens in expected]
    assert ids == [token for tokens in expected for token in tokens]
    assert writer.missing == 3


def test_a_file_waiting_for_vectors_is_never_written_short(tmp_path: Path) -> None:
    writer = VectorWriter(later=True)
    writer.add(Numbered(writer).of("A title", "An abstract"))
    with pytest.raises(VectorFileError, match=r"1 vectors of a\.vec never came"):
        writer.write(tmp_path / "a.vec")
    assert not (tmp_path / "a.vec").exists()
