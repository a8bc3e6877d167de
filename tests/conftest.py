"""Shared fixtures: every test gets its own data dir; nothing touches the real home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.library import Library, sample_files
from reader.core.paths import DataPaths


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point every platform dir at a temp folder so no test can reach the user's library."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("READER_DATA_DIR", raising=False)
    monkeypatch.delenv("READER_CONFIG_DIR", raising=False)
    # No test leaves a backup process running behind it; the backup tests switch it on.
    monkeypatch.setenv("READER_DAILY_BACKUP", "0")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def paths(data_dir: Path) -> DataPaths:
    return DataPaths.resolve(data_dir)


@pytest.fixture
def seeds() -> list[Path]:
    """The four real saved Daily Papers pages, as shipped in the package."""
    files = sample_files()
    assert [f.name[:3] for f in files] == ["000", "001", "002", "003"]
    return files


@pytest.fixture
def library(paths: DataPaths) -> Iterator[Library]:
    lib = Library(paths)
    yield lib
    lib.close()


@pytest.fixture
def sample_library(library: Library) -> Library:
    library.import_sample()
    return library
