"""Bulk import: batched dedupe gives merge_record's outcomes, and an index built while the
store fills holds what a rebuild afterwards would."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.core import importers
from reader.core.gc_pause import BULK_THRESHOLDS, fewer_collections
from reader.core.index import live_holders
from reader.core.index.paper_index import PaperIndex, Papers
from reader.core.index.postings import read_vocabulary
from reader.core.library import import_workers, importing
from reader.core.library.dedupe import merge_batch, merge_record
from reader.core.library.facade import Library
from reader.core.library.sample import sample_files
from reader.core.model import Paper, Record
from reader.core.store.database import Store
from reader.core.store.integrity import find_problem

STAMP = "2025-01-01T00:00:00+00:00"
ADAM = "Adam: A Method for Stochastic Optimization"
ADAM_ABSTRACT = (
    "We introduce Adam, an algorithm for first-order gradient-based optimization of "
    "stochastic objective functions, based on adaptive estimates of lower-order moments."
)


def seed_records() -> list[Record]:
    return [
        item
        for path in sample_files()
        for item in importers.read_path(path)
        if isinstance(item, Record)
    ]


def tricky_records() -> list[Record]:
    """Every way a record can meet a stored paper, in an order that crosses batches."""
    return [
        Record(title=ADAM, abstract=ADAM_ABSTRACT, source="a.txt:1"),  # a title id first
        Record(title="Scaling Laws, Part 1", abstract="Laws of scale.", source="a.txt:2"),
        Record(title="Scaling Laws, Part 2", abstract="Laws of scale.", source="a.txt:3"),
        Record(title=ADAM, abstract=ADAM_ABSTRACT, source="b.txt:1"),  # gains a source
        Record(title=ADAM, arxiv_id="1412.6980", abstract=ADAM_ABSTRACT, source="c.json:1"),
        Record(  # a near-identical title with an agreeing abstract: the same paper
            title="Adam: A Method for Stochastic Optimisation",
            abstract=ADAM_ABSTRACT + " It is simple.",
            source="d.txt:1",
        ),
        Record(title=ADAM, arxiv_id="1412.6980v2", abstract=ADAM_ABSTRACT * 2, source="e:1"),
        Record(title=ADAM, arxiv_id="2101.00001", abstract="Another Adam.", source="f:1"),
        Record(title="Scaling Laws, Part 2", abstract="Laws of scale, again.", source="g:1"),
    ]


def records() -> list[Record]:
    seeds = seed_records()
    tricky = tricky_records()
    return seeds[:100] + tricky[:4] + seeds[100:250] + tricky[4:] + seeds[250:] + seeds[:30]


def rows(store: Store) -> tuple[list[tuple], list[tuple]]:
    papers = store.conn.execute("SELECT rowid, * FROM papers ORDER BY rowid").fetchall()
    papers = [row[:-1] for row in papers]  # not the change number: one per transaction
    aliases = store.conn.execute("SELECT * FROM aliases ORDER BY alias").fetchall()
    return papers, aliases


@pytest.mark.parametrize("size", [7, 2000])
def test_merge_batch_gives_the_outcomes_of_merge_record(tmp_path: Path, size: int) -> None:
    one, batched = Store(tmp_path / "one.sqlite3"), Store(tmp_path / "batched.sqlite3")
    items = records()
    with one.transaction():
        expected = [merge_record(one, record, STAMP) for record in items]
    got = []
    for start in range(0, len(items), size):
        with batched.transaction():
            got += merge_batch(batched, items[start : start + size], STAMP)
    assert [(m.outcome, m.paper, m.old_id) for m in got] == [
        (m.outcome, m.paper, m.old_id) for m in expected
    ]
    assert rows(batched) == rows(one)
    assert one.resolve("1412.6980") and one.count() == len(rows(one)[0])


def index_content(library: Library) -> tuple[int, dict, dict]:
    """Documents (stored fields by id) and every term's documents (as ids)."""
    with library.index.reading() as searcher:
        reader = searcher.reader()
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        stored = {fields["id"]: fields for _, fields in reader.iter_docs()}
        terms = {
            (field, term): sorted(ids[d] for d in live_holders(reader, field, term))
            for field, term in reader.all_terms()
        }
        return searcher.doc_count(), stored, terms


