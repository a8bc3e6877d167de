"""Shared fixtures: every test gets its own data dir; nothing touches the real home."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path

import make_zotero_db  # tests/fixtures/importers/zotero (pytest's pythonpath)
import pytest
import zotero_schema
from fake_server import FakeServer  # tests/fixtures/fetch (pytest's pythonpath)

from reader.core.library.facade import Library
from reader.core.library.sample import sample_files
from reader.core.paths import DataPaths
from reader.core.store import background_check


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


_HOLD = """
import sys
from reader.core.library.facade import Library
library = Library.open(sys.argv[1])
print("open", flush=True)
sys.stdin.read()  # held until the test ends this process
"""


@contextmanager
def _reader_elsewhere(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another reader with the library open, until the block ends it with SIGKILL."""
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "open"
        yield process
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)


@pytest.fixture
def reader_elsewhere() -> Callable[[Path], AbstractContextManager[object]]:
    """A real second process with the library open, killed when the block ends."""
    return _reader_elsewhere


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


# -- a Zotero database, built from Zotero's schema or the subset of it (importers, library) ---


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    """A real HTTP server on 127.0.0.1; a proxy from the environment must not swallow it."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    with FakeServer() as fake:
        yield fake


@pytest.fixture
def pdf_server(server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    """The local server as where PDFs come from: /pdf/<id>, which READER_PDF_URL points at."""
    monkeypatch.setenv("READER_PDF_URL", f"{server.url}/pdf")
    return server


@pytest.fixture(scope="session")
def indexed_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the sample library and its index, built once; tests work on copies."""
    folder = tmp_path_factory.mktemp("indexed-sample")
    library = Library(DataPaths.resolve(folder))
    library.import_sample()
    library.index  # noqa: B018 - build it
    library.close()
    return folder


@pytest.fixture(scope="session")
def zotero_template(tmp_path_factory: pytest.TempPathFactory) -> make_zotero_db.Built:
    """One database built per run, from Zotero's own schema when it is on this machine, else
    from the part of it reader reads; each test gets its own copy (zotero_db)."""
    folder = tmp_path_factory.mktemp("zotero-template")
    return make_zotero_db.build(folder / "zotero.sqlite", zotero_schema.preferred_schema())


@pytest.fixture(scope="session")
def zotero_real_schema() -> zotero_schema.Schema:
    """Zotero's own schema files, for the tests that check the subset against them: they are
    Zotero's (AGPL-3.0) and not in this repository ($READER_ZOTERO_SCHEMA or shared/zotero/)."""
    folder = zotero_schema.schema_dir()
    if folder is None:
        pytest.skip("Zotero's schema files are not here (see zotero_schema.py)")
    return zotero_schema.from_files(folder)


@pytest.fixture
def zotero_db(zotero_template, tmp_path: Path):
    """A zotero.sqlite (WAL mode, as Zotero keeps it) alone in its own data folder."""
    import dataclasses
    import shutil

    folder = tmp_path / "Zotero"
    folder.mkdir()
    shutil.copyfile(zotero_template.path, folder / "zotero.sqlite")
    return dataclasses.replace(zotero_template, path=folder / "zotero.sqlite")


def _damage_an_index(store: Path) -> None:
    """Garbage over one index's root page: the store opens and reads, quick_check fails."""
    with closing(sqlite3.connect(store)) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'papers_title_head_id'"
        ).fetchone()
    data = bytearray(store.read_bytes())
    data[(root - 1) * 4096 : root * 4096] = b"\xff" * 4096
    store.write_bytes(bytes(data))


@pytest.fixture
def damage_an_index() -> Callable[[Path], None]:
    """Damage a store (of the sample, or more) that still opens: only the check finds it."""
    return _damage_an_index


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The store check after an unclean end held in its thread (before it reads the store)
    until the event is set (at the latest after 60 s: a bound, never a speed assertion)."""
    release = threading.Event()
    monkeypatch.setattr(background_check.hooks, "started", lambda: release.wait(60.0))
    yield release
    release.set()
