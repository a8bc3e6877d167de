"""The CLI contract: commands, flags, JSON keys and exit codes, on a real library in a temp dir."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reader.cli import GROUPS, build_parser, command_word, main


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def as_json(text: str) -> object:
    return json.loads(text)  # raises unless stdout is exactly one JSON document


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], data_dir: Path, seeds: list[Path]) -> Path:
    code, out, _ = run(capsys, data_dir, "import", *map(str, seeds), "--json")
    assert code == 0
    report = as_json(out)
    assert report["added"] == 406
    return data_dir


def test_import_json_has_the_contract_keys(capsys, data_dir, seeds) -> None:
    code, out, err = run(capsys, data_dir, "import", str(seeds[0]), "--json")
    report = as_json(out)
    assert code == 0 and err == ""
    assert {"added", "updated", "duplicates", "rejected"} <= set(report)
    assert (report["added"], report["updated"], report["duplicates"]) == (73, 0, 0)
    assert report["rejected"] == []


def test_import_reports_a_bad_file_and_still_imports_the_rest(capsys, data_dir, seeds, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, _ = run(capsys, data_dir, "import", str(empty), str(seeds[3]), "--json")
    report = as_json(out)
    assert code == 0
    assert report["added"] == 55
    assert [r["source"] for r in report["rejected"]] == [str(empty)]


def test_import_of_nothing_usable_exits_1(capsys, data_dir, tmp_path) -> None:
    code, out, err = run(capsys, data_dir, "import", str(tmp_path / "missing.txt"))
    assert code == 1
    assert "missing.txt" in out + err
    assert "Traceback" not in out + err


def test_import_human_output_is_one_summary_line(capsys, data_dir, seeds) -> None:
    code, out, _ = run(capsys, data_dir, "import", str(seeds[2]))
    assert code == 0
    assert out.splitlines()[0].startswith("83 added, 0 updated, 0 duplicates, 0 rejected")


def test_search_json_shape_and_ranking(capsys, imported) -> None:
    code, out, _ = run(capsys, imported, "search", "title:pruning lottery", "--json")
    result = as_json(out)
    assert code == 0
    assert {"query", "total", "took_ms", "suggestion", "results"} <= set(result)
    assert result["total"] >= 1
    hit = result["results"][0]
    assert set(hit) >= {"id", "title", "authors", "date", "score", "snippet"}
    assert "Lottery" in hit["title"] and "Pruning" in hit["title"]


def test_search_limit_and_sort(capsys, imported) -> None:
    code, out, _ = run(
        capsys, imported, "search", "learning", "--limit", "5", "--sort", "title", "--json"
    )
    result = as_json(out)
    titles = [h["title"] for h in result["results"]]
    assert code == 0 and len(titles) == 5
    assert titles == sorted(titles, key=str.casefold)


def test_search_with_a_typo_finds_and_suggests(capsys, imported) -> None:
    code, out, _ = run(capsys, imported, "search", "lotery", "--json")
    result = as_json(out)
    assert code == 0 and result["total"] >= 1
    assert "Lottery" in result["results"][0]["title"]
    assert result["suggestion"] == "lottery"


def test_search_with_nothing_near_has_no_results_and_no_suggestion(capsys, imported) -> None:
    code, out, _ = run(capsys, imported, "search", "xqzzvw", "--json")
    result = as_json(out)
    assert code == 0
    assert (result["total"], result["results"], result["suggestion"]) == (0, [], None)


def test_malformed_query_falls_back_and_says_so(capsys, imported) -> None:
    code, out, err = run(capsys, imported, "search", 'title:( "unclosed', "--json")
    result = as_json(out)
    assert code == 0 and "Traceback" not in err
    assert result["note"]


def test_search_human_table(capsys, imported) -> None:
    code, out, _ = run(capsys, imported, "search", "lottery ticket")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["score", "date", "id"]
    assert "results · sorted by relevance" in out


def test_search_queries_file_gives_one_json_line_per_query(capsys, imported, tmp_path) -> None:
    queries = tmp_path / "q.txt"
    queries.write_text("lottery ticket\n\nstate space models\nlotery\n", encoding="utf-8")
    code, out, _ = run(capsys, imported, "search", "--queries", str(queries), "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [r["query"] for r in lines] == ["lottery ticket", "state space models", "lotery"]


def test_show_by_id_and_unknown_id(capsys, imported) -> None:
    _, out, _ = run(capsys, imported, "search", "Adam Method Stochastic Optimization", "--json")
    pid = as_json(out)["results"][0]["id"]
    code, out, _ = run(capsys, imported, "show", pid, "--json")
    paper = as_json(out)
    assert code == 0 and paper["id"] == pid and paper["title"].startswith("Adam")
    assert paper["abstract"]
    code, out, err = run(capsys, imported, "show", "9999.99999")
    assert code == 1 and out == ""
    assert err.strip() == "reader: unknown paper: 9999.99999"


def test_stats_json(capsys, imported) -> None:
    run(capsys, imported, "search", "x", "--json")  # opens (and builds) the index
    code, out, _ = run(capsys, imported, "stats", "--json")
    stats = as_json(out)
    assert code == 0
    assert stats["papers"] == 406 and stats["index_documents"] == 406
    assert stats["last_import"]["added"] == 406
    assert stats["paths"]["data_dir"] == str(imported.resolve())


def test_index_rebuild_and_check(capsys, imported) -> None:
    code, out, _ = run(capsys, imported, "index", "rebuild", "--json")
    assert code == 0 and as_json(out) == {"documents": 406}
    code, out, _ = run(capsys, imported, "index", "check", "--json")
    check = as_json(out)
    assert code == 0 and check["ok"] and check["index_count"] == 406


def test_search_sorts_by_upvotes(capsys, imported) -> None:
    code, out, _ = run(capsys, imported, "search", "learning", "--sort", "upvotes", "--json")
    result = as_json(out)
    assert code == 0 and result["sort"] == "upvotes" and result["results"]


def test_a_damaged_index_is_rebuilt_and_the_user_told(capsys, imported) -> None:
    code, _, _ = run(capsys, imported, "search", "lottery")  # builds the index
    assert code == 0
    postings = next((imported / "index").glob("*.pst"))
    postings.write_bytes(b"\x00" * postings.stat().st_size)
    code, out, err = run(capsys, imported, "search", "lottery", "--json")
    assert code == 0 and as_json(out)["total"] > 0
    assert err.startswith("reader: The search index was damaged (")
    assert "set aside as" in err and "index.broken-" in err and "rebuilt" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, imported, "search", "lottery")
    assert code == 0 and err == ""


def test_sample_imports_the_builtin_library(capsys, data_dir) -> None:
    code, out, _ = run(capsys, data_dir, "sample", "--json")
    assert code == 0 and as_json(out)["added"] == 406


def test_usage_errors_exit_2_with_one_line(capsys, data_dir) -> None:
    for argv in (
        ["search"],
        ["search", "x", "--sort", "size"],
        ["frobnicate"],
        ["search", "x", "--limit", "0"],
    ):
        code, _, err = run(capsys, data_dir, *argv)
        assert code == 2, argv
        assert len(err.strip().splitlines()) == 1, err


def subcommands(parser: argparse.ArgumentParser) -> set[str]:
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(commands.choices)


def test_each_group_lists_the_commands_it_registers() -> None:
    """A command missing from its group's COMMANDS would parse only with the whole parser."""
    for group in GROUPS:
        assert subcommands(build_parser(group.COMMANDS[0])) == {"tui", *group.COMMANDS}
    assert subcommands(build_parser()) == {"tui"}.union(*(g.COMMANDS for g in GROUPS))


