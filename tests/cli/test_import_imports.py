"""A first `reader import` (a fresh data folder: no user file to read, none to lock) loads
neither YAML nor file locks; with a user file there, it reads it (and so loads YAML)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys
from reader.cli import main
code = main(["--data-dir", sys.argv[1], "import", sys.argv[2], "--json"])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _corpus(path: Path, n: int) -> Path:
    """n papers: more than a batch, so that the import indexes them as it stores them."""
    with path.open("w") as out:
        for i in range(n):
            row = {
                "id": f"9101.{i:05d}",
                "title": f"Pruning graphs, part {i}",
                "abstract": f"We prune {i} graphs and study what is left.",
                "authors": "Ada Lovelace and Alan Turing",
                "categories": "cs.LG",
                "update_date": "2024-01-02",
            }
            out.write(json.dumps(row) + "\n")
    return path


def _import_in_new_process(data_dir: Path, corpus: Path) -> tuple[dict, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(data_dir), str(corpus)],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    state = json.loads(lines[-1])
    assert state["code"] == 0, done.stderr
    return json.loads("\n".join(lines[:-1])), set(state["modules"])


def test_a_first_import_loads_neither_yaml_nor_file_locks(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "papers.jsonl", 2_100)
    report, modules = _import_in_new_process(tmp_path / "data", corpus)
    assert report["added"] == 2_100
    assert "reader.core.index.segment_write" in modules  # it indexed as it stored
    assert not {"yaml", "filelock"} & modules


def test_an_import_beside_a_user_file_reads_it(tmp_path: Path) -> None:
    """A bookmark made before the paper came is the paper's once it is imported."""
    corpus = _corpus(tmp_path / "papers.jsonl", 2_100)
    user = tmp_path / "data" / "user"
    user.mkdir(parents=True)
    (user / "bookmarks.yaml").write_text("version: 1\nbookmarks:\n  '9101.00007': null\n")
    _, modules = _import_in_new_process(tmp_path / "data", corpus)
    assert "yaml" in modules
    found = subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(tmp_path / "data"),
         "search", "is:bookmarked", "--json"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert [hit["id"] for hit in json.loads(found.stdout)["results"]] == ["9101.00007"]
