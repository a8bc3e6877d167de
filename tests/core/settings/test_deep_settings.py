"""config.yaml and theme files nested absurdly deep or absurdly big: a notice with
FILE:LINE:COL and the defaults, never a RecursionError that names no file (or a crash)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.fetch.feeds import ConfigError, load_settings
from reader.core.settings import yaml_positions
from reader.core.settings.config import Config, load_config
from reader.core.settings.themes import load_themes
from reader.core.yaml_limits import MAX_DEPTH

DEPTHS = [MAX_DEPTH + 1, 1_000, 50_000]


def deep_config(path: Path, depth: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"theme: x\nkeymap: {'[' * depth}{']' * depth}\n", encoding="utf-8")
    return path


def where(path: Path) -> str:
    return f"{path}:2:{len('keymap: ') + MAX_DEPTH}"  # the first `[` past the limit


@pytest.mark.parametrize("depth", DEPTHS)
def test_a_deep_config_is_a_notice_and_the_defaults(tmp_path: Path, depth: int) -> None:
    path = deep_config(tmp_path / "config.yaml", depth)

    config, notices = load_config(path)

    assert config == Config()
    assert notices == [
        f"{where(path)}: nested more than {MAX_DEPTH} levels deep; "
        "using the default settings until it is fixed"
    ]


@pytest.mark.parametrize("depth", DEPTHS)
def test_a_deep_config_is_a_fetch_settings_error_with_its_position(
    tmp_path: Path, depth: int
) -> None:
    path = deep_config(tmp_path / "config.yaml", depth)

    with pytest.raises(ConfigError) as raised:
        load_settings(path, {})

    assert str(raised.value) == f"{where(path)}: nested more than {MAX_DEPTH} levels deep"


def test_a_deep_user_theme_is_skipped_and_the_others_load(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(f"name: deep\nvariables: {'{a: ' * 1000}b{'}' * 1000}\n", encoding="utf-8")

    themes, notices = load_themes(tmp_path)

    assert notices == [
        f"{path}:2:{len('variables: ') + len('{a: ') * (MAX_DEPTH - 1) + 1}: "
        f"nested more than {MAX_DEPTH} levels deep; theme skipped"
    ]
    assert set(themes.themes) == set(load_themes()[0].themes)


def test_a_settings_file_over_the_cap_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml_positions, "MAX_BYTES", 100)
    path = tmp_path / "config.yaml"
    path.write_text("theme: x\n" + "# padding\n" * 20, encoding="utf-8")

    config, notices = load_config(path)

    assert config == Config()
    assert notices == [
        f"{path}: too big for a settings file (209 bytes; at most 100); "
        "using the default settings until it is fixed"
    ]


def test_fetch_beside_a_deep_config_says_where_in_a_real_process(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = deep_config(data / "config" / "config.yaml", 50_000)
    env = {**os.environ, "READER_DATA_DIR": str(data), "READER_DAILY_BACKUP": "0"}

    done = subprocess.run(
        [sys.executable, "-m", "reader", "fetch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 1
    assert done.stderr == f"reader: {where(path)}: nested more than {MAX_DEPTH} levels deep\n"
