"""A search's ids in order, decoded as they are read (what the TUI's virtual list holds)."""

from __future__ import annotations

import pytest

from reader.core.search.results import RankedIds, SegmentedColumn

# Docnum 3 is a replaced copy of paper "b" (deleted, waiting for a merge): 1 is the live one.
COLUMN = [b"a", b"b", b"c", b"b", b"d"]


def test_reads_like_the_list_of_ids() -> None:
    ids = RankedIds([4, 1, 0], COLUMN)
    assert len(ids) == 3 and ids[0] == "d" and ids[-1] == "a"
    assert ids[1:] == ["b", "a"] and list(ids) == ["d", "b", "a"]
    assert ids == ["d", "b", "a"] and ids != ["d", "b"] and ids != ["d", "a", "b"]
    assert RankedIds([], COLUMN) == []


def test_finds_a_paper_by_its_live_docnum() -> None:
    ids = RankedIds([4, 1, 0], COLUMN)
    assert ids.index("b") == 1 and "b" in ids
    assert "c" not in ids and "zz" not in ids and 3 not in ids
    with pytest.raises(ValueError):
        ids.index("c")
    with pytest.raises(ValueError):
        ids.index("b", 2)


def test_ranks_the_rest_only_when_a_position_past_the_first_is_read() -> None:
    ranked: list[int] = []

    def rank_all() -> list[int]:
        ranked.append(1)
        return [4, 1, 0, 2]

    ids = RankedIds([4, 1], COLUMN, rank_all, total=4)
    assert len(ids) == 4 and ids[0] == "d" and ids[1] == "b" and ids[:2] == ["d", "b"]
    assert ids.index("b") == 1 and "d" in ids
    assert ranked == []  # all of that was among the first two
    assert ids[-1] == "c" and ranked == [1]
    assert ids[2:] == ["a", "c"] and list(ids) == ["d", "b", "a", "c"] and ranked == [1]
    with pytest.raises(IndexError):
        ids[4]
    later = RankedIds([4, 1], COLUMN, lambda: [4, 1, 0, 2], total=4)
    assert later.index("a") == 2 and later == ["d", "b", "a", "c"]
    assert RankedIds([4, 1], COLUMN, lambda: [4, 1, 0, 2], total=4)[1:3] == ["b", "a"]


def test_a_column_read_from_its_segments_reads_like_the_joined_one() -> None:
    column = SegmentedColumn([(b"a", b"b"), (b"c",), (), (b"b", b"d")])
    assert len(column) == len(COLUMN) and list(column) == COLUMN
    assert [column[docnum] for docnum in range(len(COLUMN))] == COLUMN
    with pytest.raises(IndexError):
        column[len(COLUMN)]
    ids = RankedIds([4, 1, 0], column)
    assert list(ids) == ["d", "b", "a"] and ids.index("b") == 1 and "c" not in ids
    assert len(SegmentedColumn([])) == 0 and list(SegmentedColumn([])) == []
