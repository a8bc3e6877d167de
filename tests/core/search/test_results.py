"""A search's ids in order, decoded as they are read (what the TUI's virtual list holds)."""

from __future__ import annotations

import pytest

from reader.core.search.results import RankedIds

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
