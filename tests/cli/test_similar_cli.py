"""`reader similar ID [--json]` on a real library in a temp dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.library.facade import Library

LOTTERY = "Proving the Lottery Ticket Hypothesis: Pruning is All You Need"


@pytest.fixture
def lottery_id(data_dir: Path) -> str:
    library = Library.open(data_dir)
    library.import_sample()
    found = next(p.id for p in library.store.iter_papers() if p.title == LOTTERY)
    library.close()
    return found


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_similar_json_is_one_document_with_terms(capsys, data_dir, lottery_id) -> None:
    code, out, err = run(capsys, data_dir, "similar", lottery_id, "--json", "--limit", "4")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["id"] == lottery_id and data["title"] == LOTTERY
    assert "lottery" in data["terms"]
    assert len(data["results"]) == 4
    assert lottery_id not in {hit["id"] for hit in data["results"]}
    assert all(hit["terms"] for hit in data["results"])


def test_similar_human_output_names_the_shared_terms(
    capsys, data_dir, lottery_id, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the table fits the terminal; make it a wide one
    code, out, _ = run(capsys, data_dir, "similar", lottery_id)
    assert code == 0
    assert out.startswith(f"papers like {LOTTERY}")
    assert "key terms: lottery" in out
    assert "When Layers Play the Lottery" in out
    assert out.rstrip().endswith("ms")


def test_similar_unknown_id_is_one_line_and_exit_1(capsys, data_dir, lottery_id) -> None:
    code, out, err = run(capsys, data_dir, "similar", "9999.99999")
    assert code == 1 and out == ""
    assert err.strip() == "reader: unknown paper: 9999.99999"
