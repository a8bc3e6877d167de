"""The subset of Zotero's schema that CI builds its test databases from (zotero_subset.py)
stays faithful to Zotero's own files where they are on the machine: its tables, columns and
item types are Zotero's, and the importer reads nothing outside it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import make_zotero_db
import pytest
import zotero_schema

from reader.core.importers import read_path
from reader.core.model import Record

Columns = dict[str, dict[str, tuple[str, int]]]  # table -> column -> (declared type, pk index)


def columns(tables: str) -> Columns:
    db = sqlite3.connect(":memory:")
    db.executescript(tables)
    names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = {
        table: {row[1]: (row[2], row[5]) for row in db.execute(f"PRAGMA table_info('{table}')")}
        for table in names
        if not table.startswith("sqlite_")
    }
    db.close()
    return found


def unique_keys(tables: str) -> set[tuple[str, tuple[str, ...]]]:
    """(table, columns) of each UNIQUE constraint."""
    db = sqlite3.connect(":memory:")
    db.executescript(tables)
    keys = set()
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for index in db.execute(f"PRAGMA index_list('{table}')").fetchall():
            if index[3] == "u":
                info = db.execute(f"PRAGMA index_info('{index[1]}')").fetchall()
                keys.add((table, tuple(row[2] for row in info)))
    db.close()
    return keys


def test_every_table_and_column_of_the_subset_is_zoteros(zotero_real_schema) -> None:
    subset, real = columns(zotero_schema.subset_schema().tables), columns(zotero_real_schema.tables)
    assert len(subset) >= 20
    for table, table_columns in subset.items():
        assert table in real, f"{table} is no table of {zotero_real_schema.name}"
        for name, declared in table_columns.items():
            assert real[table].get(name) == declared, f"{table}.{name}: {declared} in the subset"
    subset_keys = unique_keys(zotero_schema.subset_schema().tables)
    assert subset_keys and subset_keys <= unique_keys(zotero_real_schema.tables)


def test_the_subset_item_types_are_zoteros(zotero_real_schema) -> None:
    real = {entry["itemType"]: entry for entry in zotero_real_schema.item_types}
    for item_type in zotero_schema.subset_schema().item_types:
        name = item_type["itemType"]
        assert name in real, f"{name} is no item type of {zotero_real_schema.name}"
        real_fields = {entry["field"]: entry.get("baseField") for entry in real[name]["fields"]}
        for entry in item_type["fields"]:
            assert real_fields.get(entry["field"], "absent") == entry.get("baseField"), (
                name,
                entry,
            )
        real_creators = {
            c["creatorType"]: bool(c.get("primary")) for c in real[name]["creatorTypes"]
        }
        for creator in item_type["creatorTypes"]:
            found = real_creators.get(creator["creatorType"])
            assert found == bool(creator.get("primary")), (name, creator)


@pytest.mark.parametrize("built_from", ["subset", "zotero"])
def test_the_importer_reads_only_columns_both_schemas_have(
    built_from: str, zotero_real_schema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every (table, column) the importer's SQL reads, as SQLite's authorizer reports it,
    from a database built from either schema: so the subset can neither lack a column reader
    reads (behind a check that its table exists, it would go unnoticed) nor name it wrongly."""
    schema = zotero_schema.subset_schema() if built_from == "subset" else zotero_real_schema
    database = tmp_path / "Zotero" / "zotero.sqlite"
    database.parent.mkdir()
    make_zotero_db.build(database, schema, bulk=20)
    reads: set[tuple[str, str]] = set()

    def record(action: int, table: str | None, column: str | None, *_: object) -> int:
        if action == sqlite3.SQLITE_READ and table and not table.startswith("sqlite_"):
            reads.add((table, column or ""))
        return sqlite3.SQLITE_OK

    connect = sqlite3.connect

    def watched(*args, **kwargs) -> sqlite3.Connection:  # the importer's own connection
        connection = connect(*args, **kwargs)
        connection.set_authorizer(record)
        return connection

    monkeypatch.setattr(sqlite3, "connect", watched)
    assert sum(isinstance(item, Record) for item in read_path(database)) > 20
    monkeypatch.undo()
    assert {("itemDataValues", "value"), ("feeds", "libraryID")} <= reads
    subset, real = columns(zotero_schema.subset_schema().tables), columns(zotero_real_schema.tables)
    for table, column in sorted(reads):
        for name, found in (("the subset", subset), ("Zotero's schema", real)):
            table_columns = found.get(table, {})
            # An INTEGER PRIMARY KEY is the rowid, which SQLite reports as a read of "".
            rowid = [c for c, (kind, pk) in table_columns.items() if kind == "INTEGER" and pk]
            assert column in table_columns or (column == "" and rowid), (
                f"{table}.{column or 'rowid'}: read, not in {name}"
            )
