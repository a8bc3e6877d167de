"""The store of truth: one SQLite file (WAL) with a row per paper and an alias table."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from reader.core.ids import TITLE_ID_PREFIX
from reader.core.model import Paper
from reader.core.store import changes
from reader.core.store.migrate import migrate
from reader.core.store.opening import StoreError, open_store, waiting_at_most
from reader.core.store.row_codec import COLUMNS, INSERT, changed_columns, paper_of, values
from reader.core.store.tables import DOI_INDEX, KEY_INDEXES, SORT_INDEXES
from reader.core.store.title_keys import TitleKeys, title_blocks
from reader.core.text import normalize_title

if TYPE_CHECKING:
    from reader.core.store.background_check import StoreCheck

# ORDER BY clauses of the orders papers are listed in (browsing, Store.ids).
ORDERS = {
    "added": "rowid DESC",
    "date": "(published != '') DESC, published DESC, id DESC",
    "title": "title COLLATE NOCASE, id",
    "upvotes": "(upvotes IS NULL), upvotes DESC, rowid DESC",
}
# Every title id is in [_TITLE_IDS[0], _TITLE_IDS[1]): the prefix, and the prefix with its last
# character one higher.
_TITLE_IDS = (TITLE_ID_PREFIX, TITLE_ID_PREFIX[:-1] + chr(ord(TITLE_ID_PREFIX[-1]) + 1))
_BULK = {"wal_autocheckpoint": 20_000, "cache_size": -16_384}  # 80 MB of log, 16 MB of pages
_TIMEOUT_S = 30  # how long a statement waits for another process's write
_RECOUNT = "UPDATE counts SET n = (SELECT count(*) FROM papers) WHERE name = 'papers' RETURNING n"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


P = ParamSpec("P")
R = TypeVar("R")


def _locked(method: Callable[P, R]) -> Callable[P, R]:
    """One thread at a time on the shared connection (the TUI reads from workers)."""

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with args[0].lock:  # type: ignore[attr-defined]
            return method(*args, **kwargs)

    wrapper.__doc__ = method.__doc__
    return wrapper


class Store:
    """SQLite access: every SQL statement of reader lives here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        self._sort_indexed: set[str] = set()
        # The number of the last paper write (store/changes.py): one per transaction() block.
        self.last_change: int | None = None
        self._in_transaction = False
        self.check: StoreCheck | None = None  # after an unclean end: writes wait for it
        path.parent.mkdir(parents=True, exist_ok=True)
        self._open()

    def _open(self) -> None:
        # read_only: why nothing can be written (a full disk), if so
        self.conn, self.read_only = open_store(self.path, _TIMEOUT_S)
        if self.read_only is None:
            try:
                migrate(self.conn)  # a store of an earlier version gets the new columns
                changes.prepare(self.conn)
            except sqlite3.DatabaseError as error:
                self.conn.close()
                raise StoreError(f"could not open {self.path}: {error}") from error

    def close(self) -> None:
        self.conn.close()

    def reopen(self) -> None:
        """A new connection to `path` (after a damaged file there was closed and set aside)."""
        with self.lock:
            self._sort_indexed.clear()
            self._open()

    def _writable(self) -> None:
        """StoreError if nothing may be written, once the check is over (never under `lock`)."""
        if self.check is not None:
            self.check.wait_to_write()
        if self.read_only:
            raise StoreError(f"cannot change {self.path}: {self.read_only}")

    def _checking(self) -> bool:  # the check is running: optional writes are skipped
        return self.check is not None and self.check.running

    # -- reading -----------------------------------------------------------------------------

    @_locked
    def count(self, *, exact: bool = False) -> int:
        """The number of papers, as kept; `exact` counts the rows (and puts the kept number
        right if it differs)."""
        if not exact:
            kept = self._counted()
            if kept is not None:
                return kept
        rows = self.conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        if (
            exact
            and self._counted() != rows
            and not self.conn.in_transaction
            and not self.read_only
            and not self._checking()
        ):
            # Counted again inside the write: another process's import may have committed since.
            with self.conn:
                rows = self.conn.execute(_RECOUNT).fetchone()[0]
        return rows

    def _counted(self) -> int | None:
        row = self.conn.execute("SELECT n FROM counts WHERE name = 'papers'").fetchone()
        return row[0] if row else None

    @_locked
    def resolve(self, paper_id: str) -> str | None:
        """The current id of a paper given its id or any old id (alias); None if unknown."""
        row = self.conn.execute("SELECT 1 FROM papers WHERE id = ?", (paper_id,)).fetchone()
        if row:
            return paper_id
        row = self.conn.execute(
            "SELECT paper_id FROM aliases WHERE alias = ?", (paper_id,)
        ).fetchone()
        return row[0] if row else None

    @_locked
    def resolve_many(self, ids: list[str]) -> dict[str, str]:
        """resolve() of many ids in one statement: id -> current id, for the ids the store
        knows (a whole user file's, not a statement per line of it)."""
        sql = (
            "SELECT key.value, coalesce(p.id, a.paper_id) FROM json_each(?) AS key"
            " LEFT JOIN papers AS p ON p.id = key.value"
            " LEFT JOIN aliases AS a ON a.alias = key.value"
            " WHERE p.id IS NOT NULL OR a.paper_id IS NOT NULL"
        )
        return dict(self.conn.execute(sql, (json.dumps(ids),)))

    @_locked
    def get(self, paper_id: str) -> Paper | None:
        row = self.conn.execute(
            f"SELECT {COLUMNS} FROM papers WHERE id = ?", (paper_id,)
        ).fetchone()
        return paper_of(row) if row else None

    @_locked
    def get_many(self, ids: list[str]) -> dict[str, Paper]:
        """Papers by id in blocks (the TUI's virtual list fetches its visible rows this way)."""
        return {row[0]: paper_of(row) for row in self._rows_by_id(COLUMNS, ids)}

    @_locked
    def abstracts(self, ids: list[str]) -> dict[str, str]:
        return dict(self._rows_by_id("id, abstract", ids))

    def _rows_by_id(self, columns: str, ids: list[str]) -> Iterator[tuple]:
        """SELECT columns of many ids, 500 at a time (SQLite's limit on bound variables)."""
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self.conn.execute(
                f"SELECT {columns} FROM papers WHERE id IN ({marks})", chunk
            ).fetchall()

    def iter_papers(self, batch: int = 2000) -> Iterator[Paper]:
        """Every paper in insertion order, in batches, without holding them all in memory."""
        last = 0
        while True:
            with self.lock:
                rows = self.conn.execute(
                    f"SELECT rowid, {COLUMNS} FROM papers WHERE rowid > ? ORDER BY rowid LIMIT ?",
                    (last, batch),
                ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            for row in rows:
                yield paper_of(row[1:])

    @_locked
    def ids(self, order: str = "added") -> list[str]:
        """All ids, newest additions first ('added'), newest date first ('date'), by title, or
        most upvoted first ('upvotes'; papers without upvotes last, newest additions first)."""
        sql = f"SELECT id FROM papers ORDER BY {self.order_by(order)}"
        return [row[0] for row in self.conn.execute(sql)]

    @_locked
    def order_by(self, order: str) -> str:
        """The ORDER BY clause of an order, its index made first if it has one. Never waits
        for another writer (an import): the sort works without the index, only slower."""
        create = SORT_INDEXES.get(order)
        if (
            create
            and order not in self._sort_indexed
            and not self.conn.in_transaction
            and not self._checking()
        ):
            with contextlib.suppress(sqlite3.OperationalError), waiting_at_most(self.conn, 100):
                with self.conn:  # busy, or a read-only file: suppressed
                    self.conn.execute(create)
                self._sort_indexed.add(order)
        return ORDERS[order]

    @_locked
    def upvotes(self) -> dict[str, int]:
        """Paper id -> latest upvotes, for the papers that have any (a partial index: cheap
        when few do, as in a library of arXiv listings)."""
        return dict(self.conn.execute("SELECT id, upvotes FROM papers WHERE upvotes IS NOT NULL"))

    @_locked
    def ids_added_since(self, iso: str) -> set[str]:
        sql = "SELECT id FROM papers WHERE added_at >= ?"
        return {row[0] for row in self.conn.execute(sql, (iso,))}

    def find_by_norm_title(self, norm: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM papers WHERE norm_title = ? LIMIT 1", (norm,)
        ).fetchone()
        return row[0] if row else None

    def find_by_doi(self, doi: str) -> str | None:
        """The paper with this DOI (lower case, no resolver prefix), if any."""
        self.conn.execute(DOI_INDEX)  # a no-op once made; in the caller's transaction
        row = self.conn.execute(
            "SELECT id FROM papers WHERE doi = ? AND doi != '' LIMIT 1", (doi,)
        ).fetchone()
        return row[0] if row else None

    def known_dois(self, dois: list[str]) -> set[str]:
        """Those of `dois` some paper has: one statement for a whole batch."""
        self.conn.execute(DOI_INDEX)
        sql = "SELECT doi FROM papers WHERE doi IN (SELECT value FROM json_each(?)) AND doi != ''"
        return {row[0] for row in self.conn.execute(sql, (json.dumps(dois),))}

    def near_title_candidates(self, norm: str) -> list[tuple[str, str, str]]:
        """(id, norm_title, abstract) of papers sharing a title's head or tail words."""
        head, tail = title_blocks(norm)
        return self.conn.execute(
            "SELECT id, norm_title, abstract FROM papers WHERE title_head = ? "
            "UNION SELECT id, norm_title, abstract FROM papers WHERE title_tail = ? LIMIT 50",
            (head, tail),
        ).fetchall()

    def known_ids(self, ids: list[str]) -> set[str]:
        """Those of `ids` that are a paper's id or an alias: one statement for a whole batch."""
        sql = (
            "SELECT id FROM papers WHERE id IN (SELECT value FROM json_each(?1)) UNION "
            "SELECT alias FROM aliases WHERE alias IN (SELECT value FROM json_each(?1))"
        )
        return {row[0] for row in self.conn.execute(sql, (json.dumps(ids),))}

    def title_keys(self, column: str, keys: list[str]) -> dict[str, bool]:
        """Those of `keys` that some paper has in `column` (norm_title, title_head or
        title_tail), each with whether one of those papers has a title id.

        Two index seeks a key, on (column, id): a popular title head ("in context learning")
        is shared by thousands of papers at 1M, and reading them all per key made a bulk
        import's batches slower the bigger the store grew."""
        assert column in TitleKeys.COLUMNS
        for statement in KEY_INDEXES:  # no-ops once made; in the caller's transaction
            self.conn.execute(statement)
        sql = (
            f"SELECT key.value, EXISTS(SELECT 1 FROM papers WHERE {column} = key.value"
            " AND id >= ?2 AND id < ?3) FROM json_each(?1) AS key"
            f" WHERE EXISTS(SELECT 1 FROM papers WHERE {column} = key.value)"
        )
        rows = self.conn.execute(sql, (json.dumps(keys), *_TITLE_IDS))
        return {key: bool(flag) for key, flag in rows}

    @_locked
    def last_import(self) -> dict[str, object] | None:
        row = self.conn.execute(
            "SELECT at, files, added, updated, duplicates, rejected FROM imports "
            "ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
        if not row:
            return None
        keys = ("at", "files", "added", "updated", "duplicates", "rejected")
        return dict(zip(keys, row, strict=True))

    # -- writing (callers group writes in `with store.transaction():`) ---------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit on success, roll back on error; other threads wait meanwhile. The write lock
        is taken first: what the block reads to decide its writes (is this paper new?) cannot
        change before they are made (another process importing the same paper)."""
        self._writable()
        with self.lock, self.conn:
            if not self.conn.in_transaction:
                self.conn.execute("BEGIN IMMEDIATE")
            self._in_transaction, self.last_change = True, None
            try:
                yield
            finally:
                self._in_transaction = False

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many transactions in a row (an import). SQLite copies its log into the file every 4
        MB, an import's hot index pages again at each batch, and caches 2 MB of pages, reading
        the others back from the log: inside, _BULK's; at the end, checkpoint()."""
        with self.lock:
            before = {name: self.conn.execute(f"PRAGMA {name}").fetchone()[0] for name in _BULK}
            for name, value in _BULK.items():
                self.conn.execute(f"PRAGMA {name} = {value}")
        try:
            yield
        finally:
            with self.lock:
                for name, value in before.items():
                    self.conn.execute(f"PRAGMA {name} = {int(value)}")
            self.checkpoint()

    def checkpoint(self, *, empty: bool = False) -> None:
        """The write-ahead log copied into the file as far as other processes' readers allow,
        without waiting (an import: once its last batch is in, while its index worker works).
        `empty`: emptied too, unless another process reads it (a TRUNCATE that cannot wait is
        a PASSIVE); a full log is deleted by the store's close (100 MB after a big import)."""
        mode = "TRUNCATE" if empty else "PASSIVE"
        quiet = contextlib.suppress(sqlite3.OperationalError)
        with self.lock, quiet, waiting_at_most(self.conn, 0):
            self.conn.execute(f"PRAGMA wal_checkpoint({mode})")

    def insert(self, paper: Paper) -> None:
        self.insert_many([(paper, TitleKeys.of(normalize_title(paper.title)))])

    def _change(self) -> int:
        """This transaction's change number, taken by its first paper write."""
        if not self._in_transaction or self.last_change is None:
            self.last_change = changes.next_number(self.conn)
        return self.last_change

    def insert_many(self, papers: list[tuple[Paper, TitleKeys]]) -> None:
        """Insert new papers, each with its title's keys, in one statement."""
        change = self._change() if papers else 0
        rows = [(paper.id, paper.title, *keys, *values(paper), change) for paper, keys in papers]
        self.conn.executemany(INSERT, rows)
        if rows:
            self.conn.execute("UPDATE counts SET n = n + ? WHERE name = 'papers'", (len(rows),))

    def replace(self, old: Paper, paper: Paper) -> None:
        """Write a merged paper over the row of `old`, as read from it: the columns that differ,
        and the change number. A duplicate that gains a source leaves the title's keys and
        the dates as they are, and the indexes on them (a whole row wrote every index of the
        table again). A new id (title id -> arXiv id) leaves an alias."""
        sets = changed_columns(old, paper)
        if "title" in sets:
            keys = TitleKeys.of(normalize_title(paper.title))
            sets.update(zip(TitleKeys.COLUMNS, keys, strict=True))
        sets["changed"] = self._change()
        assigned = ", ".join(f"{column}=?" for column in sets)
        self.conn.execute(f"UPDATE papers SET {assigned} WHERE id=?", (*sets.values(), old.id))
        if old.id != paper.id:
            self.conn.execute(
                "UPDATE aliases SET paper_id = ? WHERE paper_id = ?", (paper.id, old.id)
            )
            self.conn.execute(
                "INSERT OR REPLACE INTO aliases(alias, paper_id) VALUES (?, ?)", (old.id, paper.id)
            )

    def record_import(self, files: int, added: int, updated: int, dups: int, rejected: int) -> None:
        self._writable()
        with self.lock, self.conn:
            self.conn.execute(
                "INSERT INTO imports VALUES (?,?,?,?,?,?)",
                (now_iso(), files, added, updated, dups, rejected),
            )

    @_locked
    def aliases_of(self, paper_ids: Iterable[str]) -> dict[str, str]:
        """Old id -> current id, for the old ids of these papers (500 ids a statement)."""
        ids = list(paper_ids)
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                self.conn.execute(
                    f"SELECT alias, paper_id FROM aliases WHERE paper_id IN ({marks})", chunk
                ).fetchall()
            )
        return found
