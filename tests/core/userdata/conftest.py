"""Every user data test gets its own data dir; the real home is never touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.paths import DataPaths


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataPaths:
    data = tmp_path / "data"
    monkeypatch.setenv("READER_DATA_DIR", str(data))
    return DataPaths(data, data / "config")
