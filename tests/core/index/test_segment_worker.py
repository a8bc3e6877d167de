"""An index worker's segments when another process sums its papers' vectors (an import's one
worker): the worker sends each batch's token ids back, and each vector file is the one a build
that embeds for itself writes, byte for byte, however the vectors arrive, before or after the
segment they belong to was written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from whoosh.filedb.filestore import FileStorage

from reader.core.index import segment_build
from reader.core.index.fields import Document, build_schema
from reader.core.index.segment_build import scratch_index
from reader.core.index.segment_worker import Vectors, build
from reader.core.index.vector_files import vector_path
from reader.core.vectors import TokenRuns, paper_text, shared_model, token_vectors

SUMMED = "the vectors of the tokens sent back so far"  # in a script of messages


def doc(i: int, vector: tuple[bytes, bytes] | None = None) -> Document:
    return Document(f"2401.{i:05d}", f"Paper {i} on graphs", f"We study graph {i % 7} and trees.",
                    ["Ada Lovelace"], "2024-01-02", [], ["cs.lg"], [], "", False, False,
                    vector=vector)  # fmt: skip


def vector_files(folder: Path, segments: list) -> list[bytes]:
    return [vector_path(str(folder), segment).read_bytes() for segment in segments]


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment_build, "MAX_HELD", 400)  # a segment every few dozen papers


def joined(runs: list[TokenRuns]) -> TokenRuns:
    return TokenRuns(
        np.concatenate([r.ids for r in runs]), np.concatenate([r.counts for r in runs])
    )


def built(folder: Path, script: list, later: bool) -> list[bytes]:
    """The vector files of a build from `script`'s messages, where SUMMED stands for the
    vectors of the tokens the worker has sent back and that were not answered yet (what the
    importing process sends), and nothing if there are none."""
    sent: list[TokenRuns] = []

    def messages() -> Iterator[object]:
        for item in script:
            if item is not SUMMED:
                yield item
            elif sent:
                runs = joined(sent)
                sent.clear()
                yield Vectors(*token_vectors(runs))

    folder.mkdir()
    ix = scratch_index(FileStorage(str(folder)), build_schema())
    segments = build(ix, messages(), later, sent.append if later else None)  # type: ignore[arg-type]
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
    script = [batches[0], batches[1], SUMMED, batches[2], None, SUMMED]
    assert built(tmp_path / "later", script, later=True) == alone
    # At once after each batch, as an importing process with time to spare sends them.
    script = [batches[0], SUMMED, batches[1], SUMMED, batches[2], SUMMED, None, SUMMED]
    assert built(tmp_path / "soon", script, later=True) == alone


def test_the_tokens_sent_back_are_the_papers_texts_tokens(tmp_path: Path) -> None:
    """The worker tokenises the chunks it split for its analysis: the same token ids as the
    paper's text, `title\\nabstract`, tokenised whole."""
    sent: list[TokenRuns] = []
    papers = [doc(i) for i in range(5)] + [
        Document("2401.99999", "", "", [], "", [], [], [], "", False, False),
        Document("2401.99998", "Ünïcödé (SciML),", "a.b  3.14\t x", [], "", [], [], [], "", False,
                 False),
    ]  # fmt: skip

    def messages() -> Iterator[object]:
        yield papers
        yield None
        yield Vectors(*token_vectors(joined(sent)))

    ix = scratch_index(FileStorage(str(tmp_path)), build_schema())
    build(ix, messages(), True, sent.append)  # type: ignore[arg-type]
    ids, counts = joined(sent)
    expected = shared_model().token_ids([paper_text(p.title, p.abstract) for p in papers])
    assert counts.tolist() == [len(tokens) for tokens in expected]
    assert ids.tolist() == [token for tokens in expected for token in tokens]


def test_vectors_that_never_come_or_are_too_many_fail_the_build(
    tmp_path: Path, small_segments: None
) -> None:
    batch = [doc(i) for i in range(30)]
    with pytest.raises(ValueError, match="never came"):
        built(tmp_path / "short", [batch, None], later=True)
    row, code = np.zeros((1, 256), dtype=np.int8), np.zeros((1, 32), dtype=np.uint8)
    with pytest.raises(ValueError, match="more vectors"):
        built(tmp_path / "over", [batch, SUMMED, Vectors(row, code)], later=True)


def test_a_supplied_vector_is_stored_as_given(tmp_path: Path) -> None:
    row, code = np.arange(-128, 128, dtype=np.int8), np.full(32, 7, dtype=np.uint8)
    files = built(tmp_path / "one", [[doc(1)], Vectors(row[None, :], code[None, :])], later=True)
    assert files[0].endswith(code.tobytes() + row.tobytes())


def test_the_first_segment_is_written_at_half_of_a_full_one(
    tmp_path: Path, small_segments: None
) -> None:
    """The last segment is written after the last batch: a write of half a segment to a whole
    one writes its first half before. The segments after the first are full ones."""
    batches = [[doc(i) for i in range(at, at + 10)] for at in range(0, 150, 10)]
    ix = scratch_index(FileStorage(str(tmp_path)), build_schema())
    sizes = [segment.doc_count() for segment in build(ix, iter([*batches, None]), False)]
    assert sum(sizes) == 150 and len(sizes) >= 3
    full = sizes[1]
    assert sizes[1:-1] == [full] * (len(sizes) - 2)
    assert abs(sizes[0] - full / 2) <= 1
