"""Helpers for the importer tests: the shipped seed pages, the fixtures, and item sorting."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pytest

from reader.core.model import Record, Rejection, Warning_

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "importers"
SHARED_SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


@dataclass
class Parsed:
    records: list[Record] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)

    @property
    def titles(self) -> list[str]:
        return [record.title for record in self.records]


def _parse(items: Iterable[Record | Rejection | Warning_]) -> Parsed:
    parsed = Parsed()
    for item in items:
        if isinstance(item, Record):
            parsed.records.append(item)
        elif isinstance(item, Rejection):
            parsed.rejections.append(item)
        else:
            assert isinstance(item, Warning_)
            parsed.warnings.append(item)
    return parsed


def package_seeds() -> list[Path]:
    """The four saved Daily Papers pages shipped in the package (reader/sample)."""
    folder = resources.files("reader").joinpath("sample")
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".txt"))


@pytest.fixture
def seed_files() -> list[Path]:
    files = package_seeds()
    assert [path.name[:3] for path in files] == ["000", "001", "002", "003"]
    return files


@pytest.fixture
def parse() -> Callable[[Iterable[Record | Rejection | Warning_]], Parsed]:
    """Sorts an importer's items into records, rejections and warnings (each item checked)."""
    return _parse


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def shared_seeds() -> Path:
    """../shared/seeds beside the repo (CI has it; a bare clone may not): skip without it."""
    if not SHARED_SEEDS.is_dir():
        pytest.skip("no ../shared/seeds beside the repo")
    return SHARED_SEEDS
