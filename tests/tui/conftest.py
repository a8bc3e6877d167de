"""TUI fixtures: a real sample library (store + Whoosh index) copied into each test's tmp dir.

Importing and indexing the sample once per session and copying the files per test keeps the
pilot tests real (nothing of ours is mocked) and fast.
"""

from __future__ import annotations

import asyncio
import inspect
import shutil
from pathlib import Path

import pytest
from tui_helpers import BIG

from reader.core.library.facade import Library
from reader.core.model import Paper
from reader.core.paths import DataPaths
from reader.core.store.database import now_iso


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (the pilot needs one; no plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture
def sample_paths(indexed_sample: Path, tmp_path: Path) -> DataPaths:
    """A private copy of the indexed sample library."""
    target = tmp_path / "data"
    shutil.copytree(indexed_sample, target)
    return DataPaths.resolve(target)


@pytest.fixture
def empty_paths(tmp_path: Path) -> DataPaths:
    return DataPaths.resolve(tmp_path / "empty")


@pytest.fixture(scope="session")
def big_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of BIG made-up papers (store and index), stored the way fill_store.py does."""
    folder = tmp_path_factory.mktemp("big-library")
    library = Library(DataPaths.resolve(folder))
    stamp = now_iso()
    with library.store.transaction():
        for i in range(BIG):
            library.store.insert(
                Paper(
                    id=f"2401.{i:05d}",
                    title=f"Big paper {i:05d} on {('pruning', 'diffusion', 'agents')[i % 3]}",
                    abstract=f"The abstract of paper {i}.",
                    authors=[f"Author {i % 97}"],
                    published=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    added_at=stamp,
                    updated_at=stamp,
                )
            )
    library.index  # noqa: B018 - build the index
    library.close()
    return folder


@pytest.fixture
def big_paths(big_template: Path, tmp_path: Path) -> DataPaths:
    target = tmp_path / "big"
    shutil.copytree(big_template, target)
    return DataPaths.resolve(target)
