"""The index's life: build, rebuild, upsert, delete, merge, locks and damage, on real files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from reader.core.index import segment_merge as merging
from reader.core.index import segment_read
from reader.core.index.paper_index import IndexBusy, IndexDamaged, PaperIndex, UserFields
from reader.core.model import Paper
from reader.core.search.engine import SearchEngine


def paper(i: int, title: str = "", abstract: str = "") -> Paper:
    return Paper(
        id=f"2401.{i:05d}",
        title=title or f"Paper number {i} about graphs",
        abstract=abstract or f"Abstract {i} on sparse graphs and pruning.",
        authors=[f"Author {i}"],
        published=f"2024-01-{1 + i % 28:02d}",
    )


def found(index: PaperIndex, query: str) -> list[str]:
    engine = SearchEngine(index, lambda ids: {})
    return [hit.id for hit in engine.search(query, limit=None).results]


@pytest.fixture
def index(tmp_path: Path) -> PaperIndex:
    ix = PaperIndex(tmp_path / "index", lock_timeout=0.5)
    ix.open()
    yield ix
    ix.close()


def test_open_creates_an_empty_index(tmp_path: Path) -> None:
    ix = PaperIndex(tmp_path / "data" / "index")
    assert not ix.exists()
    ix.open()
    assert ix.exists() and ix.doc_count() == 0 and ix.ids() == set()
    ix.close()


def test_rebuild_counts_and_reports_progress(index: PaperIndex) -> None:
    seen: list[tuple[int, int]] = []
    count = index.rebuild((paper(i) for i in range(1200)), 1200, progress=lambda *a: seen.append(a))
    assert count == 1200 == index.doc_count()
    assert index.ids() == {f"2401.{i:05d}" for i in range(1200)}
    assert seen[-1] == (1200, 1200) and len(seen) >= 3


def test_rebuild_replaces_everything(index: PaperIndex) -> None:
    index.rebuild([paper(1), paper(2)], 2)
    index.rebuild([paper(3)], 1)
    assert index.ids() == {"2401.00003"}
    assert found(index, "graphs") == ["2401.00003"]


def test_upsert_adds_and_replaces_by_id(index: PaperIndex) -> None:
    index.rebuild([paper(1), paper(2)], 2)
    assert index.upsert([paper(2, title="Completely new words"), paper(3)]) == 2
    assert index.doc_count() == 3
    assert found(index, "title:completely") == ["2401.00002"]
    assert "2401.00002" not in found(index, "title:graphs")


def test_upsert_with_user_fields(index: PaperIndex) -> None:
    index.upsert([paper(1)], user=lambda pid: UserFields(tags=["later"], note="remember this"))
    assert found(index, "tag:later") == ["2401.00001"]
    assert found(index, "note:remember") == ["2401.00001"]
    index.upsert([paper(1)])  # user data gone: the document is rebuilt without it
    assert found(index, "tag:later") == []


def test_a_few_papers_digests_and_user_data_are_found_as_in_a_whole_read(
    index: PaperIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A few papers are looked up by their ids, more read the columns whole: the answers are
    the same, across segments, replaced and deleted documents and papers not indexed."""
    index.rebuild([paper(i) for i in range(40)], 40)
    bookmarked = UserFields(bookmarked=True)
    index.upsert([paper(3, title="Renamed"), paper(41)], user=lambda pid: bookmarked)
    index.upsert([paper(7)], user=lambda pid: UserFields(tags=["later"]))
    index.delete(["2401.00005"])
    wanted = {f"2401.{i:05d}" for i in (1, 3, 5, 7, 41, 99)} | {""}
    few = index.digests(wanted)
    with_user = index.ids_with_user_data()
    monkeypatch.setattr(segment_read, "ID_LOOKUPS", 0)
    assert few == index.digests(wanted) and len(few) == 4  # 5 deleted, 99 never indexed
    assert few == {k: v for k, v in index.digests().items() if k in wanted}
    assert with_user == {"2401.00003", "2401.00007", "2401.00041"}


def test_delete(index: PaperIndex) -> None:
    index.rebuild([paper(i) for i in range(5)], 5)
    index.delete(["2401.00001", "2401.00003", "not-there"])
    assert index.doc_count() == 3
    assert index.ids() == {"2401.00000", "2401.00002", "2401.00004"}
    index.delete([])
    assert index.doc_count() == 3


def test_many_small_upserts_are_merged(index: PaperIndex) -> None:
    for i in range(3 * merging.FANOUT):
        index.upsert([paper(i)])
    assert index.doc_count() == 3 * merging.FANOUT
    assert index.segment_count() <= merging.MAX_SEGMENTS
    assert len(found(index, "graphs")) == 3 * merging.FANOUT


