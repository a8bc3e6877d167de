"""The search-quality floor at CI size: a ranking change that loses known papers fails here.

bench/quality.py builds seeded known-item queries from the sample library, adds the 120
hand-written descriptions (the described kind), and scores reader next to its baselines
(Whoosh's default parser, rapidfuzz over titles, SQLite FTS5 bm25 two ways, the embedding
alone).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "quality.py"
PAPERS = 100


def load_quality() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_quality", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quality() -> ModuleType:
    return load_quality()


@pytest.fixture(scope="module")
def report(quality: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return quality.run(PAPERS, seed=7)


def test_queries_are_seeded_and_cover_every_kind(quality: ModuleType) -> None:
    with quality.sample_library() as library:
        docs = quality.documents(library)
    first = quality.make_queries(docs, 30, seed=3)
    assert first == quality.make_queries(docs, 30, seed=3)
    assert first != quality.make_queries(docs, 30, seed=4)
    assert {q.kind for q in first} == set(quality.KINDS)
    by_id = {d.id: d for d in docs}
    for q in first:
        doc = by_id[q.target]
        if q.kind == "title":
            assert q.text == doc.title
        if q.kind == "title_typo":
            typed, meant = q.text.split(), quality._words(doc.title)
            assert len(typed) == len(meant)
            assert 1 <= sum(a != b for a, b in zip(typed, meant, strict=True)) <= 2


def test_reader_meets_the_targets(report: dict) -> None:
    reader = report["results"]["reader"]
    assert reader["all"]["queries"] == PAPERS * 6 + 120  # the described queries: all of them
    assert reader["all"]["mrr@10"] >= 0.95, reader["all"]
    assert reader["title_typo"]["mrr@10"] >= 0.90, reader["title_typo"]
    assert reader["words_typo"]["mrr@10"] >= 0.90, reader["words_typo"]


def test_reader_is_never_below_the_best_baseline(report: dict) -> None:
    results = report["results"]
    for kind, metrics in results["reader"].items():
        best = max(results[s][kind]["mrr@10"] for s in results if s != "reader")
        assert metrics["mrr@10"] >= best, (kind, metrics, best)


def test_described_papers_are_found_better_than_by_fts5_or_the_embedding(report: dict) -> None:
    results = report["results"]
    reader = results["reader"]["described"]
    for baseline in ("fts5_bm25", "fts5_porter", "embedding"):
        other = results[baseline]["described"]
        assert reader["mrr@10"] > other["mrr@10"], (baseline, reader, other)
        assert reader["recall@10"] > other["recall@10"], (baseline, reader, other)


def test_results_section_replaces_only_its_own_markers(quality: ModuleType, tmp_path) -> None:
    path = tmp_path / "RESULTS.md"
    path.write_text("# Results\n\nperformance table\n", encoding="utf-8")
    quality.write_section(path, "first")
    quality.write_section(path, "second")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Results\n\nperformance table\n\n")
    assert text.count(quality.START) == 1 and "second" in text and "first" not in text
    path.write_text(text + "\nmore performance\n", encoding="utf-8")
    quality.write_section(path, "third")
    assert path.read_text(encoding="utf-8").endswith(f"third\n{quality.END}\n\nmore performance\n")


def test_markdown_table_has_a_row_per_kind(quality: ModuleType, report: dict) -> None:
    table = quality.markdown(report)
    for kind in (*quality.KINDS, "all"):
        assert f"| {kind} | " in table
