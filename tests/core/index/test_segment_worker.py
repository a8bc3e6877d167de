"""An index worker's segments when the vectors come after their papers (an import's one
worker): each vector file is the one a build that embeds for itself writes, byte for byte,
however the vectors arrive, before or after the segment they belong to was written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh.filedb.filestore import FileStorage

from reader.core.index import segment_build
from reader.core.index.fields import Document, build_schema
from reader.core.index.segment_build import scratch_index
from reader.core.index.segment_worker import Vectors, build
from reader.core.index.vector_files import vector_path
from reader.core.vectors import paper_text, paper_vectors


def doc(i: int, vector: tuple[bytes, bytes] | None = None) -> Document:
    return Document(f"2401.{i:05d}", f"Paper {i} on graphs", f"We study graph {i % 7} and trees.",
                    ["Ada Lovelace"], "2024-01-02", [], ["cs.lg"], [], "", False, False,
                    vector=vector)  # fmt: skip


def vectors_for(docs: list[Document]) -> Vectors:
    """What the importing process sends for a batch: its papers without a vector, embedded."""
    return Vectors(
        *paper_vectors([paper_text(d.title, d.abstract) for d in docs if d.vector is None])
    )


def vector_files(folder: Path, segments: list) -> list[bytes]:
    return [vector_path(str(folder), segment).read_bytes() for segment in segments]


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment_build, "MAX_HELD", 400)  # a segment every few dozen papers


def built(folder: Path, messages: list, later: bool) -> list[bytes]:
    folder.mkdir()
    ix = scratch_index(FileStorage(str(folder)), build_schema())
    segments = build(ix, iter(messages), later)
    return vector_files(folder, segments)


def test_vectors_after_their_segments_were_written_make_the_same_files(
    tmp_path: Path, small_segments: None
) -> None:
    known = (bytes(range(256)), bytes(32))  # kept from an index: no vector comes for it
    batches = [
        [doc(i, known if i == 45 else None) for i in range(at, at + 30)] for at in (0, 30, 60)
    ]
    alone = built(tmp_path / "alone", [*batches, None], later=False)
    assert len(alone) >= 3
    # Vectors one batch behind, then the last two after the end of the papers.
    messages = [batches[0], batches[1], vectors_for(batches[0]), batches[2], None,
                vectors_for(batches[1]), vectors_for(batches[2])]  # fmt: skip
    assert built(tmp_path / "later", messages, later=True) == alone


def test_vectors_that_never_come_or_are_too_many_fail_the_build(
    tmp_path: Path, small_segments: None
) -> None:
    batch = [doc(i) for i in range(30)]
    with pytest.raises(ValueError, match="never came"):
        built(tmp_path / "short", [batch, None], later=True)
    twice = vectors_for(batch)
    with pytest.raises(ValueError, match="more vectors"):
        built(tmp_path / "over", [batch, twice, Vectors(twice.rows[:1], twice.codes[:1])], True)


def test_a_supplied_vector_is_stored_as_given(tmp_path: Path) -> None:
    row, code = np.arange(-128, 128, dtype=np.int8), np.full(32, 7, dtype=np.uint8)
    files = built(tmp_path / "one", [[doc(1)], Vectors(row[None, :], code[None, :])], later=True)
    assert files[0].endswith(code.tobytes() + row.tobytes())
