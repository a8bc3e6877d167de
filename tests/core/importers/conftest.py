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


def _zotero_maker():  # the generator is a script under fixtures/, loaded as a module
    import importlib.util
    import sys

    path = FIXTURES / "zotero" / "make_zotero_db.py"
    spec = importlib.util.spec_from_file_location("make_zotero_db", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def zotero_maker():
    """make_zotero_db, when Zotero's schema files are on this machine (they are Zotero's,
    AGPL, and not in this repository: $READER_ZOTERO_SCHEMA or shared/zotero/)."""
    module = _zotero_maker()
    if module.schema_dir() is None:
        pytest.skip("Zotero's schema files are not here (see make_zotero_db.py)")
    return module


@pytest.fixture(scope="session")
def zotero_template(zotero_maker, tmp_path_factory: pytest.TempPathFactory):
    """One database built per run; each test gets its own copy (zotero_db)."""
    folder = tmp_path_factory.mktemp("zotero-template")
    return zotero_maker.build(folder / "zotero.sqlite", zotero_maker.schema_dir())


@pytest.fixture
def zotero_db(zotero_template, tmp_path: Path):
    """A zotero.sqlite (WAL mode, as Zotero keeps it) alone in its own data folder."""
    import dataclasses
    import shutil

    folder = tmp_path / "Zotero"
    folder.mkdir()
    shutil.copyfile(zotero_template.path, folder / "zotero.sqlite")
    return dataclasses.replace(zotero_template, path=folder / "zotero.sqlite")
