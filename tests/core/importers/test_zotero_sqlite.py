"""Zotero's database, built from Zotero's published schema (or, without it, the part of it
reader reads): items mapped, the trash and feeds skipped, and the database only ever read from
a copy, even while Zotero holds it locked."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from reader.core.importers import UnreadableFile, detect, read_bytes, read_path, zotero_sqlite
from reader.core.model import Record


def by_line(records: list[Record], item_id: int) -> Record:
    (record,) = [record for record in records if record.source.endswith(f":{item_id}")]
    return record


def checksums(db: Path) -> dict[str, str]:
    """The bytes of the database and every file beside it (-wal, -shm, -journal)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(db.parent.iterdir())
    }


def test_a_zotero_database_is_detected_by_content(zotero_db) -> None:
    assert detect(zotero_db.path.read_bytes()[:65536]) == "zotero-sqlite"


def test_every_item_with_a_title_is_read_and_the_rest_skipped(zotero_db, parse) -> None:
    parsed = parse(read_path(zotero_db.path))
    assert len(parsed.records) == zotero_db.importable > 250  # a few hundred, of every type
    titles = {record.title for record in parsed.records}
    assert "A Paper In The Trash" not in titles  # deletedItems
    assert "A Feed Item" not in titles  # a feed library's item
    assert "Full Text PDF" not in titles  # attachments are no papers
    assert "A Group Library Report" in titles  # a group library is the user's too
    assert all(record.own for record in parsed.records)
    (rejection,) = parsed.rejections
    assert rejection.line == zotero_db.keys["NOTITLE1"]
    assert rejection.reason == "item NOTITLE1: no title"
    assert rejection.source == str(zotero_db.path)


def test_fields_creators_tags_collections_notes_and_files(zotero_db, parse) -> None:
    parsed = parse(read_path(zotero_db.path))
    record = by_line(parsed.records, zotero_db.keys["ATTN2017"])
    assert record.title == "Attention Is All You Need"
    assert record.abstract == "The dominant sequence transduction models are based on RNNs."
    assert record.authors == ["Ashish Vaswani", "Noam Shazeer", "Google Brain"]  # no editor
    assert (record.arxiv_id, record.published) == ("1706.03762", "2017-06-12")
    assert record.doi == "10.48550/arxiv.1706.03762"
    assert record.tags == [
        "Computer-Science-Computation-and-Language",
        "Machine-Learning",
        "transformers",
        "Reading/Transformers",  # nested collections, as parent/child
        "Thesis",  # and not "Old stuff/...": that collection is in the trash
    ]
    assert record.note == (
        "# Why it matters\n\nThe **key** idea: *attention* replaces recurrence. See "
        "[the abstract](https://arxiv.org/abs/1706.03762).\n\n- multi-head\n"
        "- positional encoding\n\n---\n\nSecond note: re-read section 3.2"
    )  # the deleted note left out
    stored = zotero_db.path.parent / "storage" / "PDF2017A" / "Vaswani - 2017 - Attention.pdf"
    assert stored.as_uri() in record.links
    assert "file:///home/me/papers/attention.pdf" in record.links


def test_dates_extra_and_base_fields(zotero_db, parse) -> None:
    records = parse(read_path(zotero_db.path)).records
    bert = by_line(records, zotero_db.keys["BERT2019"])
    assert (bert.published, bert.arxiv_id) == ("2019-06", "1810.04805")  # Extra's arXiv line
    assert bert.tags == ["nlp", "Reading/Transformers/Efficient"]
    case = by_line(records, zotero_db.keys["CASE1954"])
    assert (case.title, case.published) == ("Brown v. Board of Education", "1954-05-17")
    edited = by_line(records, zotero_db.keys["EDITED01"])
    assert (edited.authors, edited.published) == (["Ed Itor", "Ann Other"], "2001")
    hostile = by_line(records, zotero_db.keys["HOSTILE1"])
    assert (hostile.title, hostile.abstract) == ("Safe Title [bold]x[/bold]", "Text here")


def test_the_database_is_unchanged_and_never_locked(zotero_db) -> None:
    before = checksums(zotero_db.path)
    assert sum(isinstance(item, Record) for item in read_path(zotero_db.path)) > 250
    assert checksums(zotero_db.path) == before  # no -wal, -shm or -journal appeared either


def test_it_reads_while_zotero_holds_the_database_in_a_write_transaction(zotero_db) -> None:
    zotero = sqlite3.connect(zotero_db.path, isolation_level=None)
    try:
        zotero.execute("PRAGMA locking_mode=EXCLUSIVE")  # as Zotero runs
        zotero.execute("PRAGMA journal_mode=WAL")
        zotero.execute("PRAGMA wal_autocheckpoint=0")
        zotero.execute("UPDATE itemDataValues SET value = 'Renamed' WHERE value = 'Thesis'")
        zotero.execute(
            "UPDATE collections SET collectionName = 'Renamed' WHERE collectionName = 'Thesis'"
        )
        zotero.execute("BEGIN IMMEDIATE")  # a write under way, not committed
        zotero.execute("UPDATE collections SET collectionName = 'Uncommitted'")
        with pytest.raises(sqlite3.OperationalError, match="locked"):  # as others find it
            sqlite3.connect(f"{zotero_db.path.as_uri()}?mode=ro", uri=True, timeout=0.1).execute(
                "SELECT count(*) FROM items"
            )
        before = checksums(zotero_db.path)
        records = [item for item in read_path(zotero_db.path) if isinstance(item, Record)]
        assert checksums(zotero_db.path) == before
        attention = by_line(records, zotero_db.keys["ATTN2017"])
        assert "Renamed" in attention.tags  # committed, still in the -wal: read
        assert not any("Uncommitted" in tag for record in records for tag in record.tags)
    finally:
        zotero.close()


def test_a_database_being_written_is_waited_for_then_refused(zotero_db, monkeypatch) -> None:
    monkeypatch.setattr(zotero_sqlite, "WAIT_SECONDS", 0.3)
    journal = Path(f"{zotero_db.path}-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(504))  # a live journal
    with pytest.raises(UnreadableFile) as caught:
        list(read_path(zotero_db.path))
    assert str(caught.value).startswith(f"{zotero_db.path}: kept changing for 0 s")
    journal.write_bytes(bytes(512))  # the write ended (a persisted, zeroed journal)
    assert sum(isinstance(item, Record) for item in read_path(zotero_db.path)) > 250


def test_an_sqlite_file_that_is_not_zotero_is_refused_in_one_line(tmp_path: Path) -> None:
    other = tmp_path / "places.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE moz_places (url TEXT)").connection.commit()
    with pytest.raises(UnreadableFile) as caught:
        list(read_path(other))
    assert str(caught.value) == (
        f"{other}: is an SQLite database but not a Zotero one (no items and itemData)"
    )
    with pytest.raises(UnreadableFile, match="import a Zotero database by its path"):
        read_bytes(other.read_bytes(), "fetched")
