"""The nearest vectors: codes find candidates, int8 rows rank them, deleted papers never show."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reader.core.vectors import Part, VectorFile, VectorWriter, exact, nearest, unit
from reader.core.vectors.codes import to_codes, to_int8
from reader.core.vectors.header import DIM, HEADER_SIZE, pack_header


def random_file(path: Path, count: int, seed: int) -> tuple[VectorFile, np.ndarray]:
    """A vector file of random unit vectors (rows written as VectorWriter lays them out)."""
    rows = np.random.default_rng(seed).standard_normal((count, DIM)).astype(np.float32)
    rows = unit(rows)
    with open(path, "wb") as out:
        out.write(pack_header(count, bytes(8)))
        out.write(to_codes(rows).tobytes())
        out.write(to_int8(rows).tobytes())
    return VectorFile.open(path, count), rows


def test_nearest_is_the_exact_best_when_every_paper_is_a_candidate(tmp_path: Path) -> None:
    first, a = random_file(tmp_path / "a.vec", 300, 1)
    second, b = random_file(tmp_path / "b.vec", 200, 2)
    parts = [Part(0, first), Part(300, second)]
    every = np.concatenate([a, b])
    query = unit(every[42] + 0.3 * every[420])
    docnums, scores = nearest(parts, query, 10, candidates=500)
    truth = np.argsort(-(unit(to_int8(every)) @ query), kind="stable")[:10]
    assert docnums.tolist() == truth.tolist()
    assert docnums[0] == 42 and scores[0] > 0.9
    assert (np.diff(scores) <= 0).all()
    _, again = exact(parts, np.sort(docnums), query)
    assert np.allclose(np.sort(again), np.sort(scores))


def test_deleted_and_disallowed_papers_are_never_nearest(tmp_path: Path) -> None:
    file, rows = random_file(tmp_path / "a.vec", 100, 3)
    live = np.ones(100, dtype=bool)
    live[7] = False
    allowed = np.ones(100, dtype=bool)
    allowed[8] = False
    found, _ = nearest([Part(0, file, live)], rows[7], 100, allowed=allowed, candidates=100)
    assert 7 not in found and 8 not in found and len(found) == 98


def test_codes_find_the_close_ones_among_many(tmp_path: Path) -> None:
    """With fewer candidates than papers, a near-copy of the query is still found."""
    file, rows = random_file(tmp_path / "a.vec", 5000, 4)
    query = unit(rows[1234] + 0.2 * np.random.default_rng(5).standard_normal(DIM))
    found, _ = nearest([Part(0, file)], query, 5, candidates=200)
    assert found[0] == 1234


def test_an_empty_file_has_no_neighbours(tmp_path: Path) -> None:
    VectorWriter().write(tmp_path / "empty.vec")
    empty = VectorFile.open(tmp_path / "empty.vec", 0)
    assert (tmp_path / "empty.vec").stat().st_size == HEADER_SIZE
    found, scores = nearest([Part(0, empty)], unit(np.ones(DIM)), 5)
    assert len(found) == 0 and len(scores) == 0
