"""The embedding model, read from wordllama's wheel: offline, deterministic, and meaningful."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from reader.core import importers
from reader.core.library.facade import Library
from reader.core.library.sample import sample_files
from reader.core.model import Record
from reader.core.vectors import model
from reader.core.vectors.model import (
    COUNTS_FILE,
    DIM,
    Model,
    count_tokens,
    model_files,
    paper_text,
    sample_token_counts,
    shared_model,
)

# Every way out to the network raises, before reader is imported: a loader that tries the
# hub (as wordllama's own does when a file is not where it looks) fails loudly here.
OFFLINE = """
import json, socket, sys

def refuse(*args, **kwargs):
    raise OSError("network blocked by the test")

class NoSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        refuse()

socket.socket = NoSocket
socket.create_connection = refuse
socket.getaddrinfo = refuse

from reader.core.vectors.model import shared_model
model = shared_model()
vectors = model.embed(sys.argv[1:])
print(json.dumps({
    "vectors": vectors.tolist(),
    "wordllama_imported": any(m == "wordllama" or m.startswith("wordllama.") for m in sys.modules),
    "hub_imported": any(m.startswith("huggingface_hub") for m in sys.modules),
}))
"""
TEXTS = [
    "Pruning neural networks at initialization: which weights to remove before training",
    "Removing weights from a network before it is trained, by magnitude or gradient",
    "A survey of protein folding with molecular dynamics simulations",
]


def _offline(prefix: list[str]) -> dict:
    done = subprocess.run(
        [*prefix, sys.executable, "-c", OFFLINE, *TEXTS],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HF_HUB_OFFLINE": "0"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _can_unshare() -> bool:
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=30)
    return done.returncode == 0


@pytest.mark.parametrize("network", ["sockets refused", "no network namespace"])
def test_the_model_loads_and_embeds_with_no_network(network: str) -> None:
    if network == "no network namespace" and not _can_unshare():
        pytest.skip("unshare -rn is not available here")
    prefix = ["unshare", "-rn"] if network == "no network namespace" else []
    result = _offline(prefix)
    vectors = np.array(result["vectors"], dtype=np.float32)
    assert vectors.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Two descriptions of one idea are closer than either is to another field's.
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.05
    assert not result["wordllama_imported"] and not result["hub_imported"]


def test_the_model_files_come_with_the_installed_package() -> None:
    tokenizer, weights = model_files()
    assert tokenizer.name.endswith(".json") and weights.suffix == ".safetensors"
    assert "wordllama" in weights.parts


def test_a_text_is_embedded_the_same_whatever_else_is_in_the_batch() -> None:
    """To the bit: a query (a few texts, weighed row by row) and a batch of an import (many,
    summed from the weighted table) give a text the same vector."""
    model = Model()  # its own: it has not summed many texts yet
    alone = model.embed([TEXTS[0]])[0]
    together = model.embed([TEXTS[2], TEXTS[0], ""])
    many = model.embed([TEXTS[0], *TEXTS[1:] * 64])
    again = model.embed([TEXTS[0]])[0]  # now from the weighted table
    assert alone.tobytes() == together[1].tobytes() == many[0].tobytes() == again.tobytes()
    assert not together[2].any()  # a text without tokens has no direction


def test_tokens_memoised_per_chunk_are_the_tokenizers_own() -> None:
    """Llama-2's tokenizer never puts a token across a space, so tokenising chunk by chunk
    gives the tokens of the whole text."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_files()[0]))
    text = "Grokking: generalization beyond overfitting on small (algorithmic) data-sets, 2022."
    whole = tokenizer.encode(text, add_special_tokens=False).ids
    assert shared_model().token_ids([text])[0] == whole
    # Chunks encoded as the words of one pre-split text get the ids of an encoding each: every
    # chunk of the sample, and chunks the sample lacks (control and invisible characters, byte
    # fallback, the tokenizer's own marks and special tokens, a long one).
    records = [r for f in sample_files() for r in importers.read_path(f) if isinstance(r, Record)]
    chunks = sorted({chunk for r in records for chunk in paper_text(r.title, r.abstract).split()})
    chunks += ["\x00", "\x01\x02", "\u200b", "\ufeff", "e\u0301", "日本語", "🙂", "👩‍🔬", "ﬁ"]
    chunks += ["▁", "▁▁x", "<s>", "</s>", "<unk>", "[/", "\U0010ffff", "x" * 5000]
    full = [e.ids for e in tokenizer.encode_batch(chunks, add_special_tokens=False)]
    assert shared_model().encode(chunks) == full
    ids, counts = shared_model().encode_flat(chunks)
    assert ids.tolist() == [i for chunk in full for i in chunk]
    assert counts.tolist() == list(map(len, full))
    assert shared_model().encode([]) == []


def test_the_shipped_token_counts_are_the_samples(tmp_path: Path) -> None:
    """sample_token_counts.txt is the built-in sample's token counts (the SIF weights). To
    write it again after the sample changes: READER_WRITE_COUNTS=1 pytest this test."""
    library = Library.open(tmp_path / "data")
    try:
        library.import_sample()
        papers = sorted(library.store.iter_papers(), key=lambda paper: paper.id)
    finally:
        library.close()
    counts = count_tokens(paper_text(paper.title, paper.abstract) for paper in papers)
    if os.environ.get("READER_WRITE_COUNTS"):
        lines = ["# token id, occurrences in the built-in sample's papers (title and abstract)"]
        lines += [f"{token} {count}" for token, count in sorted(counts.items())]
        COUNTS_FILE.write_text("\n".join(lines) + "\n", encoding="ascii")
    assert sample_token_counts() == dict(counts)


def test_the_weighted_table_is_made_once_when_two_threads_ask_at_once() -> None:
    """An import makes it in a background thread beside its parse (preload_for_many) and
    may ask for it before that thread is done: it waits for that one, not making another."""
    model._weighted_table.cache_clear()
    start = threading.Barrier(2)
    tables: list[np.ndarray] = []

    def ask() -> None:
        start.wait()
        tables.append(model.weighted_table())

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(tables) == 2 and tables[0] is tables[1]


def test_the_common_direction_is_the_same_made_with_the_weighted_table_or_the_kept_one() -> None:
    """An import's process makes the direction from the read that makes its weighted table,
    and keeps no shipped table; a search's from the shipped table it keeps: the same bits."""
    caches = (model._weighted_table, model._kept_direction, model.token_table)
    for cached in caches:
        cached.cache_clear()
    try:
        model.weighted_table()
        with_weighted = model.common_direction()
        assert model.token_table.cache_info().currsize == 0
        model._weighted_table.cache_clear()
        model.token_table()
        kept = model.common_direction()
        assert with_weighted.tobytes() == kept.tobytes()
        assert abs(float(np.linalg.norm(kept)) - 1.0) < 1e-6
    finally:
        for cached in caches:
            cached.cache_clear()
