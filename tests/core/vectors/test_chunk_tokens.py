"""Many texts' token rows summed at once are each text's own rows summed, to the bit."""

from __future__ import annotations

import numpy as np
import pytest
from tokenizers import Tokenizer

from reader.core import importers
from reader.core.library.sample import sample_files
from reader.core.model import Record
from reader.core.vectors import paper_text
from reader.core.vectors.chunk_tokens import ChunkTokens, TokenRuns, row_sums
from reader.core.vectors.model import model_files, shared_model, weighted_table


def sample_texts() -> list[str]:
    records = [r for f in sample_files() for r in importers.read_path(f) if isinstance(r, Record)]
    return [paper_text(r.title, r.abstract) for r in records]


def one_by_one(texts: list[str], table: np.ndarray) -> np.ndarray:
    """What summing each text's own token rows gives."""
    out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for row, ids in enumerate(shared_model().token_ids(texts)):
        if ids:
            out[row] = table[ids].sum(axis=0)
    return out


def test_batch_sums_are_each_texts_own_sums_even_when_the_memo_starts_again() -> None:
    texts = sample_texts()
    texts[3:3] = ["", "   \n", "x", "Ünïcödé (SciML), a.b 3.14"]
    table = weighted_table()
    expected = one_by_one(texts, table)
    tokenizer = Tokenizer.from_file(str(model_files()[0]))

    def encode(chunks: list[str]) -> tuple[np.ndarray, np.ndarray]:
        encoded = [e.ids for e in tokenizer.encode_batch(chunks, add_special_tokens=False)]
        flat = np.array([i for ids in encoded for i in ids], dtype=np.int32)
        return flat, np.array([len(ids) for ids in encoded], dtype=np.int64)

    small = ChunkTokens(encode, limit=500)  # forgets its chunks every few batches
    got = np.concatenate(
        [row_sums(table, small.runs(texts[i : i + 37])) for i in range(0, len(texts), 37)]
    )
    assert got.tobytes() == expected.tobytes()  # a -0.0 too
    assert not got[3].any() and not got[4].any()  # no tokens: no direction


def test_a_token_id_outside_the_table_is_refused() -> None:
    """The rows are gathered without numpy's own check (it would buffer every gather)."""
    table = np.ones((10, 4), dtype=np.float32)
    assert row_sums(table, TokenRuns(np.array([9, 0], np.uint16), np.array([2]))).tolist() == [
        [2.0] * 4
    ]
    for wrong in ([10], [-1]):
        with pytest.raises(ValueError, match="outside the model's table"):
            row_sums(table, TokenRuns(np.array(wrong, np.int32), np.array([1])))


def test_embedding_many_texts_is_embedding_each_alone() -> None:
    texts = sample_texts()[:80]
    model = shared_model()
    together = model.embed(texts)
    alone = np.concatenate([model.embed([text]) for text in texts])
    assert np.allclose(together, alone, atol=1e-6)
