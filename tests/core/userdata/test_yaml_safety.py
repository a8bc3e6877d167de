"""YAML is data: no tag in a user file can run code, and no code in reader can let one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import reader
from reader.core.paths import DataPaths
from reader.core.userdata import UserData

UNSAFE = re.compile(
    r"yaml\.(load|load_all|full_load|full_load_all|unsafe_load|unsafe_load_all)\s*\("
    r"|\b(Unsafe|Full)Loader\b|yaml\.C?Loader\b|Loader\s*=\s*(yaml\.)?C?Loader\b"
)


def test_no_module_in_reader_loads_yaml_unsafely() -> None:
    package = Path(reader.__file__).parent
    offenders = [
        f"{path.relative_to(package.parent)}:{number}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNSAFE.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("line", ["yaml.load(text)", "yaml.unsafe_load(t)", "Loader=yaml.Loader"])
def test_the_scan_catches_unsafe_calls(line: str) -> None:
    assert UNSAFE.search(line)


@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("bookmarks.yaml", "version: 1\nbookmarks:\n  '2401.00001': {payload}\n"),
        ("tags.yaml", "version: 1\ntags:\n  '2401.00001': [{payload}]\n"),
        ("searches.yaml", "version: 1\nsearches:\n  s: {{query: {payload}}}\n"),
        ("read.yaml", "{payload}\n"),
        ("search-state.yaml", "version: 1\nsearches: {payload}\n"),
    ],
)
@pytest.mark.parametrize(
    "tag",
    ["!!python/object/apply:os.system", "!!python/object/new:os.system", "!!python/name:os.system"],
)
def test_a_python_tag_in_a_user_file_is_rejected_and_nothing_runs(
    paths: DataPaths, tmp_path: Path, name: str, template: str, tag: str
) -> None:
    proof = tmp_path / "pwned"
    payload = f'{tag} ["touch {proof}"]'
    path = paths.user_dir / name
    path.parent.mkdir(parents=True)
    path.write_text(template.format(payload=payload), encoding="utf-8")
    before = path.read_bytes()

    user = UserData(paths)

    [error] = user.load_errors
    assert "is not allowed" in error.message and error.line > 0
    assert not proof.exists()
    assert path.read_bytes() == before


def test_an_alias_bomb_is_refused_at_once(paths: DataPaths) -> None:
    lines = ["version: 1", "tags:", "  a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}]" for i in range(30)]
    path = paths.user_dir / "tags.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    [error] = UserData(paths).load_errors
    assert "anchors and aliases" in error.message
