"""A library for every MCP test: the built-in sample, imported once by `reader sample`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from mcp_helpers import reader_command, server_env

LOTTERY = "Proving the Lottery Ticket Hypothesis: Pruning is All You Need"


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mcp-sample") / "data"
    subprocess.run(
        [*reader_command(), "sample"],
        env={**server_env(folder), "HOME": str(folder.parent)},
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder


@pytest.fixture
def library_dir(sample_template: Path, tmp_path: Path) -> Path:
    """A copy of the sample library of the test's own."""
    folder = tmp_path / "data"
    shutil.copytree(sample_template, folder)
    return folder