def without_stamps(store: Store) -> list[tuple]:
    return store.conn.execute(
        "SELECT rowid, id, title, abstract, authors, published, updated, listed, categories,"
        " links, sources, upvotes FROM papers ORDER BY rowid"
    ).fetchall()


def unique_records(tmp_path: Path) -> list[Record]:
    """Papers that meet none of each other (an arXiv snapshot)."""
    _corpus(tmp_path / "unique.jsonl", 300)
    return [r for r in importers.read_path(tmp_path / "unique.jsonl") if isinstance(r, Record)]


@pytest.mark.parametrize("kind", ["unique", "merging"])
def test_index_built_during_the_import_is_the_rebuilt_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Small batches, so a few hundred papers stream; "merging" papers change after they
    were sent to the index."""
    items = unique_records(tmp_path) if kind == "unique" else records()
    monkeypatch.setattr(importing, "BATCH", 40)
    streamed = Library.open(tmp_path / "streamed")
    report = streamed.import_items(items)
    assert streamed.has_index() and streamed.index.doc_count() == streamed.count()

    monkeypatch.setattr(importing, "BATCH", 10**6)  # never a whole batch: not streamed
    rebuilt = Library.open(tmp_path / "rebuilt")
    assert rebuilt.import_items(items).to_dict() == report.to_dict()
    assert not rebuilt.has_index()
    rebuilt.rebuild_index()

    assert without_stamps(streamed.store) == without_stamps(rebuilt.store)
    assert index_content(streamed) == index_content(rebuilt)
    assert vocabulary(streamed) == vocabulary(rebuilt)
    assert streamed.check_index().ok
    for query in ("adam stochastic", "title:scaling", "lottery ticket", "w1 w2", "w3~1"):
        assert [h.id for h in streamed.search(query).results] == [
            h.id for h in rebuilt.search(query).results
        ]
    if kind == "merging":
        assert [h.id for h in streamed.search("adam").results][:1] == ["1412.6980"]
    streamed.close()
    rebuilt.close()


def vocabulary(library: Library) -> dict[str, set[str]]:
    """The union of the segments' .voc files (fuzzy matching and suggestions read them)."""
    out: dict[str, set[str]] = {}
    with library.index.reading() as searcher:
        for leaf in searcher.reader().leaf_readers():
            segment = leaf[0].segment()
            for name, terms in (read_vocabulary(leaf[0].storage(), segment) or {}).items():
                out.setdefault(name, set()).update(terms)
    return out


def test_a_small_import_into_an_empty_library_leaves_the_index_to_its_first_use(
    library: Library,
) -> None:
    library.import_items(seed_records()[:50])
    assert not library.has_index()


def test_a_big_file_is_indexed_as_it_is_stored_from_its_first_paper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of MANY_BYTES or more into an empty library streams to the index (its worker
    starts before the first batch is parsed), even when it holds less than a batch; a smaller
    one with as few papers leaves the index to its first use."""
    corpus = tmp_path / "papers.jsonl"
    _corpus(corpus, 300)
    small = Library.open(tmp_path / "small")
    small.import_paths([corpus])
    assert small.count() == 300 and not small.has_index()
    monkeypatch.setattr(import_workers, "MANY_BYTES", corpus.stat().st_size)
    big = Library.open(tmp_path / "big")
    big.import_paths([corpus])
    assert big.has_index() and big.index.doc_count() == big.count() == 300
    assert big.check_index().ok
    small.close()
    big.close()


def test_an_import_into_a_library_with_papers_updates_its_index(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH", 5)
    assert sample_library.index.doc_count() == 406
    sample_library.import_items(tricky_records())
    check = sample_library.check_index()
    assert check.ok and check.index_count == check.store_count == 409
    assert [h.id for h in sample_library.search("adam stochastic").results][:1] == ["1412.6980"]


def test_an_import_into_a_library_writes_each_paper_to_its_index_once(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index opens (caught up) before the import stores anything. Opened at the first
    flush, its catch-up indexed the papers stored so far, and the flush indexed them again:
    a daily import into a library whose index was not open yet (`reader import`, `reader
    fetch`) did its index work twice."""
    sample_library.index  # noqa: B018 -- built, then closed: the next open finds it
    sample_library.close()
    written: list[str] = []
    upsert = PaperIndex.upsert

    def counted(index: PaperIndex, papers: Papers, *args: Any, **kwargs: Any) -> int:
        def read() -> list[Paper]:  # under the index's write lock, as `papers` would be
            read = list(papers() if callable(papers) else papers)
            written.extend(paper.id for paper in read)
            return read

        return upsert(index, read, *args, **kwargs)

    monkeypatch.setattr(PaperIndex, "upsert", counted)
    monkeypatch.setattr(importing, "BATCH", 3)  # several batches before the flush
    library = Library(sample_library.paths)
    try:
        report = library.import_items(tricky_records())
        assert report.added == 3 and written
        assert len(written) == len(set(written)), written  # none twice
        check = library.check_index()
        assert check.ok and check.index_count == check.store_count == 409
    finally:
        library.close()


