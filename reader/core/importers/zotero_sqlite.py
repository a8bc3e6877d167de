"""Zotero's own database (zotero.sqlite), read from a private copy so Zotero never notices.

Zotero keeps its database open with an exclusive lock while it runs (no other program may
even read it) and writes in WAL mode. So the file and its -wal are copied, as bytes, into a
temporary folder, and only the copy is opened, read-only (mode=ro); nothing ever opens the
original with SQLite, so it is never locked or changed. A copy taken while Zotero was writing
could be torn: the files must be unchanged (size, mtime) from before the copy to after it,
and a rollback -journal (a write under way, in the older journal mode) must be gone; else the
copy is made again after a short wait, for at most WAIT_SECONDS, then the file is refused.

Read: items of every type but notes, attachments and annotations; not those in the trash
(deletedItems), nor feed items. Each with its fields, creators in order, tags, the
collections holding it (nested as "parent/child"), its child notes and its stored PDFs.
Items are read in batches of BATCH ids, so a big library never sits in memory whole.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from reader.core.importers.build import Item
from reader.core.importers.errors import UnreadableFile
from reader.core.importers.own_fields import file_link
from reader.core.importers.zotero_item import NOT_PAPERS, ZoteroItem, creator_name, item_items

WAIT_SECONDS = 10.0
BATCH = 500
_CORE_TABLES = {"items", "itemData", "itemDataValues", "itemTypes", "fields"}
_HOT_JOURNAL = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"  # a rollback journal's header while in use
_LINKED_FILE = 2  # itemAttachments.linkMode of a file linked where it lies
_MAX_DEPTH = 32


def read(path: Path, source: str) -> Iterator[Item]:
    with tempfile.TemporaryDirectory(prefix="reader-zotero-") as folder:
        copy = _copy(path, Path(folder), source)
        connection = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if not tables >= _CORE_TABLES:
                raise UnreadableFile(
                    source, "is an SQLite database but not a Zotero one (no items and itemData)"
                )
            yield from _Library(connection, tables, path.parent, source).items()
        except sqlite3.DatabaseError as error:
            raise UnreadableFile(source, f"cannot be read as a Zotero database: {error}") from None
        finally:
            connection.close()


def _copy(path: Path, folder: Path, source: str) -> Path:
    """A copy of the database (and its -wal) that no writer tore, in folder."""
    target = folder / "zotero.sqlite"
    wal, target_wal = Path(f"{path}-wal"), Path(f"{target}-wal")
    deadline = time.monotonic() + WAIT_SECONDS
    delay = 0.05
    while True:
        before = _state(path)
        if not _writing(path):
            try:
                shutil.copyfile(path, target)
                if wal.exists():
                    shutil.copyfile(wal, target_wal)
                else:
                    target_wal.unlink(missing_ok=True)
            except OSError as error:
                raise UnreadableFile(
                    source, f"cannot be copied: {error.strerror or error}"
                ) from None
            if _state(path) == before:
                return target
        if time.monotonic() >= deadline:
            raise UnreadableFile(
                source,
                f"kept changing for {WAIT_SECONDS:.0f} s while it was copied (is Zotero writing "
                "to it?); try again when Zotero is idle, or close Zotero first",
            )
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def _state(path: Path) -> tuple[tuple[int, int] | None, ...]:
    """Size and mtime of the database and its -wal and -journal (None: absent)."""
    states = []
    for name in (str(path), f"{path}-wal", f"{path}-journal"):
        try:
            info = Path(name).stat()
            states.append((info.st_size, info.st_mtime_ns))
        except FileNotFoundError:
            states.append(None)
    return tuple(states)


def _writing(path: Path) -> bool:
    """Whether a rollback journal says a write is under way (its header is live)."""
    try:
        with open(f"{path}-journal", "rb") as journal:
            return journal.read(8) == _HOT_JOURNAL
    except FileNotFoundError:
        return False


class _Library:
    """The queries, against the copy; table names as the Zotero version at hand has them."""

    def __init__(
        self, connection: sqlite3.Connection, tables: set[str], folder: Path, source: str
    ) -> None:
        self.db = connection
        self.tables = tables
        self.folder = folder  # Zotero's data folder: stored files are in its storage/
        self.source = source
        combined = "Combined" if "fieldsCombined" in tables else ""
        self.fields_table = f"fields{combined}"
        self.types_table = f"itemTypes{combined}" if "itemTypesCombined" in tables else "itemTypes"

    def _not_deleted(self, column: str) -> str:
        if "deletedItems" not in self.tables:
            return "1"
        return f"{column} NOT IN (SELECT itemID FROM deletedItems)"

    def items(self) -> Iterator[Item]:
        papers = ", ".join(f"'{name}'" for name in sorted(NOT_PAPERS))
        feeds = (
            "i.libraryID NOT IN (SELECT libraryID FROM feeds)" if "feeds" in self.tables else "1"
        )
        rows = self.db.execute(
            f"SELECT i.itemID, i.key, t.typeName FROM items i"
            f" JOIN {self.types_table} t ON t.itemTypeID = i.itemTypeID"
            f" WHERE t.typeName NOT IN ({papers}) AND {self._not_deleted('i.itemID')}"
            f" AND {feeds} ORDER BY i.itemID"
        ).fetchall()
        paths = self._collection_paths()
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            span = (batch[0][0], batch[-1][0])
            fields = self._fields(span)
            creators = self._creators(span)
            tags = self._by_item("SELECT it.itemID, t.name FROM itemTags it JOIN tags t"
                                 " ON t.tagID = it.tagID WHERE it.itemID BETWEEN ? AND ?"
                                 " ORDER BY it.itemID, t.name", span, "itemTags")  # fmt: skip
            members = self._by_item("SELECT itemID, collectionID FROM collectionItems"
                                    " WHERE itemID BETWEEN ? AND ? ORDER BY itemID, orderIndex",
                                    span, "collectionItems")  # fmt: skip
            notes = self._notes(span)
            files = self._files(span)
            for item_id, key, type_name in batch:
                item = ZoteroItem(
                    key=key,
                    item_type=type_name,
                    fields=dict(fields.get(item_id, [])),
                    creators=creators.get(item_id, []),
                    tags=[str(tag) for tag in tags.get(item_id, [])],
                    collections=[paths[c] for c in members.get(item_id, []) if c in paths],
                    notes=notes.get(item_id, []),
                    files=files.get(item_id, []),
                )
                yield from item_items(item, self.source, item_id)

    def _by_item(self, sql: str, span: tuple[int, int], table: str) -> dict[int, list]:
        grouped: dict[int, list] = defaultdict(list)
        if table in self.tables:
            for item_id, value in self.db.execute(sql, span):
                grouped[item_id].append(value)
        return grouped

    def _fields(self, span: tuple[int, int]) -> dict[int, list[tuple[str, str]]]:
        rows = self.db.execute(
            f"SELECT d.itemID, f.fieldName, v.value FROM itemData d"
            f" JOIN {self.fields_table} f ON f.fieldID = d.fieldID"
            f" JOIN itemDataValues v ON v.valueID = d.valueID WHERE d.itemID BETWEEN ? AND ?",
            span,
        )
        grouped: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for item_id, name, value in rows:
            grouped[item_id].append((name, "" if value is None else str(value)))
        return grouped

    def _creators(self, span: tuple[int, int]) -> dict[int, list[tuple[str, str]]]:
        grouped: dict[int, list[tuple[str, str]]] = defaultdict(list)
        if not {"itemCreators", "creators", "creatorTypes"} <= self.tables:
            return grouped
        rows = self.db.execute(
            "SELECT ic.itemID, c.firstName, c.lastName, c.fieldMode, t.creatorType"
            " FROM itemCreators ic JOIN creators c ON c.creatorID = ic.creatorID"
            " JOIN creatorTypes t ON t.creatorTypeID = ic.creatorTypeID"
            " WHERE ic.itemID BETWEEN ? AND ? ORDER BY ic.itemID, ic.orderIndex",
            span,
        )
        for item_id, first, last, mode, kind in rows:
            grouped[item_id].append((kind, creator_name(first or "", last or "", mode == 1)))
        return grouped

    def _notes(self, span: tuple[int, int]) -> dict[int, list[str]]:
        """Each item's child notes (HTML), oldest first; notes in the trash left out."""
        if "itemNotes" not in self.tables:
            return {}
        return self._by_item(
            f"SELECT n.parentItemID, n.note FROM itemNotes n JOIN items i ON i.itemID = n.itemID"
            f" JOIN {self.types_table} t ON t.itemTypeID = i.itemTypeID"
            f" WHERE n.parentItemID BETWEEN ? AND ? AND t.typeName = 'note'"
            f" AND {self._not_deleted('n.itemID')} ORDER BY n.parentItemID, n.itemID",
            span,
            "itemNotes",
        )

    def _files(self, span: tuple[int, int]) -> dict[int, list[str]]:
        """file:// links to each item's attached files: those Zotero stores (storage/KEY/)
        and those linked where they lie. Links relative to Zotero's "base directory" (a
        setting outside the database) cannot be found, and are left out."""
        grouped: dict[int, list[str]] = defaultdict(list)
        if "itemAttachments" not in self.tables:
            return grouped
        rows = self.db.execute(
            f"SELECT a.parentItemID, i.key, a.path, a.linkMode FROM itemAttachments a"
            f" JOIN items i ON i.itemID = a.itemID WHERE a.parentItemID BETWEEN ? AND ?"
            f" AND {self._not_deleted('a.itemID')} ORDER BY a.parentItemID, a.itemID",
            span,
        )
        for parent, key, path, mode in rows:
            path = path or ""
            if path.startswith("storage:"):
                link = file_link(str(self.folder / "storage" / key / path[8:]), None)
            elif mode == _LINKED_FILE and not path.startswith("attachments:"):
                link = file_link(path, None)
            else:
                continue
            if link:
                grouped[parent].append(link)
        return grouped

    def _collection_paths(self) -> dict[int, str]:
        """collection id -> its path of names, "parent/child" ("/" in a name becomes "-");
        collections in the trash, and those inside them, are left out."""
        if "collections" not in self.tables:
            return {}
        rows = self.db.execute(
            "SELECT collectionID, collectionName, parentCollectionID FROM collections"
        ).fetchall()
        deleted: set[int] = set()
        if "deletedCollections" in self.tables:
            deleted = {
                row[0] for row in self.db.execute("SELECT collectionID FROM deletedCollections")
            }
        nodes = {cid: (name or "", parent) for cid, name, parent in rows}
        paths: dict[int, str] = {}
        for cid in nodes:
            names: list[str] = []
            current: int | None = cid
            while current in nodes and len(names) < _MAX_DEPTH:
                if current in deleted:
                    break
                name, current = nodes[current][0], nodes[current][1]
                names.append(name.replace("/", "-"))
            else:
                paths[cid] = "/".join(reversed(names))
        return paths
