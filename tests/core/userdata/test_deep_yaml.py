"""A user file nested absurdly deep, or absurdly big, is one broken file like any other:
named with FILE:LINE:COL, kept byte for byte, its defaults used, everything else working.
Before, 1,000 levels were a RecursionError naming no file and 50,000 a segmentation fault."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.paths import DataPaths
from reader.core.userdata import UserData, files
from reader.core.yaml_limits import MAX_DEPTH

OUT = {"capture_output": True, "text": True, "timeout": 120}


def nested(depth: int) -> str:
    return f"version: 1\nbookmarks: {'[' * depth}{']' * depth}\n"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 50_000])
def test_a_deeply_nested_file_is_a_broken_file_with_its_position(
    paths: DataPaths, depth: int
) -> None:
    path = paths.user_dir / "bookmarks.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(nested(depth), encoding="utf-8")
    before = path.read_bytes()

    user = UserData(paths)

    [error] = user.load_errors
    column = len("bookmarks: ") + MAX_DEPTH  # the first `[` past the limit (the root counts)
    assert str(error) == (
        f"could not read {path}:2:{column}: nested more than {MAX_DEPTH} levels deep"
    )
    assert user.bookmarks() == set()  # the default, and the other files work
    assert user.add_tags("2401.00001", ["rl"]) == ["rl"]
    assert path.read_bytes() == before


def test_nesting_within_the_limit_reads_as_before(paths: DataPaths) -> None:
    path = paths.user_dir / "tags.yaml"
    path.parent.mkdir(parents=True)
    deepest = MAX_DEPTH - 1  # below the root mapping
    path.write_text(f"version: 1\ntags: {'[' * deepest}{']' * deepest}\n", encoding="utf-8")

    [error] = UserData(paths).load_errors
    assert "expected a mapping" in error.message  # a wrong shape, not a refusal to read


def test_a_file_over_the_size_cap_is_not_read_at_all(
    paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    path = paths.user_dir / "read.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("version: 1\nread:\n" + "  '2401.00001': null\n" * 100, encoding="utf-8")

    user = UserData(paths)

    [error] = user.load_errors
    assert str(error).startswith(f"could not read {path}: it is 0 MiB, over the 0 MiB")
    assert user.read_ids() == set()


@pytest.mark.parametrize("depth", [1_000, 50_000])
def test_every_command_still_works_beside_a_deeply_nested_file(tmp_path: Path, depth: int) -> None:
    """In real processes: a crash here must fail the test, not the test runner."""
    data = tmp_path / "data"
    env = {**os.environ, "READER_DATA_DIR": str(data), "READER_DAILY_BACKUP": "0"}
    cli = [sys.executable, "-m", "reader"]
    subprocess.run([*cli, "sample"], env=env, check=True, capture_output=True, timeout=120)
    listing = subprocess.run([*cli, "search", "", "--json", "--limit", "1"], env=env, **OUT)
    pid = json.loads(listing.stdout)["results"][0]["id"]
    path = data / "user" / "bookmarks.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nested(depth), encoding="utf-8")

    tagged = subprocess.run([*cli, "tag", pid, "rl"], env=env, **OUT)
    listed = subprocess.run([*cli, "saved", "list"], env=env, **OUT)
    marked = subprocess.run([*cli, "bookmark", pid], env=env, **OUT)

    where = f"{path}:2:{len('bookmarks: ') + MAX_DEPTH}"
    assert (tagged.returncode, tagged.stdout) == (0, f"{pid}: rl\n")
    assert (listed.returncode, listed.stdout) == (0, "no saved searches\n")
    assert marked.returncode == 1  # never saved over the broken file
    assert f"reader: warning: could not read {where}: nested more than" in marked.stderr
    assert "Traceback" not in marked.stderr
    assert path.read_text(encoding="utf-8") == nested(depth)