def test_merge_keeps_documents_and_drops_deleted_ones(index: PaperIndex) -> None:
    for start in range(0, 40, 10):
        index.upsert([paper(i) for i in range(start, start + 10)])
    index.delete([f"2401.{i:05d}" for i in range(0, 40, 2)])
    before = found(index, "pruning")
    index.optimize()
    assert index.segment_count() == 1
    assert index.doc_count() == 20
    assert found(index, "pruning") == before
    assert found(index, '"sparse graphs"') == before
    assert found(index, "id:2401.00003") == ["2401.00003"]
    assert sorted(found(index, "date:2024-01-04")) == ["2401.00003", "2401.00031"]
    assert found(index, "author:3") == ["2401.00003"]


def per_document(index: PaperIndex) -> dict[str, tuple[object, ...]]:
    """id -> what the index holds of a document besides its terms."""
    fields = ("title", "abstract", "author", "note")
    with index.reading() as searcher:
        reader = searcher.reader()
        digests = reader.column_reader("digest")
        return {
            stored["id"]: (
                stored,
                [reader.doc_field_length(docnum, field) for field in fields],
                digests[docnum],
            )
            for docnum, stored in reader.iter_docs()
        }


def test_a_merge_copies_stored_fields_lengths_and_columns(index: PaperIndex) -> None:
    for start in range(0, 30, 10):
        index.upsert(
            [
                paper(i, abstract=" ".join(["graphs"] * (1 + i * 7)))
                for i in range(start, start + 10)
            ]
        )
    index.delete([f"2401.{i:05d}" for i in range(0, 30, 3)])
    before = per_document(index)
    index.optimize()
    assert index.segment_count() == 1
    assert per_document(index) == before
    assert len(before) == 20


def test_sorts_survive_a_merge(index: PaperIndex) -> None:
    index.upsert([paper(1, title="Beta")])
    index.upsert([paper(2, title="alpha")])
    index.optimize()
    engine = SearchEngine(index, lambda ids: {})
    titles = [h.title for h in engine.search("graphs", limit=None, sort="title").results]
    assert titles == ["alpha", "Beta"]


def test_markup_in_titles_is_stored_as_is(index: PaperIndex) -> None:
    index.upsert([paper(1, title="[bold red]x[/] <script>y</script> \\[z]")])
    engine = SearchEngine(index, lambda ids: {})
    assert engine.search("script").results[0].title == "[bold red]x[/] <script>y</script> \\[z]"


HOLDER = textwrap.dedent(
    """
    import sys, time
    from whoosh.filedb.filestore import FileStorage
    lock = FileStorage(sys.argv[1]).lock("MAIN_WRITELOCK")
    assert lock.acquire()
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    lock.release()
    """
)


def hold_lock(folder: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_writer_waits_then_gives_up(index: PaperIndex) -> None:
    holder = hold_lock(index.index_dir, 30)
    try:
        with pytest.raises(IndexBusy, match="being written by another reader process"):
            index.upsert([paper(1)])
        with pytest.raises(IndexBusy):
            index.rebuild([paper(1)], 1)
    finally:
        holder.kill()
        holder.wait()
    index.upsert([paper(1)])
    assert index.doc_count() == 1


def test_a_second_writer_gets_in_when_the_first_finishes(tmp_path: Path) -> None:
    ix = PaperIndex(tmp_path / "index", lock_timeout=60)
    ix.open()
    holder = hold_lock(ix.index_dir, 1.0)
    try:
        ix.upsert([paper(1)])  # waits for the holder to let go
    finally:
        holder.wait()
    assert ix.doc_count() == 1
    ix.close()


def toc_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("_MAIN_*.toc"))


def test_garbage_toc_is_damage(tmp_path: Path) -> None:
    ix = PaperIndex(tmp_path / "index")
    ix.rebuild([paper(1)], 1)
    ix.close()
    toc_files(ix.index_dir)[-1].write_bytes(b"\x00garbage" * 10)
    with pytest.raises(IndexDamaged, match="rebuild"):
        PaperIndex(ix.index_dir).open()


def test_deleted_segment_file_is_damage(tmp_path: Path) -> None:
    ix = PaperIndex(tmp_path / "index")
    ix.rebuild([paper(1)], 1)
    ix.close()
    next(ix.index_dir.glob("*.pst")).unlink()
    with pytest.raises(IndexDamaged, match=r"segment file .*\.pst is missing"):
        PaperIndex(ix.index_dir).open()


def test_missing_directory_after_open_is_damage(tmp_path: Path) -> None:
    ix = PaperIndex(tmp_path / "index")
    ix.rebuild([paper(1)], 1)
    assert ix.doc_count() == 1
    for child in ix.index_dir.iterdir():
        child.unlink() if child.is_file() else None
    ix.index_dir.rmdir()
    with pytest.raises(IndexDamaged, match="missing"):
        ix.doc_count()


