"""The daily loop's app tests: a small real library of arXiv papers with authors (indexed),
real config files, real programs written as scripts, and the app's notifications."""

from __future__ import annotations

import shlex
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.app import App

from reader.core.library.facade import Library
from reader.core.paths import DataPaths

FIXTURES = Path(__file__).parents[1] / "fixtures"
for folder in ("daily", "fetch"):
    if str(FIXTURES / folder) not in sys.path:
        sys.path.insert(0, str(FIXTURES / folder))

from daily_library import PAPERS, fill, set_added  # noqa: E402

NEWEST_FIRST = [pid for pid, *_ in reversed(PAPERS)]  # All papers lists the newest additions first


@pytest.fixture(scope="module")
def daily_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six papers of tests/fixtures/daily, added an hour ago one after the other, indexed."""
    folder = tmp_path_factory.mktemp("daily-library")
    library = Library(DataPaths.resolve(folder))
    fill(library)
    start = datetime.now(UTC) - timedelta(hours=1)
    set_added(
        library,
        {
            pid: (start + timedelta(seconds=n)).isoformat(timespec="seconds")
            for n, pid in enumerate(pid for pid, *_ in PAPERS)
        },
    )
    library.index  # noqa: B018 - build the index, as a library that has been searched has one
    library.close()
    return folder


@pytest.fixture
def daily_paths(daily_template: Path, tmp_path: Path) -> DataPaths:
    target = tmp_path / "daily"
    shutil.copytree(daily_template, target)
    return DataPaths.resolve(target)


def configure(paths: DataPaths, text: str) -> Path:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    return paths.config_file


def program(tmp_path: Path, name: str, body: str) -> str:
    """A command line (as config.yaml takes it) that runs `body` as a Python script."""
    script = tmp_path / f"{name}.py"
    script.write_text(body, encoding="utf-8")
    return shlex.join([sys.executable, str(script)])


def summarizer(tmp_path: Path, body: str, timeout: float = 30) -> str:
    """The `summarize:` section for a fake summarizer (it gets the paper's id as argument)."""
    command = program(tmp_path, "summarize", body) + " {id}"
    return f"summarize:\n  command: {command!r}\n  timeout: {timeout}\n"


def notices(app: App[object]) -> list[str]:
    return [notification.message for notification in app._notifications]


def severity_of(app: App[object], text: str) -> str | None:
    """The severity of the first notification that contains `text`."""
    for notification in app._notifications:
        if text in notification.message:
            return notification.severity
    return None