def _corpus(path: Path, n: int, added: str = "") -> None:
    rand = random.Random(3)
    words = [f"w{i}" for i in range(3000)]
    with path.open("w") as out:
        for i in range(n):
            row = {
                "id": f"9101.{i:05d}",
                "title": " ".join(rand.choices(words, k=9)),
                "abstract": " ".join(rand.choices(words, k=150)) + added,
                "authors": "Ada Lovelace and Alan Turing",
                "categories": "cs.LG",
                "update_date": "2024-01-02",
            }
            out.write(json.dumps(row) + "\n")


# Stopped once this many are stored: past the batches read before streaming, so indexing.
_STOP_AT, _CORPUS = 8_000, 16_000


def _import_until(corpus: Path, data: Path, stored_at_least: int) -> subprocess.Popen:
    """Start `reader import` (in its own process group) and return once it has stored
    `stored_at_least` papers, so it is indexing as it goes."""
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "--data-dir", str(data), "import", str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    store = data / "papers.sqlite3"
    deadline = time.monotonic() + 120
    stored = 0
    while stored < stored_at_least and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
        if store.exists():
            # suppress: the file can exist a moment before its tables do
            with contextlib.suppress(sqlite3.OperationalError), sqlite3.connect(store) as conn:
                stored = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    assert process.poll() is None, "the import ended before it could be stopped"
    return process


def _left_whole_batches_and_a_repairable_index(data: Path) -> None:
    library = Library.open(data)
    assert find_problem(library.paths) is None
    count = library.count()
    # Whole transactions only: a big file's first is smaller, the others are whole batches.
    assert (count - importing.FIRST_BATCH) % importing.BATCH == 0 and _STOP_AT <= count < _CORPUS
    library.index  # noqa: B018 - the next open takes in what the stop left
    assert library.check_index().ok
    assert library.search("w1").total > 0
    library.close()


@pytest.mark.slow
def test_an_import_killed_while_it_indexes_leaves_a_store_and_a_repairable_index(
    tmp_path: Path,
) -> None:
    corpus, data = tmp_path / "c.jsonl", tmp_path / "data"
    _corpus(corpus, _CORPUS)
    process = _import_until(corpus, data, _STOP_AT)
    os.killpg(process.pid, signal.SIGKILL)  # the index workers too
    process.wait()
    _left_whole_batches_and_a_repairable_index(data)


@pytest.mark.slow
def test_ctrl_c_stops_an_indexing_import_at_once(tmp_path: Path) -> None:
    """SIGINT to the importing process alone (as bench/run.py --import-limit sends it): the
    workers are stopped, and the exit does not wait on batches queued for them."""
    corpus, data = tmp_path / "c.jsonl", tmp_path / "data"
    _corpus(corpus, _CORPUS)
    process = _import_until(corpus, data, _STOP_AT)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 130
    _left_whole_batches_and_a_repairable_index(data)


