"""The start-up check's "one query": segment files damaged behind a sound table of contents
are caught, the index is set aside as index.broken-<time> and rebuilt from the store."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.core.index.paper_index import IndexDamaged, PaperIndex
from reader.core.index.probe import RECORD
from reader.core.library.facade import Library
from reader.core.model import Paper
from reader.core.paths import DataPaths

Damage = Callable[[Path], None]


def cut_in_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def emptied(path: Path) -> None:
    path.write_bytes(b"")


def zeroed(path: Path) -> None:
    path.write_bytes(b"\x00" * path.stat().st_size)


def tail_cut(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:-16])


# Every kind of file a search reads, each damaged the ways a crash or a bad disk leaves it.
DAMAGES = [
    (".pst", cut_in_half),
    (".pst", emptied),
    (".pst", zeroed),
    ("._stored.col", tail_cut),
    ("._stored.col", zeroed),
    (".id.col", emptied),
    (".id.col", tail_cut),
    (".title_sort.col", zeroed),
    ("._title_len.col", emptied),
    (".voc", tail_cut),
    (".voc", zeroed),
]


@pytest.fixture
def copy(indexed_sample: Path, tmp_path: Path) -> DataPaths:
    target = tmp_path / "data"
    shutil.copytree(indexed_sample, target)
    return DataPaths.resolve(target)


def segment_file(index_dir: Path, suffix: str) -> Path:
    found = [p for p in index_dir.iterdir() if p.name.endswith(suffix)]
    assert len(found) == 1, found
    return found[0]


def test_a_sound_index_passes_and_stays(copy: DataPaths) -> None:
    index = PaperIndex(copy.index_dir)
    index.open()
    index.probe()
    index.close()
    assert_opens_as_it_is(copy)


def assert_opens_as_it_is(paths: DataPaths) -> None:
    """The library opens with its index: nothing set aside, nothing said, nothing rebuilt."""
    library = Library(paths)
    try:
        assert library.index.doc_count() == 406
        assert library.index_message is None, library.index_message
        assert not list(paths.data_dir.glob("index.broken-*"))
    finally:
        library.close()


@pytest.mark.parametrize(("suffix", "damage"), DAMAGES, ids=lambda x: getattr(x, "__name__", x))
def test_damage_behind_a_sound_toc_is_caught_by_the_probe(
    copy: DataPaths, suffix: str, damage: Damage
) -> None:
    damage(segment_file(copy.index_dir, suffix))
    index = PaperIndex(copy.index_dir)
    index.open()  # the table of contents is fine: opening and counting do not notice
    assert index.doc_count() == 406
    with pytest.raises(IndexDamaged, match="damaged"):
        index.probe()
    index.close()


@pytest.mark.parametrize(("suffix", "damage"), DAMAGES, ids=lambda x: getattr(x, "__name__", x))
def test_the_library_sets_a_damaged_index_aside_and_rebuilds_it(
    copy: DataPaths, suffix: str, damage: Damage
) -> None:
    damage(segment_file(copy.index_dir, suffix))
    library = Library(copy)
    try:
        assert library.index.doc_count() == 406
        (aside,) = copy.data_dir.glob("index.broken-*")
        assert segment_file(aside, suffix).exists()  # kept as it was, for a look
        assert library.index_message is not None
        assert "set aside as" in library.index_message and str(aside) in library.index_message
        assert library.check_index().ok
        titles = [hit.title for hit in library.search("lottery ticket").results]
        assert "Proving the Lottery Ticket Hypothesis: Pruning is All You Need" in titles
        assert library.search("lotery").suggestion == "lottery"  # the vocabulary is back too
    finally:
        library.close()


def test_every_segment_is_probed(tmp_path: Path) -> None:
    index = PaperIndex(tmp_path / "index")
    index.open()
    for n in range(3):  # three upserts: three segments
        index.upsert([Paper(id=f"2401.0000{n}", title=f"Paper {n} on graphs", abstract="Graphs.")])
    assert index.segment_count() == 3
    index.probe()
    with index.reading() as searcher:
        last, _ = searcher.reader().leaf_readers()[-1]
        name = last.segment().make_filename(".id.col")
    index.close()
    cut_in_half(tmp_path / "index" / name)
    index = PaperIndex(tmp_path / "index")
    with pytest.raises(IndexDamaged, match="column"):
        index.probe()
    index.close()


def settle(index_dir: Path) -> None:
    """Files as a later start finds them: written a while ago."""
    for path in index_dir.iterdir():
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 10**10))


def test_a_segment_that_passed_is_read_again_only_once_it_changed(copy: DataPaths) -> None:
    settle(copy.index_dir)
    index = PaperIndex(copy.index_dir)
    index.probe()  # reads every segment, then records them
    assert (copy.index_dir / RECORD).exists()
    stored = segment_file(copy.index_dir, "._stored.col")
    before = stored.stat()
    zeroed(stored)
    os.utime(stored, ns=(before.st_atime_ns, before.st_mtime_ns))
    index.probe()  # the same size and time: not read (the stamp is all it knows)
    zeroed(stored)  # written now: a new time
    with pytest.raises(IndexDamaged, match="damaged"):
        index.probe()
    index.close()


def test_a_fresh_or_garbled_record_means_reading_every_segment(copy: DataPaths) -> None:
    for path in copy.index_dir.iterdir():
        os.utime(path)  # just written
    index = PaperIndex(copy.index_dir)
    index.probe()  # the files may change again within this clock tick: not recorded yet
    assert not (copy.index_dir / RECORD).exists()
    settle(copy.index_dir)
    (copy.index_dir / RECORD).write_text("{not json")
    zeroed(segment_file(copy.index_dir, ".voc"))
    settle(copy.index_dir)
    with pytest.raises(IndexDamaged, match="damaged"):
        index.probe()
    index.close()


def test_a_segment_whose_first_and_last_papers_were_updated_passes(copy: DataPaths) -> None:
    """An import that updates a paper deletes its old document; the probe reads the posting
    lists as written, so a deleted first or last document is no damage."""
    library = Library(copy)
    with library.index.reading() as searcher:
        (segment, _), *_ = searcher.reader().leaf_readers()
        ends = [segment.stored_fields(d)["id"] for d in (0, segment.doc_count_all() - 1)]
    library.index.upsert([library.get(paper_id) for paper_id in ends])
    library.close()
    assert_opens_as_it_is(copy)


def test_a_segment_whose_first_abstract_word_is_only_in_deleted_papers_passes(
    tmp_path: Path,
) -> None:
    """Ordinary tagging re-indexes a paper and deletes its old document: when the segment's
    first abstract word was in that document alone, the probe once called it damage."""
    paths = DataPaths.resolve(tmp_path)
    library = Library(paths)
    library.store.insert(Paper(id="2401.00001", title="Aardvark paper", abstract="Aardvarks dig."))
    for n in range(2, 6):
        library.store.insert(Paper(id=f"2401.0000{n}", title=f"Paper {n}", abstract="Graphs."))
    library.store.conn.commit()
    assert library.index.doc_count() == 5  # one segment, built from the store
    library.user.add_tags("2401.00001", ["zoo"])  # re-indexed: its old document is deleted
    assert library.index.segment_count() == 2
    library.close()
    library = Library(paths)
    try:
        assert library.search("tag:zoo").total == 1
        assert library.index_message is None, library.index_message
        assert not list(paths.data_dir.glob("index.broken-*"))
    finally:
        library.close()