def test_rebuild_repairs_a_damaged_index(tmp_path: Path) -> None:
    ix = PaperIndex(tmp_path / "index")
    ix.rebuild([paper(1)], 1)
    ix.close()
    toc_files(ix.index_dir)[-1].write_bytes(b"junk")
    fresh = PaperIndex(ix.index_dir)
    assert fresh.rebuild([paper(2), paper(3)], 2) == 2
    fresh.close()
    again = PaperIndex(ix.index_dir)
    again.open()
    assert again.ids() == {"2401.00002", "2401.00003"}
    again.close()


def test_another_process_sees_a_rebuild(tmp_path: Path) -> None:
    reader_side = PaperIndex(tmp_path / "index")
    reader_side.rebuild([paper(1)], 1)
    assert found(reader_side, "graphs") == ["2401.00001"]
    writer_side = PaperIndex(tmp_path / "index")
    writer_side.rebuild([paper(2), paper(3)], 2)
    assert sorted(found(reader_side, "graphs")) == ["2401.00002", "2401.00003"]
    writer_side.close()
    reader_side.close()


def test_rebuild_leaves_no_scratch_files(index: PaperIndex) -> None:
    index.rebuild([paper(i) for i in range(20)], 20)
    index.upsert([paper(99)])
    names = {p.name for p in index.index_dir.iterdir()}
    assert not any(name.endswith(".tmp") for name in names), names
    assert len([n for n in names if n.endswith(".toc")]) == 1


def test_searches_in_other_threads_run_while_papers_are_written(index: PaperIndex) -> None:
    index.rebuild([paper(i) for i in range(50)], 50)
    engine = SearchEngine(index, lambda ids: {})
    errors: list[BaseException] = []
    done = threading.Event()

    def search() -> None:
        try:
            while not done.is_set():
                assert engine.search("graphs", limit=5).total >= 50
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=search) for _ in range(2)]
    for worker in workers:
        worker.start()
    try:
        for start in range(50, 130, 10):
            index.upsert([paper(i) for i in range(start, start + 10)])
        index.delete(["2401.00000"])
    finally:
        done.set()
        for worker in workers:
            worker.join()
    assert errors == []
    assert index.doc_count() == 129


def test_a_deleted_paper_is_not_found_while_its_segment_lives(index: PaperIndex) -> None:
    index.rebuild([paper(i) for i in range(20)], 20)
    index.delete(["2401.00007"])
    assert index.segment_count() == 1  # one deletion in twenty: no rewrite
    engine = SearchEngine(index, lambda ids: {})
    result = engine.search("graphs", limit=None)
    assert result.note is None and result.total == 19
    assert "2401.00007" not in [h.id for h in result.results]
    assert engine.search_ids("id:2401.00007")[0] == []


def test_rebuild_in_worker_processes_finds_the_same(tmp_path: Path) -> None:
    papers = [
        paper(i, abstract=f"Abstract {i} on {'sparse' if i % 3 else 'dense'} graphs.")
        for i in range(300)
    ]
    alone, together = PaperIndex(tmp_path / "alone"), PaperIndex(tmp_path / "together")
    seen: list[tuple[int, int]] = []
    assert alone.rebuild(papers, 300, workers=0) == 300
    assert together.rebuild(papers, 300, workers=2, progress=lambda *a: seen.append(a)) == 300
    assert together.ids() == alone.ids() and seen[-1] == (300, 300)
    for query in ["sparse", '"dense graphs"', "id:2401.00007", "date:2024-01-05"]:
        assert sorted(found(together, query)) == sorted(found(alone, query)), query
    alone.close()
    together.close()


def test_a_big_upsert_is_built_by_workers_too(
    index: PaperIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.index.segment_write as new_segments

    monkeypatch.setattr(new_segments, "PARALLEL_MIN", 100)
    index.rebuild([paper(i) for i in range(50)], 50, workers=0)
    assert index.upsert([paper(i, title=f"Renamed {i}") for i in range(25, 175)]) == 150
    assert index.doc_count() == 175
    assert sorted(found(index, "title:renamed")) == [f"2401.{i:05d}" for i in range(25, 175)]


def test_merging_papers_with_and_without_authors_or_dates(index: PaperIndex) -> None:
    bare = Paper(id="t:abc", title="Bare graphs paper", abstract="No authors, no date.")
    index.upsert([bare])
    index.upsert([paper(1), paper(2)])
    index.optimize()
    engine = SearchEngine(index, lambda ids: {})
    assert [h.id for h in engine.search("graphs", limit=None, sort="date").results] == [
        "2401.00002",
        "2401.00001",
        "t:abc",
    ]
    assert found(index, "author:1") == ["2401.00001"]
    assert engine.search("title:bare", limit=1).results[0].authors == []
