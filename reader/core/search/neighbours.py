"""The papers nearest one paper in meaning: its vector's neighbours among the index's vectors.

A paper in the index has its vector there already (no model needed); a paper outside it (a
draft, a paper not indexed yet) is embedded. Without usable vectors (a damaged vector file,
the model missing) there are no neighbours, and papers like this one are found by their key
terms alone.
"""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher

from reader.core.index import VectorFileError, vector_parts
from reader.core.model import Paper
from reader.core.vectors import ModelMissing, Part, nearest, paper_text, shared_model, unit


def close_in_meaning(searcher: Searcher, paper: Paper, own: int | None, count: int) -> list[int]:
    """Docnums of the `count` papers nearest `paper` (indexed as docnum `own`, or not),
    best first, never the paper itself."""
    try:
        parts = vector_parts(searcher.reader())
        vector = _own_vector(parts, own) if own is not None else _embedded(parts, paper)
        if vector is None or not vector.any():
            return []
        docnums, _ = nearest(parts, vector, count + 1)
    except (VectorFileError, ModelMissing, OSError):
        return []
    return [int(docnum) for docnum in docnums if docnum != own][:count]


def _own_vector(parts: list[Part], docnum: int) -> np.ndarray | None:
    for part in parts:
        if part.base <= docnum < part.base + part.file.count:
            return unit(part.file.rows(np.array([docnum - part.base]))[0])
    return None


def _embedded(parts: list[Part], paper: Paper) -> np.ndarray | None:
    model = shared_model()
    if any(part.file.fingerprint != model.fingerprint for part in parts):
        return None  # vectors of another model: they cannot be compared with this one's
    return model.embed([paper_text(paper.title, paper.abstract)])[0]
