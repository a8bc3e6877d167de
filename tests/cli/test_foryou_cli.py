"""`reader foryou` and `reader dismiss` on the real sample, through reader.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.paths import DataPaths
from reader.core.store.database import Store


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library_dir(capsys: pytest.CaptureFixture[str], data_dir: Path) -> Path:
    assert run(capsys, data_dir, "sample", "--json")[0] == 0
    return data_dir


def titled(data_dir: Path, words: str) -> list[str]:
    store = Store(DataPaths.resolve(data_dir).store)
    try:
        return [p.id for p in store.iter_papers() if words in p.title.lower()]
    finally:
        store.close()


def test_with_no_signal_it_says_so_and_lists_the_newest(capsys, library_dir: Path) -> None:
    code, out, err = run(capsys, library_dir, "foryou", "--limit", "3")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0].startswith("Nothing to learn from yet") and len(lines) == 1 + 2 * 3
    code, out, err = run(capsys, library_dir, "foryou", "--limit", "3", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"results"} and len(data["results"]) == 3
    assert err.startswith("reader: Nothing to learn from yet") and err.count("\n") == 1


def test_bookmarks_teach_it_and_dismiss_hides(capsys, library_dir: Path) -> None:
    for pid in titled(library_dir, "lottery"):
        assert run(capsys, library_dir, "bookmark", pid)[0] == 0
    code, out, _ = run(capsys, library_dir, "foryou", "--limit", "5", "--json")
    results = json.loads(out)["results"]
    assert code == 0 and len(results) == 5
    assert set(results[0]) == {"id", "title", "score", "reason"}
    assert "pruning" in results[0]["title"].lower() or "lottery" in results[0]["reason"]
    assert results[0]["reason"].startswith("like ") and "you bookmarked" in results[0]["reason"]
    first = results[0]["id"]
    assert run(capsys, library_dir, "dismiss", first) == (
        0,
        f"dismissed (not for me): {first}\n",
        "",
    )
    code, out, _ = run(capsys, library_dir, "foryou", "--limit", "50", "--json")
    assert first not in {hit["id"] for hit in json.loads(out)["results"]}
    code, out, _ = run(capsys, library_dir, "dismiss", first, "--undo", "--json")
    assert code == 0 and json.loads(out) == {"id": first, "dismissed": False}
    code, out, _ = run(capsys, library_dir, "foryou")
    assert code == 0 and out.lstrip().startswith("1. ") and "like " in out.splitlines()[1]


def test_dismissing_an_unknown_paper_is_one_line_and_exit_1(capsys, library_dir: Path) -> None:
    code, out, err = run(capsys, library_dir, "dismiss", "nope")
    assert code == 1 and out == "" and err == "reader: unknown paper: nope\n"
    code, _, err = run(capsys, library_dir, "foryou", "--limit", "0")
    assert code == 2 and "positive whole number" in err
