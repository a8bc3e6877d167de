"""The store's SQL schema: its tables, and the indexes and triggers made on top of them."""

from __future__ import annotations

# 1: the first; 2: doi, journal and citekey (a reference manager's papers): see migrate.py.
SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    norm_title TEXT NOT NULL,
    title_head TEXT NOT NULL,
    title_tail TEXT NOT NULL,
    abstract TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '[]',
    published TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL DEFAULT '',
    listed TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL DEFAULT '[]',
    links TEXT NOT NULL DEFAULT '[]',
    sources TEXT NOT NULL DEFAULT '[]',
    upvotes INTEGER,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doi TEXT NOT NULL DEFAULT '',
    journal TEXT NOT NULL DEFAULT '',
    citekey TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS papers_added_at ON papers(added_at);
CREATE INDEX IF NOT EXISTS papers_upvotes ON papers(upvotes) WHERE upvotes IS NOT NULL;
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT PRIMARY KEY,
    paper_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS aliases_paper ON aliases(paper_id);
CREATE TABLE IF NOT EXISTS imports (
    at TEXT NOT NULL,
    files INTEGER NOT NULL,
    added INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    rejected INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""
# The number of papers, kept in a row that every insert adds to (Store.insert_many): counting
# rows reads a whole index, 20 ms at 1M papers with the file in memory and 0.35 s without, and
# every start compares the count with the index's. Not a trigger: one per row cost a bulk
# import 0.04 ms a paper. Other writers (an earlier version, a hand edit) leave it behind,
# which the start-up check notices and mends (Store.count(exact=True)).
COUNTED = "INSERT OR IGNORE INTO counts(name, n) SELECT 'papers', count(*) FROM papers"

# Listing by date or title scans a covering index: sorting the table itself reads every
# abstract to reach the column (3.3 s at 1M papers; the index scan, 0.8 s). Each is made the
# first time papers are listed so (a one-off 3 to 4 s at 1M, about one sort of the table), so
# that a library never sorted that way does not pay for it at import (8 to 14% of a bulk fill).
SORT_INDEXES = {
    "date": "CREATE INDEX IF NOT EXISTS papers_by_date ON papers((published != ''), published, id)",
    "title": "CREATE INDEX IF NOT EXISTS papers_by_title ON papers(title COLLATE NOCASE, id)",
}
# The title keys an import looks papers up by, each with the id, so that "is there a paper with
# this key and a title id" is one seek however many papers share the key. Made by title_keys(),
# which a merge asks before any other lookup by title: so a store of an earlier version
# (single-column indexes) is moved over by its next import, not when the app opens (a few
# seconds at 1M papers).
KEY_INDEXES = tuple(
    statement
    for column in ("norm_title", "title_head", "title_tail")
    for statement in (
        f"CREATE INDEX IF NOT EXISTS papers_{column}_id ON papers({column}, id)",
        f"DROP INDEX IF EXISTS papers_{column}",
    )
)
# Papers by DOI, for an import's matching. Partial: a library of arXiv listings has no DOIs,
# and pays for no index entry per paper. Made, like the key indexes, by the first lookup by DOI.
DOI_INDEX = "CREATE INDEX IF NOT EXISTS papers_doi ON papers(doi) WHERE doi != ''"
