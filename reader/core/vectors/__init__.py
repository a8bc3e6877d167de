"""Vectors of what papers mean: the embedding model, and the files beside the index.

model.py reads WordLlama's token table offline from its wheel and embeds texts; codes.py turns
vectors into int8 rows and sign-bit codes; header.py and files.py write and read a segment's
vector file (see FORMAT.md); scan.py finds the rows nearest a query. The index writes and
merges these files with its segments (reader.core.index.segment_vectors); search, papers like
a paper and For you read them.

Only the header's names load with this package (an index open checks every segment's file);
the rest brings numpy, and the model tokenizers and safetensors, so it loads on first use.
"""

from __future__ import annotations

import threading
from importlib import import_module
from typing import TYPE_CHECKING

from reader.core.lazy import later
from reader.core.vectors.header import DIM, VectorFileError, read_header

if TYPE_CHECKING:
    from reader.core.vectors.chunk_tokens import TokenRuns
    from reader.core.vectors.codes import to_codes, to_int8, unit
    from reader.core.vectors.files import VectorFile, VectorWriter, token_vectors, write_selected
    from reader.core.vectors.model import (
        Model,
        ModelMissing,
        model_fingerprint,
        paper_text,
        shared_model,
    )
    from reader.core.vectors.scan import Part, exact, nearest, vectors_of

_LATER: dict[str, tuple[str, str]] = {
    "to_codes": ("reader.core.vectors.codes", "to_codes"),
    "to_int8": ("reader.core.vectors.codes", "to_int8"),
    "unit": ("reader.core.vectors.codes", "unit"),
    "VectorFile": ("reader.core.vectors.files", "VectorFile"),
    "VectorWriter": ("reader.core.vectors.files", "VectorWriter"),
    "write_selected": ("reader.core.vectors.files", "write_selected"),
    "token_vectors": ("reader.core.vectors.files", "token_vectors"),
    "TokenRuns": ("reader.core.vectors.chunk_tokens", "TokenRuns"),
    "Model": ("reader.core.vectors.model", "Model"),
    "ModelMissing": ("reader.core.vectors.model", "ModelMissing"),
    "model_fingerprint": ("reader.core.vectors.model", "model_fingerprint"),
    "paper_text": ("reader.core.vectors.model", "paper_text"),
    "shared_model": ("reader.core.vectors.model", "shared_model"),
    "Part": ("reader.core.vectors.scan", "Part"),
    "exact": ("reader.core.vectors.scan", "exact"),
    "nearest": ("reader.core.vectors.scan", "nearest"),
    "vectors_of": ("reader.core.vectors.scan", "vectors_of"),
}

__all__ = [
    "DIM",
    "Model",
    "ModelMissing",
    "Part",
    "TokenRuns",
    "VectorFile",
    "VectorFileError",
    "VectorWriter",
    "exact",
    "model_fingerprint",
    "nearest",
    "paper_text",
    "preload",
    "preload_for_many",
    "read_header",
    "shared_model",
    "to_codes",
    "to_int8",
    "token_vectors",
    "unit",
    "vectors_of",
    "write_selected",
]

__getattr__ = later(__name__, _LATER)

_MODEL = "reader.core.vectors.model"
_preloaded = threading.Event()  # set once a load has been started in this process


def preload() -> None:
    """Start loading the model (and numpy) in a background thread, from a caller that has
    not imported them: a query that will need the model overlaps its load (the tokenizer's
    mostly, which runs without the GIL) with its word search, an index worker that will
    tokenise papers with its first batch. Once per process: the query or worker itself waits
    for the load (or retries it, and says why it failed)."""
    if _preloaded.is_set():
        return
    _preloaded.set()
    threading.Thread(target=_load, name="reader-model-load", daemon=True).start()


def _load() -> None:
    import_module(_MODEL).load_quietly()


def preload_for_many() -> None:
    """Start making the model's table for many texts in a background thread: an import sums
    its papers' token rows (its index worker tokenises them), and makes the table beside
    its parse, on a core that is idle until the worker starts (numpy's work runs without the
    GIL)."""
    threading.Thread(target=_load_table, name="reader-model-table", daemon=True).start()


def _load_table() -> None:
    import_module(_MODEL).load_quietly(table=True)
