"""The store numbers its writes of papers, one number per transaction, so the index can ask
what changed since the last number it took in."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from reader.core.model import Paper
from reader.core.store import Store, TitleKeys, changes


def paper(paper_id: str, title: str) -> Paper:
    return Paper(id=paper_id, title=title, added_at="2026-01-01", updated_at="2026-01-01")


def test_each_transaction_takes_one_number_for_all_its_papers(tmp_path: Path) -> None:
    store = Store(tmp_path / "papers.sqlite3")
    assert changes.current(store) == 0
    with store.transaction():
        store.insert(paper("2401.00001", "One"))
        store.insert_many([(paper("2401.00002", "Two"), TitleKeys.of("two"))])
    first = store.last_change
    assert changes.current(store) == first == 1
    with store.transaction():
        store.replace(
            paper("2401.00001", "One"), replace(paper("2401.00001", "One"), title="One, revised")
        )
    assert changes.current(store) == store.last_change == 2
    assert sorted(changes.ids_since(store, 0)) == ["2401.00001", "2401.00002"]
    assert changes.ids_since(store, 1) == ["2401.00001"]
    assert changes.numbers_since(store, 0) == [1, 2]
    assert changes.ids_since(store, 2) == []
    store.close()


def test_a_rolled_back_transaction_leaves_no_number(tmp_path: Path) -> None:
    store = Store(tmp_path / "papers.sqlite3")
    try:
        with store.transaction():
            store.insert(paper("2401.00001", "One"))
            raise RuntimeError("the batch failed")
    except RuntimeError:
        pass
    assert changes.current(store) == 0 and changes.ids_since(store, 0) == []
    store.close()


def test_a_store_of_an_earlier_version_gets_the_counter_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "papers.sqlite3"
    Store(path).close()
    plain = sqlite3.connect(path)  # as a reader before the counter left it
    plain.execute("DROP INDEX papers_changed")
    plain.execute("ALTER TABLE papers DROP COLUMN changed")
    plain.execute("DELETE FROM counts WHERE name = 'changes'")
    plain.commit()
    plain.close()
    store = Store(path)
    with store.transaction():
        store.insert(paper("2401.00001", "One"))
    assert changes.ids_since(store, 0) == ["2401.00001"]
    store.close()
