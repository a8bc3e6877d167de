"""Titles and abstracts held as chunk numbers give the postings and lengths their analysis
gives, and each chunk is numbered once, in the order it comes, for its terms and its tokens."""

from __future__ import annotations

import pytest
from test_term_streams import TRICKY, expected_postings, sample, taken

from reader.core.index import paper_chunks, term_streams
from reader.core.index.analysis import text_positions
from reader.core.index.paper_chunks import ChunkStream, PaperChunks
from reader.core.index.term_streams import TermNumbers

LEADING_STOP_WORDS = ["of the pruning", "the (of) a-b pruning", "a.the of", "of, the. x"]


class Numbering:
    """Numbers chunks 0, 1, 2... as VectorWriter.number does, and keeps them in order."""

    def __init__(self) -> None:
        self.chunks: list[str] = []

    def __call__(self, chunk: str) -> int:
        self.chunks.append(chunk)
        return len(self.chunks) - 1


@pytest.mark.parametrize("small", [False, True], ids=["whole", "in-slices-and-buckets"])
def test_text_postings_are_those_of_the_analysis(small: bool, monkeypatch) -> None:
    if small:  # cross slice and bucket boundaries in the middle of documents and terms
        monkeypatch.setattr(paper_chunks, "_BLOCK", 13)
        monkeypatch.setattr(term_streams, "_SLICE", 97)
        monkeypatch.setattr(term_streams, "_BUCKET", 61)
    records = sample()
    texts = [*TRICKY, *LEADING_STOP_WORDS, *(r.abstract for r in records)]
    texts += [*(r.title for r in records), "", *TRICKY, "the of a"]  # ends keeping none
    numbers, numbering = TermNumbers(), Numbering()
    chunks = PaperChunks(numbers, numbering)
    stream = ChunkStream(chunks, numbers)
    held = [stream.add_text(text) for text in texts]
    assert len(stream) == sum(len(text.split()) for text in texts)  # 4 bytes a chunk held
    told = stream.lengths().tolist()
    per_doc = [text_positions(text) for text in texts]
    assert told == [sum(map(len, p.values())) for p in per_doc]
    assert taken(stream, told) == expected_postings(per_doc)  # type: ignore[arg-type]
    assert set(chunks) == {chunk for text in texts for chunk in text.split()}
    # Each chunk has the number it was given for its tokens, in the order chunks came.
    words = numbering.chunks
    assert words == list(dict.fromkeys(chunk for text in texts for chunk in text.split()))
    assert [words[n] for numbers in held for n in memoryview(numbers).cast("I")] == [
        chunk for text in texts for chunk in text.split()
    ]


def test_a_memo_for_no_vector_numbers_its_chunks_alike() -> None:
    """Notes and summaries have a memo of their own, which gives no chunk to a vector."""
    chunks = PaperChunks(TermNumbers())
    stream = ChunkStream(chunks, TermNumbers())
    held = stream.add_text("model, the model (model)") + stream.add_text("the model")
    assert list(memoryview(held).cast("I")) == [0, 1, 2, 3, 1, 2]
    assert list(chunks) == ["model,", "the", "model", "(model)"]