def test_only_a_plain_command_line_builds_one_group() -> None:
    assert command_word(["--data-dir", "d", "search", "--json", "x"]) == "search"
    assert command_word(["--data-dir=d", "index", "rebuild"]) == "index"
    assert command_word(["--data-dir", "d"]) == command_word([]) == ""
    for argv in (["--help"], ["--version"], ["--data", "d", "search", "x"], ["serch", "x"]):
        assert command_word(argv) is None, argv


def test_help_still_lists_every_command(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    assert all(f"    {name}" in listed for group in GROUPS for name in group.COMMANDS)


def test_console_script_runs_without_a_terminal(tmp_path: Path, seeds: list[Path]) -> None:
    """The installed entry point, in a real process, with READER_DATA_DIR."""
    env = {
        "READER_DATA_DIR": str(tmp_path / "lib"),
        "PATH": str(Path(sys.executable).parent),
        "READER_DAILY_BACKUP": "0",
    }
    done = subprocess.run(
        [sys.executable, "-m", "reader", "import", str(seeds[3]), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 55
    assert (tmp_path / "lib" / "papers.sqlite3").exists()


def test_the_process_ends_with_the_commands_exit_code(tmp_path: Path) -> None:
    """`python -m reader` exits with the code main() gives."""
    argv = ["--data-dir", str(tmp_path / "lib"), "show", "2401.99999"]
    expected = main(argv)
    done = subprocess.run(
        [sys.executable, "-m", "reader", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "READER_DAILY_BACKUP": "0"},
        check=False,
        timeout=120,
    )
    assert expected != 0
    assert done.returncode == expected, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def the_reader_script(folder: Path) -> Path:
    """The `reader` script as pip writes it for pyproject's entry point."""
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    module, function = pyproject["project"]["scripts"]["reader"].split(":")
    script = folder / "reader"
    script.write_text(
        f"import sys\nfrom {module} import {function}\n"
        f"if __name__ == '__main__':\n    sys.exit({function}())\n"
    )
    return script


def test_the_reader_script_runs_the_command(tmp_path: Path) -> None:
    argv = ["--data-dir", str(tmp_path / "lib"), "show", "2401.99999"]
    done = subprocess.run(
        [sys.executable, str(the_reader_script(tmp_path)), *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "READER_DAILY_BACKUP": "0"},
        check=False,
        timeout=120,
    )
    assert done.returncode == main(argv) != 0, done.stderr


def test_a_worker_spawned_by_the_reader_script_loads_nothing_of_the_cli(tmp_path: Path) -> None:
    """A spawned process runs its parent's main script first, as `__mp_main__`: an index
    worker of the `reader` command loads only the entry point's own module then."""
    script = the_reader_script(tmp_path)
    probe = (
        f"import json, runpy, sys; runpy.run_path({str(script)!r}, run_name='__mp_main__'); "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'reader')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == ["reader", "reader.__main__"]


def test_tags_and_notes_are_searchable_right_after_they_change(capsys, imported) -> None:
    run(capsys, imported, "search", "adam", "--json")  # the index exists before the edits
    _, out, _ = run(capsys, imported, "search", "Adam Method Stochastic Optimization", "--json")
    pid = as_json(out)["results"][0]["id"]
    assert run(capsys, imported, "tag", pid, "optimizers")[0] == 0
    assert run(capsys, imported, "note", pid, "--set", "reread the bias correction")[0] == 0
    for query in ("tag:optimizers", "note:bias"):
        _, out, _ = run(capsys, imported, "search", query, "--json")
        assert [h["id"] for h in as_json(out)["results"]] == [pid], query


# -- the first hour (issue #21): what a new user met ------------------------------------------


def test_show_includes_the_users_own_data(capsys, imported) -> None:
    _, out, _ = run(capsys, imported, "search", "Adam Method Stochastic Optimization", "--json")
    pid = as_json(out)["results"][0]["id"]
    run(capsys, imported, "tag", pid, "optimizers", "survey")
    run(capsys, imported, "bookmark", pid)
    run(capsys, imported, "note", pid, "--set", "Re-read section 3.")
    code, out, _ = run(capsys, imported, "show", pid, "--json")
    paper = as_json(out)
    assert code == 0
    assert (paper["tags"], paper["note"]) == (["optimizers", "survey"], "Re-read section 3.")
    assert (paper["bookmarked"], paper["read"]) == (True, False)
    code, out, _ = run(capsys, imported, "show", pid)
    assert "bookmarked" in out.splitlines()[2]
    assert "tags: optimizers, survey" in out and out.rstrip().endswith("Re-read section 3.")


def test_a_rejected_file_is_one_line_on_stderr_naming_it_once(capsys, data_dir, tmp_path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some words\n", encoding="utf-8")
    code, out, err = run(capsys, data_dir, "import", str(bad))
    assert code == 1
    assert out.startswith("0 added, 0 updated, 0 duplicates, 1 rejected (")
    assert len(out.splitlines()) == 1
    (line,) = err.splitlines()
    assert line.startswith(f"reader: rejected {bad}: unknown format")
    assert line.count(str(bad)) == 1 and ":0:" not in line


def test_a_bad_limit_is_told_in_the_users_words(capsys, data_dir) -> None:
    for command in (["search", "x"], ["similar", "t:x"]):
        code, out, err = run(capsys, data_dir, *command, "--limit", "abc")
        assert code == 2 and out == ""
        assert "not a whole number: 'abc'" in err and "_positive" not in err


def test_stats_right_after_an_import_counts_the_index_it_will_search(capsys, imported) -> None:
    code, out, _ = run(capsys, imported, "stats")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["papers", "406"]
    assert lines[1].split() == ["index", "documents", "406"]
