"""The benchmark runs end to end at a tiny N: that it works, never how fast (CI is noisy)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
KEYS = (
    "import_per_s",
    "query_p50_ms",
    "query_p95_ms",
    "fuzzy_p95_ms",
    "phrase_p95_ms",
    "cold_ms",
    "rss_mb",
    "long_p95_ms",
    "cold_long_ms",
    "rss_long_mb",
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=BENCH, capture_output=True, text=True, timeout=300
    )


def test_corpus_is_deterministic_and_shaped_like_arxiv(tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert _run("corpus.py", "40", "--out", str(one), "--workers", "1").returncode == 0
    assert _run("corpus.py", "40", "--out", str(two), "--workers", "2").returncode == 0
    assert one.read_bytes() == two.read_bytes()
    papers = [json.loads(line) for line in one.read_text(encoding="utf-8").splitlines()]
    assert len(papers) == 40
    assert len({p["id"] for p in papers}) == 40
    for paper in papers:
        assert 8 <= len(paper["title"].split()) <= 15
        assert 150 <= len(paper["abstract"].split()) <= 250
        assert paper["authors"] and paper["categories"] and paper["versions"]
    other = tmp_path / "other.jsonl"
    assert _run("corpus.py", "40", "--out", str(other), "--seed", "8").returncode == 0
    assert other.read_bytes() != one.read_bytes()


@pytest.mark.slow
def test_run_prints_json_and_the_table(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    done = _run(
        "run.py",
        "--n",
        "300",
        "--json",
        "--cold-runs",
        "1",
        "--import-runs",
        "2",
        "--workdir",
        str(tmp_path / "work"),
        "--results",
        str(results),
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    [run] = document["runs"]
    assert any(note.startswith("N=300: imports, 2 of each in turn") for note in document["notes"])
    assert run["n"] == 300
    for side in ("reader", "fts5"):
        for key in KEYS:
            assert run[side][key] > 0, (side, key)
    assert run["reader"]["index_mb"] > 0
    assert run["reader"]["vectors_mb"] > 0 and run["reader"]["model_load_ms"] > 0
    assert run["reader"]["tui_first_paint_ms"] > 0
    assert document["machine"]["cores"] >= 1
    assert "| 300 | query p95 (1-3 words) (ms) |" in results.read_text(encoding="utf-8")

    saved = tmp_path / "run.json"
    saved.write_text(done.stdout, encoding="utf-8")
    kept = ["<!-- quality:start -->\nkept\n<!-- quality:end -->"]
    kept.append("<!-- import-memory:start -->\nkept too\n<!-- import-memory:end -->")
    with results.open("a", encoding="utf-8") as handle:
        handle.write("\n" + "\n\n".join(kept) + "\n")
    table = _run("run.py", "--render-only", "--include", str(saved), "--results", str(results))
    assert table.returncode == 0, table.stderr
    assert all(section in results.read_text(encoding="utf-8") for section in kept)
    lines = table.stdout.splitlines()
    assert lines[0] == "| N | metric | reader | FTS5 | reader / FTS5 | target |"
    for label in ("import (papers/s)", "cold open + first query (ms)", "TUI first paint (ms)"):
        assert any(line.startswith(f"| 300 | {label} |") for line in lines), label
    assert "the engines agree on match/no match" in table.stdout


def test_run_refuses_a_bad_n(tmp_path: Path) -> None:
    done = _run("run.py", "--n", "0", "--workdir", str(tmp_path), "--results", str(tmp_path / "R"))
    assert done.returncode == 2
    assert "at least 1" in done.stderr


def test_a_reused_library_inside_the_runs_folder_is_refused_not_deleted(tmp_path: Path) -> None:
    library = tmp_path / "work" / "n5" / "reader"
    library.mkdir(parents=True)
    (library / "papers.sqlite3").write_bytes(b"kept")
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps({"runs": [{"n": 5, "reader": {}}]}), encoding="utf-8")
    done = _run("run.py", "--n", "5", "--workdir", str(tmp_path / "work"),
                "--reuse-import", "5", str(library), str(earlier))  # fmt: skip
    assert done.returncode == 2
    assert "move the library out of it" in done.stderr
    assert (library / "papers.sqlite3").read_bytes() == b"kept"


def test_typing_cpu_prints_a_row_per_checkout_and_round(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus.jsonl", tmp_path / "data"
    assert _run("corpus.py", "40", "--out", str(corpus), "--workers", "1").returncode == 0
    imported = _run("-m", "reader", "--data-dir", str(data), "import", str(corpus))
    assert imported.returncode == 0, imported.stderr
    done = _run("typing_cpu.py", str(data), "model", "--keys", "1", "--rounds", "1")
    assert done.returncode == 0, done.stderr
    header, rule, row = done.stdout.splitlines()
    assert header.startswith("| reader | round | CPU per key (ms) |") and rule.startswith("|---")
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[:2] == ["this", "1"] and all(float(cell) >= 0 for cell in cells[3:])


def test_import_probe_imports_into_a_copy_of_a_library(tmp_path: Path) -> None:
    """--into: the import goes into a copy of a library with papers and an index, which is
    left as it was."""
    corpus, first, second = (tmp_path / f"{name}.jsonl" for name in ("all", "first", "second"))
    library = tmp_path / "library"
    assert _run("corpus.py", "70", "--out", str(corpus), "--workers", "1").returncode == 0
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    first.write_text("".join(lines[:40]), encoding="utf-8")
    second.write_text("".join(lines[40:]), encoding="utf-8")
    imported = _run("-m", "reader", "--data-dir", str(library), "import", str(first))
    assert imported.returncode == 0, imported.stderr
    assert _run("-m", "reader", "--data-dir", str(library), "index", "rebuild").returncode == 0
    done = _run("import_probe.py", str(second), "--into", str(library),
                "--workdir", str(tmp_path / "runs"), "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["this"]
    assert result["n"] == 30 and result["index_docs"] == 70 and result["index_by_import"]
    with sqlite3.connect(library / "papers.sqlite3") as conn:  # the library took nothing in
        assert conn.execute("SELECT count(*) FROM papers").fetchone() == (40,)


def test_first_search_probe_prints_a_row_per_process(tmp_path: Path) -> None:
    """The first process starts without the words files; it leaves them for the next."""
    corpus, data = tmp_path / "corpus.jsonl", tmp_path / "data"
    assert _run("corpus.py", "40", "--out", str(corpus), "--workers", "1").returncode == 0
    imported = _run("-m", "reader", "--data-dir", str(data), "import", str(corpus))
    assert imported.returncode == 0, imported.stderr
    done = _run("first_search_probe.py", str(data), "--runs", "2")
    assert done.returncode == 0, done.stderr
    header, rule, *rows = done.stdout.splitlines()
    assert header.startswith("| reader | process | words files |") and rule.startswith("|---")
    assert [row.split("|")[3].strip() for row in rows] == ["none", "kept"]
    assert (data / "index" / "words-_words.cache").is_file()


def test_typing_after_edit_prints_a_row_per_checkout(tmp_path: Path) -> None:
    corpus, data = tmp_path / "corpus.jsonl", tmp_path / "data"
    assert _run("corpus.py", "40", "--out", str(corpus), "--workers", "1").returncode == 0
    imported = _run("-m", "reader", "--data-dir", str(data), "import", str(corpus))
    assert imported.returncode == 0, imported.stderr
    done = _run("typing_after_edit.py", str(data), "model", "--keys", "1")
    assert done.returncode == 0, done.stderr
    header, rule, row = done.stdout.splitlines()
    assert header.startswith("| reader | key to results, no edit before (ms) |")
    assert rule.startswith("|---")
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[0] == "this" and all(float(cell) > 0 for cell in cells[1:])
