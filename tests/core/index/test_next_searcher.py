"""After a commit, the searcher keeps the readers of the segments the commit left as they were,
and opens those it changed (their deletions) or added."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.index.next_searcher import next_searcher
from reader.core.index.paper_index import PaperIndex, UserFields
from reader.core.model import Paper
from reader.core.search.engine import SearchEngine


def paper(i: int, word: str) -> Paper:
    return Paper(id=f"2401.{i:05d}", title=f"Paper {i} on {word}", abstract=f"About {word}.")


def readers(index: PaperIndex) -> dict[str, object]:
    """Segment id -> its open reader, in the index's current searcher."""
    with index.reading() as searcher:
        leaves = [r for r, _ in searcher.reader().leaf_readers() if r.segment() is not None]
        return {r.segment().segment_id(): r for r in leaves}


def found(index: PaperIndex, query: str) -> set[str]:
    return {hit.id for hit in SearchEngine(index, lambda ids: {}).search(query).results}


@pytest.fixture
def index(tmp_path: Path) -> PaperIndex:
    ix = PaperIndex(tmp_path / "index")
    ix.open()
    zebras = [paper(i, "zebra") for i in range(10, 20)]  # one deleted is not yet "mostly"
    ix.rebuild(zebras, len(zebras), lambda pid: UserFields())
    ix.upsert([paper(3, "aardvark")], lambda pid: UserFields())
    yield ix
    ix.close()


def test_a_commit_keeps_the_readers_of_the_segments_it_left_alone(index: PaperIndex) -> None:
    before = readers(index)
    assert len(before) == 2
    index.upsert([paper(4, "quokka")], lambda pid: UserFields())
    after = readers(index)
    assert len(after) == 3
    assert all(after[segid] is reader for segid, reader in before.items())
    assert found(index, "quokka") == {"2401.00004"}


def test_a_segment_whose_papers_were_deleted_is_read_again(index: PaperIndex) -> None:
    before = readers(index)
    index.delete(["2401.00010"])
    after = readers(index)
    changed = [segid for segid in before if after[segid] is not before[segid]]
    assert len(changed) == 1 and before[changed[0]].is_closed
    assert after[changed[0]].has_deletions()
    assert found(index, "zebra") == {f"2401.{i:05d}" for i in range(11, 20)}
    assert found(index, "aardvark") == {"2401.00003"}


def test_a_segment_that_cannot_be_opened_leaves_the_old_searcher_whole(
    index: PaperIndex,
) -> None:
    index.upsert([paper(4, "quokka")], lambda pid: UserFields())
    with index.reading() as old:
        kept = [reader for reader, _ in old.reader().leaf_readers()]
        toc = index._read_toc()
        newest = toc.segments[-1].segment_id()
        for file in index.index_dir.glob(f"*{newest}*"):
            file.unlink()
        toc.segments.append(toc.segments[-1])  # listed twice: opened anew the second time
        with pytest.raises(OSError):
            next_searcher(index._index(), toc, old)
        assert not any(reader.is_closed for reader in kept)
        assert old.doc_count() == 12


def test_from_an_empty_index_every_segment_is_opened(tmp_path: Path) -> None:
    ix = PaperIndex(tmp_path / "index")
    ix.open()
    assert readers(ix) == {}  # Whoosh's reader of no segment
    ix.rebuild([paper(1, "zebra")], 1, lambda pid: UserFields())
    ix.upsert([paper(2, "aardvark")], lambda pid: UserFields())
    assert len(readers(ix)) == 2 and found(ix, "zebra aardvark") == {"2401.00001", "2401.00002"}
    ix.close()