def test_an_import_collects_garbage_less_often_and_puts_the_thresholds_back(
    library: Library,
) -> None:
    seen: list[tuple[int, int, int]] = []
    before = gc.get_threshold()
    library.import_items(seed_records()[:30], progress=lambda *_: seen.append(gc.get_threshold()))
    assert seen and set(seen) == {BULK_THRESHOLDS}
    assert gc.get_threshold() == before != BULK_THRESHOLDS

    def failing() -> Iterator[Record]:
        yield from seed_records()[:5]
        raise OSError("the disk went away")

    with pytest.raises(OSError):
        library.import_items(failing())
    assert gc.get_threshold() == before


def test_overlapping_bulk_blocks_put_the_thresholds_back_when_the_last_ends() -> None:
    before = gc.get_threshold()
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first import ends while the second still runs
    assert gc.get_threshold() == BULK_THRESHOLDS
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_a_streamed_import_copies_the_store_log_beside_its_last_work_and_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the last batch is stored, the store's log is copied into its file in a thread of
    its own, while the last vectors are summed and the worker writes its last segment; the
    import returns once the copy is done."""
    copies: list[tuple[str, bool]] = []
    copy = Store.checkpoint

    def slow_copy(store: Store, *, empty: bool = False) -> None:
        copies.append((threading.current_thread().name, False))
        time.sleep(1)  # a copy slower than the rest of the import
        copy(store, empty=empty)
        copies[-1] = (copies[-1][0], empty)  # the thread's copy empties the log too

    monkeypatch.setattr(Store, "checkpoint", slow_copy)
    monkeypatch.setattr(importing, "BATCH", 40)
    library = Library.open(tmp_path / "streamed")
    library.import_items(unique_records(tmp_path))
    assert library.index.doc_count() == 300
    name, done = copies[0]
    assert name.startswith("reader-wal-copy") and done
    library.close()


def test_what_the_copy_of_the_store_log_raises_the_import_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a traceback printed by its thread while the import says it went well."""
    copy = Store.checkpoint

    def broken_copy(store: Store, *, empty: bool = False) -> None:
        if threading.current_thread().name.startswith("reader-wal-copy"):
            raise sqlite3.DatabaseError("database disk image is malformed")
        copy(store, empty=empty)

    monkeypatch.setattr(Store, "checkpoint", broken_copy)
    monkeypatch.setattr(importing, "BATCH", 40)
    library = Library.open(tmp_path / "streamed")
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):
        library.import_items(unique_records(tmp_path))
    library.close()


def test_an_import_leaves_the_store_checkpointing_as_usual(library: Library) -> None:
    library.import_items(seed_records()[:30])
    assert library.store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000


@pytest.mark.slow
def test_a_re_import_killed_half_way_is_searchable_by_its_new_words_at_the_next_open(
    tmp_path: Path,
) -> None:
    """Updated abstracts stored by a killed import are taken into the index at the next open
    (once they stayed unsearchable, and `index check` said ok)."""
    first, second, data = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "data"
    _corpus(first, 6_000)
    _corpus(second, 6_000, added=" quokkas")
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(data), "import", str(first)],
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "--data-dir", str(data), "import", str(second)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    updated, deadline = 0, time.monotonic() + 120
    while updated < 2000 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
        with sqlite3.connect(data / "papers.sqlite3") as conn:
            sql = "SELECT count(*) FROM papers WHERE abstract LIKE '%quokkas'"
            updated = conn.execute(sql).fetchone()[0]
    assert process.poll() is None, "the import ended before it could be stopped"
    process.kill()
    process.wait()
    with sqlite3.connect(data / "papers.sqlite3") as conn:
        updated = conn.execute(sql).fetchone()[0]
    assert 2000 <= updated < 6_000
    library = Library.open(data)
    try:
        assert library.search("abstract:quokkas", limit=0).total == updated
        assert library.check_index().ok
    finally:
        library.close()


def test_the_ids_sent_to_the_index_are_known_by_their_hashes() -> None:
    sent = importing.SentIds()
    assert not sent.any_of(["2401.00001"])
    sent.add(["2401.00002", "2401.00001"])
    sent.add(["2401.00003", "2401.00001", "2401.00003"])
    sent.add([])
    assert not sent.any_of([])
    assert not sent.any_of(["2401.00004", "title:graphs"])
    for pid in ("2401.00001", "2401.00002", "2401.00003"):
        assert sent.any_of(["2401.00009", pid])
