"""Importing the real seed pages into a real store and index: the Core issue's exact numbers."""

from __future__ import annotations

import threading
from pathlib import Path

from reader.core.library.facade import Library
from reader.core.model import ImportReport, Record
from reader.core.text import normalize_title

HEADERS = {
    "new",
    "get trending papers in your email inbox",
    "get trending papers in your email inbox once a day",
    "subscribe",
    "daily papers",
    "byak and the research community",
}


def test_each_seed_alone_gives_its_paper_count(tmp_path: Path, seeds: list[Path]) -> None:
    expected = {"000": 73, "001": 231, "002": 83, "003": 55}
    for seed in seeds:
        lib = Library.open(tmp_path / seed.name)
        report = lib.import_paths([seed])
        assert report.added == expected[seed.name[:3]], seed.name
        assert report.rejected == []
        assert lib.count() == expected[seed.name[:3]]
        lib.close()


def test_001_after_000_adds_219_and_merges_12(library: Library, seeds: list[Path]) -> None:
    library.import_paths([seeds[0]])
    report = library.import_paths([seeds[1]])
    assert report.added == 219
    assert report.updated + report.duplicates == 12


def test_four_seeds_give_406_unique_papers(sample_library: Library) -> None:
    assert sample_library.count() == 406
    titles = [p.title for p in sample_library.store.iter_papers()]
    assert len({normalize_title(t) for t in titles}) == 406


def test_first_paper_of_001_has_no_subscribe_prefix(library: Library, seeds: list[Path]) -> None:
    library.import_paths([seeds[1]])
    first = next(library.store.iter_papers())
    assert first.title == (
        "Global Convergence of Sub-gradient Method for Robust Matrix Recovery: Small "
        "Initialization, Noisy Measurements, and Over-parameterization"
    )


def test_no_title_is_a_header_or_date_line(sample_library: Library) -> None:
    for paper in sample_library.store.iter_papers():
        assert normalize_title(paper.title) not in HEADERS
        assert paper.title not in {"Sep 8", "Mar 11", "Mar 14"}
        assert paper.abstract, paper.title


def test_reimport_is_all_duplicates(sample_library: Library) -> None:
    report = sample_library.import_sample()
    assert (report.added, report.updated, report.duplicates) == (0, 0, 442)
    assert sample_library.count() == 406


def test_index_matches_store_after_import(sample_library: Library) -> None:
    check = sample_library.check_index()
    assert check.ok, check.to_dict()
    assert check.index_count == 406


def test_two_imports_of_the_same_new_paper_at_once_add_it_once(tmp_path: Path) -> None:
    """Each import looks its batch up, then writes: one that looked before the other wrote
    must not insert the paper again (a UNIQUE failure that lost its whole batch). The app's
    fetch and a `reader import` of the same day's listing do this."""
    record = Record(title="A paper two imports bring", arxiv_id="2501.00001", source="x:1")
    first, second = Library.open(tmp_path / "data"), Library.open(tmp_path / "data")
    looked, other_done = threading.Event(), threading.Event()

    def trace(sql: str) -> None:  # called as each statement starts, before it waits for a lock
        if sql.startswith("BEGIN") and not looked.is_set():
            looked.set()
            other_done.wait(timeout=30)

    first.store.conn.set_trace_callback(trace)
    reports: list[ImportReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            reports.append(first.import_items([record]))
        except Exception as error:
            errors.append(error)

    importing = threading.Thread(target=run)
    importing.start()
    try:
        assert looked.wait(timeout=30)
        assert second.import_items([record]).added == 1
    finally:
        other_done.set()
        importing.join(timeout=30)
        first.store.conn.set_trace_callback(None)
    assert errors == []
    assert (reports[0].added, reports[0].duplicates) == (0, 1)
    assert first.count() == second.count() == 1
    first.close()
    second.close()
