"""CLI over user data and backups: `bookmark`, `tag`, `note`, `saved`, `backup`, `restore`,
run through reader.cli.main on a real library (the seeds) in a temp dir."""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.core import durable
from reader.core.paths import DataPaths
from reader.core.store.database import Store

Run = tuple[int, str, str]


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> Run:
    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library_dir(capsys: pytest.CaptureFixture[str], data_dir: Path, seeds: list[Path]) -> Path:
    code, _out, _err = run(capsys, data_dir, "import", *map(str, seeds), "--json")
    assert code == 0
    return data_dir


@pytest.fixture
def pid(library_dir: Path) -> str:
    store = Store(DataPaths.resolve(library_dir).store)
    try:
        return store.ids()[0]
    finally:
        store.close()


def one_line_error(err: str) -> str:
    assert err.startswith("reader: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_bookmark_on_and_off(capsys, library_dir: Path, pid: str) -> None:
    assert run(capsys, library_dir, "bookmark", pid) == (0, f"bookmarked: {pid}\n", "")
    code, out, _ = run(capsys, library_dir, "bookmark", pid, "--off", "--json")
    assert code == 0 and json.loads(out) == {"id": pid, "bookmarked": False}
    code, out, _ = run(capsys, library_dir, "bookmark", pid, "--json")
    assert json.loads(out)["bookmarked"] is True
    assert "bookmarks:" in (library_dir / "user" / "bookmarks.yaml").read_text(encoding="utf-8")


def test_an_unknown_paper_is_exit_1_with_one_line(capsys, library_dir: Path) -> None:
    for argv in (["bookmark", "nope"], ["tag", "nope", "x"], ["note", "nope"]):
        code, out, err = run(capsys, library_dir, *argv)
        assert (code, out) == (1, "")
        assert one_line_error(err) == "reader: unknown paper: nope\n"


def test_tag_add_remove_and_a_bad_tag(capsys, library_dir: Path, pid: str) -> None:
    code, out, _ = run(capsys, library_dir, "tag", pid, "rl", "survey", "--json")
    assert code == 0 and json.loads(out) == {"id": pid, "tags": ["rl", "survey"]}
    assert run(capsys, library_dir, "tag", pid, "survey", "--remove") == (0, f"{pid}: rl\n", "")
    code, _out, err = run(capsys, library_dir, "tag", pid, "two words")
    assert code == 1 and "cannot contain spaces" in one_line_error(err)


def test_note_set_print_and_delete_keep_the_text_exact(capsys, library_dir: Path, pid: str) -> None:
    text = "[bold]not markup[/]\n\x1b[31mnot red\x1b[0m\n"
    code, out, _ = run(capsys, library_dir, "note", pid, "--set", text)
    assert code == 0 and out.startswith("note saved: ")

    code, out, _ = run(capsys, library_dir, "note", pid, "--json")
    assert json.loads(out) == {"id": pid, "note": text}
    code, out, _ = run(capsys, library_dir, "note", pid)
    assert out == "[bold]not markup[/]\nnot red\n"  # no escape reaches the terminal

    assert run(capsys, library_dir, "note", pid, "--set", "") == (0, f"note deleted: {pid}\n", "")
    assert run(capsys, library_dir, "note", pid) == (0, f"(no note for {pid})\n", "")


def _editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text(f"import sys\n{body}\n", encoding="utf-8")
    return f"{sys.executable} {script}"


def test_note_edit_saves_what_the_editor_wrote(
    capsys, library_dir: Path, pid: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, library_dir, "note", pid, "--set", "first line\n")
    append = "open(sys.argv[1], 'a', encoding='utf-8').write('[i]added[/i]\\n')"
    monkeypatch.setenv("EDITOR", _editor(tmp_path, append))
    monkeypatch.delenv("VISUAL", raising=False)

    code, out, _ = run(capsys, library_dir, "note", pid, "--edit")

    assert code == 0 and out.startswith("note saved: ")
    code, out, _ = run(capsys, library_dir, "note", pid, "--json")
    assert json.loads(out)["note"] == "first line\n[i]added[/i]\n"


def test_a_failing_editor_saves_nothing_and_names_the_draft(
    capsys, library_dir: Path, pid: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "open(sys.argv[1], 'w', encoding='utf-8').write('half typed'); sys.exit(3)"
    monkeypatch.setenv("VISUAL", _editor(tmp_path, body))

    code, _out, err = run(capsys, library_dir, "note", pid, "--edit")

    assert code == 1 and "exited with status 3" in one_line_error(err)
    draft = Path(err.split("draft: ")[1].rstrip(")\n"))
    assert draft.read_text(encoding="utf-8") == "half typed"
    assert run(capsys, library_dir, "note", pid)[1] == f"(no note for {pid})\n"


def test_a_failed_save_keeps_the_draft_and_says_why(
    capsys, library_dir: Path, pid: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", _editor(tmp_path, "open(sys.argv[1], 'w').write('typed')"))

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(durable.hooks, "write", full)
    code, _out, err = run(capsys, library_dir, "note", pid, "--edit")

    assert code == 1
    assert "could not save" in one_line_error(err) and "No space left on device" in err
    draft = Path(err.split("draft kept: ")[1].split(")")[0])
    assert draft.read_text(encoding="utf-8") == "typed"


def test_saved_add_list_remove(capsys, library_dir: Path) -> None:
    code, out, _ = run(capsys, library_dir, "saved", "add", "weekly", "diffusion", "--json")
    assert code == 0 and json.loads(out)["query"] == "diffusion"
    code, _out, err = run(capsys, library_dir, "saved", "add", "weekly", "other")
    assert code == 1 and "exists" in one_line_error(err)

    code, out, _ = run(capsys, library_dir, "saved", "list", "--json")
    [saved] = json.loads(out)
    assert {"name", "query", "sort", "created", "last_opened", "seen_count"} <= set(saved)
    code, out, _ = run(capsys, library_dir, "saved", "list")
    assert "weekly" in out and "diffusion" in out

    assert run(capsys, library_dir, "saved", "rm", "weekly")[0] == 0
    assert run(capsys, library_dir, "saved", "list") == (0, "no saved searches\n", "")
    code, _out, err = run(capsys, library_dir, "saved", "rm", "weekly")
    assert code == 1 and "no saved search named 'weekly'" in one_line_error(err)


def test_a_broken_user_file_is_named_and_not_saved_over(
    capsys, library_dir: Path, pid: str
) -> None:
    tags = library_dir / "user" / "tags.yaml"
    tags.parent.mkdir(parents=True, exist_ok=True)
    tags.write_text("version: 1\ntags:\n  x: [a\n", encoding="utf-8")

    code, _out, err = run(capsys, library_dir, "tag", pid, "rl")

    assert code == 1
    assert f"reader: warning: could not read {tags}:4:1: not valid YAML" in err
    assert "not saving over a file with an error" in err and "Traceback" not in err
    assert tags.read_text(encoding="utf-8") == "version: 1\ntags:\n  x: [a\n"
    assert run(capsys, library_dir, "bookmark", pid)[0] == 0  # the rest still works


def test_backup_and_restore(capsys, library_dir: Path, pid: str, tmp_path: Path) -> None:
    run(capsys, library_dir, "tag", pid, "rl")
    archive = tmp_path / "all.zip"
    code, out, _ = run(capsys, library_dir, "backup", str(archive), "--json")
    data = json.loads(out)
    assert code == 0 and data["papers"] == 406 and data["verified"] is True
    code, _out, err = run(capsys, library_dir, "backup", str(archive))
    assert code == 1 and "not overwriting" in one_line_error(err)
    run(capsys, library_dir, "tag", pid, "after", "--json")

    code, out, _ = run(capsys, library_dir, "restore", str(archive))

    assert code == 0
    assert "set aside" not in out and "kept in" in out and "index will be rebuilt" in out
    code, out, _ = run(capsys, library_dir, "tag", pid, "back", "--json")
    assert json.loads(out)["tags"] == ["back", "rl"]


def test_backup_without_a_file_goes_to_the_backups_folder(capsys, library_dir: Path) -> None:
    code, out, _ = run(capsys, library_dir, "backup")
    assert code == 0 and out.startswith(f"backup written and verified: {library_dir / 'backups'}")


def test_restoring_something_that_is_not_a_backup_changes_nothing(
    capsys, library_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    code, _out, err = run(capsys, library_dir, "restore", str(bad))
    assert code == 1 and one_line_error(err).startswith("reader: nothing restored: ")
    assert not list(library_dir.glob("before-restore-*"))


def test_a_note_that_is_not_utf8_is_named_not_reported_missing(
    capsys, library_dir: Path, pid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _err = run(capsys, library_dir, "note", pid, "--set", "café", "--json")
    path = Path(json.loads(out)["path"])
    path.write_bytes("café".encode("latin-1"))

    code, out, err = run(capsys, library_dir, "note", pid)

    assert (code, out) == (1, "")
    assert one_line_error(err) == f"reader: could not read {path}:1:4: not UTF-8 text\n"
    monkeypatch.setenv("EDITOR", "true")
    code, _out, err = run(capsys, library_dir, "note", pid, "--edit")
    assert code == 1 and one_line_error(err).startswith(f"reader: could not read {path}:1:4")
    assert path.read_bytes() == "café".encode("latin-1")
