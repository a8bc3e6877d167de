"""Of two processes writing one paper's document, the last writes the store's version as of
that moment. A copy read before another process wrote the paper over (and indexed it, and
recorded its change taken in) went into the index after the newer one, and nothing caught it
up: the index disagreed with the store until `reader index check --fix`.

Each test stops this process just before it takes the index's write lock, lets another
process import a newer version of the paper, then lets this one go on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import types
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.index.paper_index import PaperIndex
from reader.core.library.facade import Library
from reader.core.library.importing import Importer
from reader.core.library.index_keeper import IndexKeeper
from reader.core.model import Paper, Record
from reader.core.paths import DataPaths


@pytest.fixture
def paths(indexed_sample: Path, tmp_path: Path) -> DataPaths:
    shutil.copytree(indexed_sample, tmp_path / "data")
    return DataPaths.resolve(tmp_path / "data")


@pytest.fixture
def paper(paths: DataPaths) -> Paper:
    """A paper with an arXiv id (the sample's have title ids), stored and indexed."""
    abstract = "Quokkas smile at the camera; we count how often."
    record = Record(title="Counting Quokka Smiles", arxiv_id="2401.00001", abstract=abstract)
    library = Library(paths)
    try:
        library.index  # noqa: B018 -- opened: the import indexes the paper
        assert library.import_items([record]).added == 1
        found = library.get("2401.00001")
    finally:
        library.close()
    assert found is not None
    return found


class Held:
    """A thread stopped where it calls PaperIndex.upsert from `caller` (before the index's
    write lock), until `go` is set."""

    def __init__(self, caller: Callable[..., object]) -> None:
        self.caller = caller.__code__
        self.reached, self.go = threading.Event(), threading.Event()
        self.errors: list[BaseException] = []

    def _trace(self, frame: types.FrameType, event: str, _arg: object) -> None:
        calling = frame.f_back
        upsert = event == "call" and frame.f_code is PaperIndex.upsert.__code__
        if upsert and calling is not None and calling.f_code is self.caller:
            sys.settrace(None)
            self.reached.set()
            self.go.wait(timeout=60)

    def run(self, work: Callable[[], object]) -> threading.Thread:
        def traced() -> None:
            sys.settrace(self._trace)
            try:
                work()
            except Exception as error:
                self.errors.append(error)
            finally:
                sys.settrace(None)

        thread = threading.Thread(target=traced)
        thread.start()
        return thread

    def meanwhile(self, thread: threading.Thread, other: Callable[[], None]) -> None:
        """Once the thread is stopped, run `other`, then let the thread finish."""
        try:
            assert self.reached.wait(timeout=60), "the thread never reached the upsert"
            other()
        finally:
            self.go.set()
            thread.join(timeout=120)
        assert not thread.is_alive() and self.errors == []


def race(
    caller: Callable[..., object], work: Callable[[], object], other: Callable[[], None]
) -> None:
    """`work` on a thread held where `caller` calls PaperIndex.upsert, `other` run meanwhile
    (another process's write), then the thread let go and joined."""
    held = Held(caller)
    held.meanwhile(held.run(work), other)


def import_newer(paths: DataPaths, paper: Paper, tmp_path: Path) -> Callable[[], None]:
    """Another reader process importing the paper with a longer abstract (the one kept)."""
    row = {"id": paper.id, "title": paper.title, "abstract": paper.abstract + " aardwolf bilby"}
    return import_in_another_process(paths, row, tmp_path)


def import_in_another_process(
    paths: DataPaths, row: dict[str, str], tmp_path: Path
) -> Callable[[], None]:
    """Another reader process importing one arXiv metadata row."""
    newer = tmp_path / "newer.jsonl"
    newer.write_text(json.dumps(row) + "\n")
    return in_another_process(paths, "import", str(newer))


def in_another_process(paths: DataPaths, *command: str) -> Callable[[], None]:
    """Another reader process running `reader COMMAND...` on the library."""

    def run() -> None:
        argv = ["--data-dir", str(paths.data_dir), *command]
        done = subprocess.run(
            [sys.executable, "-m", "reader", *argv], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr

    return run


def ours(paper: Paper) -> Record:
    """This process's import of the paper, its abstract longer than stored."""
    return Record(
        title=paper.title, arxiv_id=paper.id, abstract=paper.abstract + " aardwolf", source="a:1"
    )


def assert_newer_indexed(paths: DataPaths, paper: Paper) -> None:
    """The next open (which catches up what is not recorded taken in) finds the newer copy."""
    library = Library(paths)
    try:
        assert [hit.id for hit in library.search("abstract:bilby").results] == [paper.id]
        assert library.check_index().ok
    finally:
        library.close()


def test_an_import_indexes_the_copy_another_process_stored_after_it(
    paths: DataPaths, paper: Paper, tmp_path: Path
) -> None:
    """The import had its copy from its own store write; the other process's change was
    recorded taken in by that process, so no open caught the older copy up."""
    library = Library(paths)
    try:
        race(
            Importer._flush_index,
            lambda: library.import_items([ours(paper)]),
            import_newer(paths, paper, tmp_path),
        )
        assert library.search("abstract:bilby").total == 1
    finally:
        library.close()
    assert_newer_indexed(paths, paper)


def test_a_catch_up_indexes_the_copy_another_process_stored_after_it_looked(
    paths: DataPaths, paper: Paper, tmp_path: Path
) -> None:
    """The catch-up read the paper another process had written without indexing it, then a
    third imported a newer copy and indexed it before the catch-up took the lock."""
    writer = Library(paths)  # writes the store only, as a process whose index step failed
    try:
        with writer.store.transaction():
            writer.store.replace(paper, replace(paper, abstract=paper.abstract + " aardwolf"))
    finally:
        writer.close()
    library = Library(paths)
    try:
        race(IndexKeeper._catch_up, lambda: library.index, import_newer(paths, paper, tmp_path))
        assert library.search("abstract:bilby").total == 1
        assert library.check_index().ok
    finally:
        library.close()
    assert_newer_indexed(paths, paper)


def test_a_tag_indexes_the_copy_another_process_stored_after_it_looked(
    paths: DataPaths, paper: Paper, tmp_path: Path
) -> None:
    """An edit of the user's data re-indexes the paper from the copy it read (the store's
    version then), after the other process indexed its newer one."""
    library = Library(paths)
    try:
        library.index  # noqa: B018 -- opened first: the tag re-indexes the paper alone
        race(
            Library.reindex,
            lambda: library.user.add_tags(paper.id, ["quagga"]),
            import_newer(paths, paper, tmp_path),
        )
        assert library.search("abstract:bilby tag:quagga").total == 1
    finally:
        library.close()
    assert_newer_indexed(paths, paper)


def test_an_import_leaves_out_its_paper_another_process_merged_into_another(
    paths: DataPaths, tmp_path: Path
) -> None:
    """The import stored a paper under a title id; before it took the index's lock, another
    process imported the paper with its arXiv id (the title id became an alias of it) and
    indexed that. The import's copy under the old id would be a paper the store has not."""
    title, abstract = "Counting Wombat Burrows", "Wombats dig burrows; we count them by night."
    library = Library(paths)
    try:
        library.index  # noqa: B018 -- opened first: the import indexes its paper itself
        row = {"id": "2401.00002", "title": title, "abstract": abstract}
        race(
            Importer._flush_index,
            lambda: library.import_items([Record(title=title, abstract=abstract)]),
            import_in_another_process(paths, row, tmp_path),
        )
        assert [hit.id for hit in library.search("wombat burrows").results] == ["2401.00002"]
        assert library.check_index().ok
    finally:
        library.close()


def test_an_import_indexes_a_tag_another_process_saved_meanwhile(
    paths: DataPaths, paper: Paper, tmp_path: Path
) -> None:
    """The importing process had read the user's files before another process tagged the
    paper (and indexed it): the import's document must carry the tag the file holds now."""
    library = Library(paths)
    try:
        library.index  # noqa: B018 -- opened, and the user's files read, before the tag
        assert library.user.tags(paper.id) == []
        race(
            Importer._flush_index,
            lambda: library.import_items([ours(paper)]),
            in_another_process(paths, "tag", paper.id, "quagga"),
        )
        assert library.search("abstract:aardwolf tag:quagga").total == 1
    finally:
        library.close()
