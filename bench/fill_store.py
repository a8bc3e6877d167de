"""Finish a reader store that `reader import` did not finish within the benchmark's time limit.

    python bench/fill_store.py CORPUS.jsonl DATA_DIR    # prints {"added": K} as JSON

When the import of a big corpus is stopped (run.py --import-limit), the queries, cold start and
TUI still need the whole library. This adds the remaining papers the way an import adds a new
paper (reader's importer, then merge.paper_from, then Store.insert) but without the duplicate
search, which is what made the import slow; ids already stored are skipped. It is not timed as
reader's import: the table reports the stopped import's own rate.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reader.core import importers
from reader.core.library.dedupe import paper_from
from reader.core.model import Record
from reader.core.paths import DataPaths
from reader.core.store.database import Store, now_iso

BATCH = 5000


def fill(corpus: Path, data_dir: Path) -> int:
    store = Store(DataPaths.resolve(data_dir).store)
    stamp = now_iso()
    added = 0
    batch: list[Record] = []

    def flush() -> int:
        with store.transaction():
            papers = [paper_from(record, stamp) for record in batch]
            fresh = [p for p in papers if store.resolve(p.id) is None]
            for paper in fresh:
                store.insert(paper)
        return len(fresh)

    try:
        for item in importers.read_path(corpus):
            if isinstance(item, Record):
                batch.append(item)
                if len(batch) >= BATCH:
                    added += flush()
                    batch = []
        added += flush()
    finally:
        store.close()
    return added


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: fill_store.py CORPUS.jsonl DATA_DIR", file=sys.stderr)
        return 2
    print(json.dumps({"added": fill(Path(argv[0]), Path(argv[1]))}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
