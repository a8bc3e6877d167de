"""The anchor: the same corpus in a stdlib SQLite FTS5 table, ranked by bm25.

Numbers for reader mean little alone; next to what plain SQLite does on the same machine, the same
papers and the same queries, they say whether reader is fast. Fuzzy terms (`word~1`) are expanded
with rapidfuzz over the table's own vocabulary (fts5vocab), then matched as an OR.

    python bench/fts5.py build CORPUS.jsonl DB    # prints {"papers", "seconds", ...} as JSON
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from queries import Query

# Same fields as reader indexes; porter stemming like reader's analyzer.
SCHEMA = """
CREATE VIRTUAL TABLE papers USING fts5(
    id UNINDEXED, title, abstract, authors, categories, date UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE vocab USING fts5vocab(papers, 'row');
CREATE TABLE terms (term TEXT NOT NULL);
"""
# bm25 column weights: a title hit counts double, as reader's TITLE_BOOST does.
WEIGHTS = (0.0, 2.0, 1.0, 1.0, 1.0, 0.0)
BATCH = 5000
TEXT = "{title abstract}"  # the columns plain words search


def _rows(corpus: Path) -> Iterator[tuple[str, str, str, str, str, str]]:
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            paper = json.loads(line)
            yield (
                paper["id"],
                " ".join(paper["title"].split()),
                paper["abstract"].strip(),
                paper["authors"],
                paper["categories"],
                paper["update_date"],
            )


def build(corpus: Path, db: Path) -> dict[str, float]:
    """Load the JSON lines and optimize (merge all segments), as a bulk load would."""
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.executescript("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;" + SCHEMA)
    count = 0
    batch: list[tuple[str, ...]] = []
    with conn:
        for row in _rows(corpus):
            batch.append(row)
            if len(batch) >= BATCH:
                conn.executemany("INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?)", batch)
                count += len(batch)
                batch = []
        conn.executemany("INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?)", batch)
        count += len(batch)
        conn.execute("INSERT INTO papers(papers) VALUES ('optimize')")
        # fts5vocab walks the whole index on every read (0.4 s at 40k papers): keep a copy.
        conn.execute("INSERT INTO terms SELECT term FROM vocab")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return {"papers": count, "seconds": seconds, "index_mb": size / 1e6}


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class Searcher:
    """An open FTS5 table answering bench queries: top 20 by bm25, with title, authors, date,
    a snippet and the total match count (what reader's result list shows too)."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        self._vocab: list[str] | None = None

    def close(self) -> None:
        self.conn.close()

    def vocabulary(self) -> list[str]:
        if self._vocab is None:
            self._vocab = [term for (term,) in self.conn.execute("SELECT term FROM terms")]
        return self._vocab

    def expand(self, word: str) -> list[str]:
        """Every indexed term within one edit of word (rapidfuzz, C speed)."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        found = process.extract(
            word, self.vocabulary(), scorer=Levenshtein.distance, score_cutoff=1, limit=None
        )
        return [term for term, _, _ in found] or [word]

    def match(self, query: Query) -> tuple[str, str, tuple[str, ...]]:
        """The MATCH expression, an extra SQL condition and its parameters. Plain words search
        titles and abstracts, as in reader."""
        if query.kind == "fuzzy":
            terms = " OR ".join(_quote(t) for t in self.expand(query.words[0]))
            return f"{TEXT} : ({terms})", "", ()
        if query.kind == "phrase":
            return f"{TEXT} : " + _quote(" ".join(query.words)), "", ()
        if query.field == "title":
            return "title : " + _quote(query.words[0]), "", ()
        if query.field == "author":
            return "authors : " + _quote(query.words[0]), "", ()
        if query.kind == "long":  # every word would find nothing: papers with any, by bm25
            return f"{TEXT} : (" + " OR ".join(_quote(w) for w in query.words) + ")", "", ()
        expr = f"{TEXT} : (" + " ".join(_quote(w) for w in query.words) + ")"
        if query.field == "date" and query.years:
            low, high = query.years
            return expr, " AND date BETWEEN ? AND ?", (f"{low}-01-01", f"{high}-12-31")
        return expr, "", ()

    def search(self, query: Query, limit: int = 20) -> tuple[int, list[tuple[str, ...]]]:
        expr, extra, params = self.match(query)
        weights = ", ".join(str(w) for w in WEIGHTS)
        rows = self.conn.execute(
            f"SELECT id, title, authors, date, snippet(papers, 2, '«', '»', '…', 24) FROM papers"
            f" WHERE papers MATCH ?{extra} ORDER BY bm25(papers, {weights}) LIMIT ?",
            (expr, *params, limit),
        ).fetchall()
        (total,) = self.conn.execute(
            f"SELECT count(*) FROM papers WHERE papers MATCH ?{extra}", (expr, *params)
        ).fetchone()
        return total, rows


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "build":
        print("usage: fts5.py build CORPUS.jsonl DB", file=sys.stderr)
        return 2
    db = Path(argv[2])
    if db.exists():
        print(f"fts5.py: {db} exists; give a new path", file=sys.stderr)
        return 1
    print(json.dumps(build(Path(argv[1]), db)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
