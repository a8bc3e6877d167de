"""Coming from Zotero, BibTeX or papis on the command line: `reader import` says how many
papers became the user's own, `reader export --format bibtex|csl-json` writes files that come
back as the same library, and `reader show` tells local files from web links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importers"
BIB = FIXTURES / "bibtex" / "library.bib"
CONTRACT = ["added", "updated", "duplicates", "rejected", "warnings", "files", "seconds"]


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_of_a_bib_says_how_many_became_yours(capsys, data_dir: Path) -> None:
    code, out, err = run(capsys, data_dir, "import", str(BIB))
    assert code == 0
    summary, own = out.splitlines()
    assert summary.startswith("12 added, 0 updated, 0 duplicates, 3 rejected (")
    assert own == (
        "12 bookmarked as yours, with their tags and notes (For you learns from your bookmarks)"
    )
    assert f"reader: rejected {BIB}:68: no title" in err.splitlines()
    code, out, _ = run(capsys, data_dir, "import", str(BIB), "--json")
    report = json.loads(out)
    assert list(report) == [*CONTRACT, "bookmarked"]
    assert (report["added"], report["duplicates"], report["bookmarked"]) == (0, 12, 12)
    code, out, _ = run(capsys, data_dir, "search", "is:bookmarked tag:transformers", "--json")
    assert [hit["id"] for hit in json.loads(out)["results"]] == ["1706.03762"]


def test_a_file_that_is_not_what_its_name_says_is_one_line(capsys, data_dir, tmp_path) -> None:
    fake = tmp_path / "library.bib"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    code, _, err = run(capsys, data_dir, "import", str(fake))
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(f"reader: rejected {fake}: ")
    assert "Traceback" not in err


def test_show_lists_local_files_apart_from_web_links(capsys, data_dir: Path) -> None:
    run(capsys, data_dir, "import", str(BIB))
    _, out, _ = run(capsys, data_dir, "show", "1706.03762")
    pdf = (BIB.parent / "papers" / "vaswani2017.pdf").absolute()
    assert f"file: {pdf}" in out.splitlines()
    assert "file://" not in out
    _, out, _ = run(capsys, data_dir, "export", "--format", "markdown", "--query", "diffusion")
    assert "https://lilianweng.github.io/posts/2021-07-11-diffusion-models/" in out
    assert "Files: /home/user/Zotero/storage/ABCD1234/weng.pdf" in out.splitlines()


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json"])
def test_the_sample_with_tags_and_notes_comes_back_the_same(
    capsys, data_dir: Path, tmp_path: Path, fmt: str
) -> None:
    run(capsys, data_dir, "sample")
    run(capsys, data_dir, "tag", "t:cded1e0b91db", "pruning", "survey")
    run(capsys, data_dir, "note", "t:cded1e0b91db", "--set", "Re-read section 3.\n\n- 100% sure")
    out_file = tmp_path / f"library.{fmt}"
    code, out, err = run(capsys, data_dir, "export", "--format", fmt, "-o", str(out_file))
    assert code == 0 and err == f"exported 406 papers to {out_file}\n"
    fresh = tmp_path / "fresh"
    code, out, _ = run(capsys, fresh, "import", str(out_file), "--json")
    report = json.loads(out)
    assert (report["added"], report["rejected"], report["bookmarked"]) == (406, [], 406)
    code, out, _ = run(capsys, fresh, "show", "t:cded1e0b91db", "--json")
    paper = json.loads(out)
    assert paper["tags"] == ["pruning", "survey"]
    assert paper["note"] == "Re-read section 3.\n\n- 100% sure"
    code, out, _ = run(capsys, fresh, "export", "--format", fmt)
    assert out == out_file.read_text(encoding="utf-8")  # the same file again


def test_csl_json_is_one_of_the_export_formats(capsys, data_dir: Path) -> None:
    run(capsys, data_dir, "sample")
    code, out, _ = run(capsys, data_dir, "export", "--format", "csl-json", "--query", "lottery")
    items = json.loads(out)
    assert code == 0 and items and all(item["type"] == "article" for item in items)
    assert len({item["id"] for item in items}) == len(items)
    code, _, err = run(capsys, data_dir, "export", "--format", "ris")
    assert code == 2 and "csl-json" in err
