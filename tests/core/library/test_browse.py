"""Filter-only queries list papers from the store: the lazy StoreView agrees with a plain list."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.library.browse import Selection, StoreView
from reader.core.library.facade import Library, browse
from reader.core.model import Paper
from reader.core.store.database import Store

N = 1234


def paper(i: int, added: str = "2026-01-01T00:00:00+00:00") -> Paper:
    return Paper(
        id=f"2401.{i:05d}",
        title=f"Paper number {i} about {'pruning' if i % 3 else 'diffusion'}",
        abstract=f"Abstract {i}.",
        published=f"2024-{1 + i % 12:02d}-01" if i % 5 else "",
        added_at=added,
        updated_at=added,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "papers.sqlite3")
    with store.transaction():
        for i in range(N):
            added = "2026-01-01T00:00:00+00:00" if i < 1000 else "2026-03-01T00:00:00+00:00"
            store.insert(paper(i, added))
    yield store
    store.close()


def every(store: Store) -> list[str]:
    return store.ids("added")


def test_everything_is_a_lazy_view_in_the_order_of_the_list(store: Store) -> None:
    ids = browse.view(store, Selection(), "relevance")
    assert isinstance(ids, StoreView)
    listed = every(store)
    assert len(ids) == N
    assert list(ids) == listed
    assert ids[0] == listed[0] and ids[-1] == listed[-1] and ids[617] == listed[617]
    assert ids[200:400] == listed[200:400]
    assert ids[N - 5 : N + 10] == listed[N - 5 :]
    assert ids[10:30:7] == listed[10:30:7]
    assert ids.index(listed[999]) == 999
    assert listed[3] in ids and "2401.99999" not in ids
    with pytest.raises(IndexError):
        ids[N]
    with pytest.raises(ValueError):
        ids.index("nope")


def test_unread_is_everything_minus_what_was_read(store: Store) -> None:
    listed = every(store)
    read = {listed[0], listed[5], listed[6], listed[700], listed[-1], "2401.99999"}
    ids = browse.view(store, Selection(without=frozenset(read)), "relevance")
    assert isinstance(ids, StoreView)
    expected = [pid for pid in listed if pid not in read]
    assert len(ids) == len(expected) == N - 5
    assert list(ids) == expected
    for position in (0, 1, 4, 5, 6, 697, 698, len(expected) - 1):
        assert ids[position] == expected[position]
        assert ids.index(expected[position]) == position
    assert ids[3:12] == expected[3:12]
    assert listed[5] not in ids
    assert browse.count(store, Selection(without=frozenset(read))) == N - 5


def test_recently_added_is_a_range_of_rowids(store: Store) -> None:
    since = Selection(added_since="2026-02-01T00:00:00+00:00")
    ids = browse.view(store, since, "relevance")
    assert isinstance(ids, StoreView)
    assert list(ids) == every(store)[: N - 1000]
    assert browse.count(store, since) == N - 1000
    later = Selection(added_since="2027-01-01T00:00:00+00:00")
    assert len(browse.view(store, later, "relevance")) == 0 == browse.count(store, later)


def test_sets_and_other_sorts_are_lists_sorted_by_sqlite(store: Store) -> None:
    listed = every(store)
    marked = frozenset({listed[9], listed[2], listed[400], "2401.99999"})
    ids = browse.view(store, Selection(only=marked), "relevance")
    assert ids == [listed[2], listed[9], listed[400]]
    read = frozenset({listed[9]})
    assert browse.view(store, Selection(only=marked, without=read), "relevance") == [
        listed[2],
        listed[400],
    ]
    assert browse.view(store, Selection(), "date") == store.ids("date")
    assert browse.view(store, Selection(), "title") == store.ids("title")
    unread_by_date = browse.view(store, Selection(without=read), "date")
    assert unread_by_date == [pid for pid in store.ids("date") if pid not in read]


def test_a_gap_in_the_rowids_falls_back_to_a_list(store: Store) -> None:
    with store.transaction():
        store.conn.execute("DELETE FROM papers WHERE id = ?", ("2401.00500",))
    ids = browse.view(store, Selection(), "relevance")
    assert not isinstance(ids, StoreView)
    assert ids == every(store) and len(ids) == N - 1


def test_an_empty_store_is_an_empty_view(tmp_path: Path) -> None:
    store = Store(tmp_path / "empty.sqlite3")
    try:
        ids = browse.view(store, Selection(), "relevance")
        assert len(ids) == 0 and list(ids) == [] and ids[0:10] == []
        assert browse.is_empty(store)
        assert len(browse.view(store, Selection(added_since="2020"), "relevance")) == 0
    finally:
        store.close()


def test_a_view_reads_through_another_connection(store: Store, tmp_path: Path) -> None:
    ids = browse.view(store, Selection(), "relevance")
    assert isinstance(ids, StoreView)
    other = Store(store.path)
    try:
        again = ids.reading_from(other)
        assert again.store is other and list(again) == list(ids)
    finally:
        other.close()
    with pytest.raises(sqlite3.ProgrammingError):
        closed = Store(store.path)
        closed.close()
        ids.reading_from(closed)[0]


def test_library_filters_list_and_count_without_the_index(sample_library: Library) -> None:
    library = sample_library
    listed = library.store.ids()
    user = library.user
    user.set_read(listed[1], True)
    user.set_read(listed[3], True)
    user.set_bookmark(listed[3], True)
    user.set_bookmark(listed[8], True)
    unread, result = library.search_ids("is:unread")
    assert list(unread) == [pid for pid in listed if pid not in {listed[1], listed[3]}]
    assert result.total == len(listed) - 2 == library.count_matching("is:unread")
    marked, _ = library.search_ids("is:bookmarked is:unread")
    assert list(marked) == [listed[8]]
    assert library.count_matching("is:read") == 2
    assert library.count_matching("") == len(listed)
    page = library.search("is:unread", limit=3, offset=1)
    assert [hit.id for hit in page.results] == [listed[2], listed[4], listed[5]]
    assert page.total == len(listed) - 2
    assert "index" not in library.__dict__  # none of this opened the index


def test_unread_with_words_keeps_only_unread_matches(sample_library: Library) -> None:
    library = sample_library
    found, _ = library.search_ids("pruning")
    assert len(found) >= 2
    library.user.set_read(found[0], True)  # re-indexed: papers of equal score may swap
    unread, result = library.search_ids("pruning is:unread")
    assert sorted(unread) == sorted(pid for pid in found if pid != found[0])
    assert library.count_matching("pruning is:unread") == result.total == len(found) - 1


def _indexes(store: Store) -> set[str]:
    rows = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    return {name for (name,) in rows}


def _by_python(store: Store, order: str) -> list[str]:
    rows = store.conn.execute("SELECT id, title, published FROM papers").fetchall()
    if order == "date":  # newest first, undated last; ties by id, descending
        rows.sort(key=lambda r: (r[2] != "", r[2], r[0]), reverse=True)
    else:
        rows.sort(key=lambda r: (r[1].lower(), r[0]))
    return [r[0] for r in rows]


@pytest.mark.parametrize("order", ["date", "title"])
def test_the_first_listing_by_date_or_title_makes_its_covering_index(
    store: Store, order: str
) -> None:
    assert f"papers_by_{order}" not in _indexes(store)  # an import does not pay for it
    listed = browse.view(store, Selection(without=frozenset({"2401.00007"})), order)
    assert f"papers_by_{order}" in _indexes(store)
    plan = store.conn.execute(
        f"EXPLAIN QUERY PLAN SELECT id FROM papers ORDER BY {store.order_by(order)}"
    )
    assert f"COVERING INDEX papers_by_{order}" in " ".join(str(row) for row in plan)
    assert listed == [pid for pid in _by_python(store, order) if pid != "2401.00007"]
    assert store.ids(order) == _by_python(store, order)


def test_listing_never_waits_for_another_writer_to_make_the_index(store: Store) -> None:
    other = sqlite3.connect(store.path, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another process in the middle of an import
    try:
        assert store.ids("date") == _by_python(store, "date")  # sorted without the index
        assert "papers_by_date" not in _indexes(store)
    finally:
        other.rollback()
        other.close()
    store.ids("date")
    assert "papers_by_date" in _indexes(store)


def test_search_ids_now_answers_only_what_costs_the_same_at_any_size(
    sample_library: Library,
) -> None:
    library = sample_library
    ids, result = library.search_ids_now("") or ((), None)
    assert isinstance(ids, StoreView) and result is not None
    assert list(ids) == list(library.search_ids("")[0]) and result.total == len(ids)
    unread, _ = library.search_ids_now("is:unread", sort="relevance") or ((), None)
    assert isinstance(unread, StoreView) and len(unread) == len(ids)
    assert library.search_ids_now("pruning") is None  # words need the index
    assert library.search_ids_now("", sort="date") is None  # SQLite sorts every id
    assert library.search_ids_now("is:bookmarked") is None  # a set, listed whole
    assert "index" not in library.__dict__


def test_the_lazy_view_declines_a_store_with_gaps(store: Store) -> None:
    with store.transaction():
        store.conn.execute("DELETE FROM papers WHERE id = ?", ("2401.00500",))
    assert browse.lazy_view(store, Selection(), "relevance") is None
    assert len(browse.view(store, Selection(), "relevance")) == N - 1
