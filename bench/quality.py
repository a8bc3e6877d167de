"""Known-item search quality: does reader put the paper a person remembers in the top results?

Queries are built (seeded, so every run is the same) from the built-in sample library, one per
kind per target paper: the exact title, a few distinctive title words, the title with typos,
those title words with typos, a distinctive abstract phrase, and a bag of abstract words in
another order. A seventh kind is written by hand: 120 papers described in other words
(described_queries.json, every one of them whatever --papers says). reader is compared with
baselines over the same papers: Whoosh's default QueryParser over title and abstract,
rapidfuzz WRatio over titles, SQLite FTS5 bm25 as it comes and as bench/fts5.py configures it
(porter stemming, a title hit counting double), and the embedding alone (reader's own vectors,
ranked by cosine).

    python bench/quality.py [--papers N] [--seed S] [--json] [--write-results bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils
from whoosh import fields, index
from whoosh.analysis import STOP_WORDS
from whoosh.qparser import MultifieldParser

from reader.core.index import vector_parts
from reader.core.library.facade import Library
from reader.core.vectors import exact, shared_model

HERE = Path(__file__).resolve().parent
DESCRIBED = HERE / "described_queries.json"
KINDS = {
    "title": "the exact title",
    "title_words": "3 to 5 distinctive title words",
    "title_typo": "the title with 1 or 2 typos (deletion, swap or substitution)",
    "words_typo": "those title words with 1 or 2 typos",
    "abstract_phrase": "the most distinctive 4 to 7 words in a row of the abstract",
    "abstract_bag": "5 to 8 distinctive abstract words in random order",
    "described": "the paper described in other words, 6 to 12 words, written by hand",
}
SYSTEMS = (
    "reader",
    "whoosh_default",
    "rapidfuzz_titles",
    "fts5_bm25",
    "fts5_porter",
    "embedding",
)
DEPTH = 10  # MRR@10 and recall@10
START, END = "<!-- quality:start -->", "<!-- quality:end -->"
_WORD = re.compile(r"\w[\w'-]*\w|\w")
# Neighbours on a QWERTY keyboard: a substitution typo is far more often a neighbour than not.
_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")

Search = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    title: str
    abstract: str


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    text: str
    target: str


# -- the corpus --------------------------------------------------------------------------------


@contextmanager
def sample_library() -> Iterator[Library]:
    """A throwaway library holding the built-in sample, imported the way a user would
    (`reader sample`, then searches from a fresh process)."""
    with tempfile.TemporaryDirectory(prefix="reader-quality-") as tmp:
        importing = Library.open(Path(tmp) / "data")
        try:
            importing.import_sample()
        finally:
            importing.close()
        library = Library.open(Path(tmp) / "data")
        try:
            yield library
        finally:
            library.close()


def documents(library: Library) -> list[Doc]:
    return [Doc(p.id, p.title, p.abstract) for p in library.store.iter_papers()]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _content(word: str) -> bool:
    return len(word) >= 3 and word.lower() not in STOP_WORDS and not word.isdigit()


class Rarity:
    """Inverse document frequency over titles and abstracts: what makes a word distinctive."""

    def __init__(self, docs: list[Doc]) -> None:
        self.count = len(docs)
        self.df: Counter[str] = Counter()
        for doc in docs:
            self.df.update({w.lower() for w in _words(f"{doc.title} {doc.abstract}")})

    def idf(self, word: str) -> float:
        return math.log((self.count + 1) / (self.df[word.lower()] + 1)) + 1.0


# -- the queries -------------------------------------------------------------------------------


def _neighbour(rng: random.Random, char: str) -> str:
    for row in _KEYS:
        at = row.find(char.lower())
        if at >= 0:
            return rng.choice([row[i] for i in (at - 1, at + 1) if 0 <= i < len(row)])
    return rng.choice("etaoinshr")


def misspell(word: str, rng: random.Random) -> str:
    """One typo inside a word (not its first letter): a deletion, a swap or a substitution."""
    for _ in range(20):
        op = rng.choice(("deletion", "swap", "substitution"))
        at = rng.randrange(1, len(word) - 1) if len(word) > 2 else 1
        if op == "deletion":
            typo = word[:at] + word[at + 1 :]
        elif op == "swap":
            typo = word[:at] + word[at + 1 : at + 2] + word[at] + word[at + 2 :]
        else:
            typo = word[:at] + _neighbour(rng, word[at]) + word[at + 1 :]
        if typo.lower() != word.lower():
            return typo
    return word[:-1]


def _with_typos(words: list[str], rng: random.Random, count: int) -> str | None:
    spots = [i for i, w in enumerate(words) if len(w) >= 4 and _content(w) and w.isalpha()]
    if not spots:
        return None
    out = list(words)
    for i in rng.sample(spots, min(count, len(spots))):
        out[i] = misspell(out[i], rng)
    return " ".join(out)


def _distinctive_title_words(doc: Doc, rarity: Rarity, rng: random.Random) -> list[str]:
    words = list(dict.fromkeys(w for w in _words(doc.title) if _content(w)))
    if len(words) < 3:
        return words
    want = rng.randint(3, 5)
    ranked = sorted(words, key=lambda w: (-rarity.idf(w), rng.random()))[: want + 1]
    chosen = set(rng.sample(ranked, min(want, len(ranked))))
    return [w for w in words if w in chosen]


def _abstract_phrase(doc: Doc, rarity: Rarity, rng: random.Random) -> str | None:
    """The most distinctive run of 4 to 7 words inside one sentence of the abstract."""
    size = rng.randint(4, 7)
    best: tuple[float, str] | None = None
    for sentence in re.split(r"(?<=[.!?])\s+", doc.abstract):
        words = _words(sentence)
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            content = [w for w in window if _content(w)]
            if len(content) < 2:
                continue
            score = sum(rarity.idf(w) for w in content)
            if best is None or score > best[0]:
                best = (score, " ".join(window))
    return best[1] if best else None


def _abstract_bag(doc: Doc, rarity: Rarity, rng: random.Random) -> str | None:
    words = list(dict.fromkeys(w.lower() for w in _words(doc.abstract) if _content(w)))
    if len(words) < 5:
        return None
    ranked = sorted(words, key=lambda w: -rarity.idf(w))[:25]
    bag = rng.sample(ranked, min(rng.randint(5, 8), len(ranked)))
    rng.shuffle(bag)
    return " ".join(bag)


def make_queries(docs: list[Doc], papers: int, seed: int) -> list[Query]:
    """One query of each kind for each of `papers` target papers (all papers stay searchable)."""
    rng = random.Random(seed)
    rarity = Rarity(docs)
    targets = rng.sample(docs, min(papers, len(docs)))
    queries: list[Query] = []
    for doc in targets:
        title_words = _distinctive_title_words(doc, rarity, rng)
        texts = {
            "title": doc.title,
            "title_words": " ".join(title_words) if len(title_words) >= 2 else None,
            "title_typo": _with_typos(_words(doc.title), rng, rng.randint(1, 2)),
            "words_typo": _with_typos(title_words, rng, 1 if len(title_words) < 4 else 2)
            if len(title_words) >= 2
            else None,
            "abstract_phrase": _abstract_phrase(doc, rarity, rng),
            "abstract_bag": _abstract_bag(doc, rarity, rng),
        }
        queries += [Query(kind, text, doc.id) for kind, text in texts.items() if text]
    return queries + described_queries({doc.id for doc in docs})


def described_queries(ids: set[str]) -> list[Query]:
    """The hand-written descriptions (bench/SEMANTIC.md says how they were written)."""
    listed = json.loads(DESCRIBED.read_text(encoding="utf-8"))
    return [Query("described", item["query"], item["id"]) for item in listed if item["id"] in ids]


# -- the systems -------------------------------------------------------------------------------


def reader_search(library: Library) -> Search:
    library.search("warm up", limit=1)  # opening the index is not a query's cost

    def search(text: str) -> list[str]:
        return [hit.id for hit in library.search(text, limit=DEPTH).results]

    return search


def whoosh_default(docs: list[Doc], folder: Path) -> Search:
    """Whoosh out of the box: StandardAnalyzer fields and the default (AND) QueryParser."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True), title=fields.TEXT, abstract=fields.TEXT
    )
    folder.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for doc in docs:
            writer.add_document(id=doc.id, title=doc.title, abstract=doc.abstract)
    parser = MultifieldParser(["title", "abstract"], schema)
    searcher = ix.searcher()

    def search(text: str) -> list[str]:
        return [hit["id"] for hit in searcher.search(parser.parse(text), limit=DEPTH)]

    return search


def rapidfuzz_titles(docs: list[Doc]) -> Search:
    titles = [doc.title for doc in docs]

    def search(text: str) -> list[str]:
        found = process.extract(
            text, titles, scorer=fuzz.WRatio, processor=utils.default_process, limit=DEPTH
        )
        return [docs[i].id for _, _, i in found]

    return search


def fts5_bm25(docs: list[Doc], *, porter: bool = False) -> Search:
    """SQLite FTS5 ranked by bm25, the query's words OR-ed (AND finds nothing for a typo);
    `porter` as bench/fts5.py builds it: porter stemming, a title hit counting double."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    tokenize = ", tokenize = 'porter unicode61 remove_diacritics 2'" if porter else ""
    conn.execute(f"CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, abstract{tokenize})")
    conn.executemany(
        "INSERT INTO docs VALUES (?, ?, ?)", [(d.id, d.title, d.abstract) for d in docs]
    )
    rank = "bm25(docs, 0, 2.0, 1.0)" if porter else "bm25(docs)"

    def search(text: str) -> list[str]:
        terms = " OR ".join('"' + w.replace('"', '""') + '"' for w in re.findall(r"\w+", text))
        if not terms:
            return []
        sql = f"SELECT id FROM docs WHERE docs MATCH ? ORDER BY {rank} LIMIT ?"
        return [row[0] for row in conn.execute(sql, (terms, DEPTH))]

    return search


def embedding_alone(library: Library) -> Search:
    """The cosine between the query's vector and every paper's, from the index's own vector
    files: what reader's search by meaning adds, without the words."""
    model = shared_model()
    with library.index.reading() as searcher:
        parts = vector_parts(searcher.reader())
        everything = np.arange(searcher.doc_count_all())

    def search(text: str) -> list[str]:
        _, scores = exact(parts, everything, model.embed([text])[0])
        best = np.argsort(-scores, kind="stable")[:DEPTH]
        with library.index.reading() as searcher:
            return [searcher.stored_fields(int(docnum))["id"] for docnum in best]

    return search


# -- scoring -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Score:
    queries: int = 0
    reciprocal: float = 0.0
    at1: int = 0
    at10: int = 0
    seconds: float = 0.0

    def add(self, ranked: list[str], target: str, seconds: float) -> None:
        self.queries += 1
        self.seconds += seconds
        rank = ranked.index(target) + 1 if target in ranked[:DEPTH] else 0
        if rank:
            self.reciprocal += 1 / rank
            self.at1 += rank == 1
            self.at10 += 1

    def to_dict(self) -> dict[str, float]:
        n = max(self.queries, 1)
        return {
            "queries": self.queries,
            "mrr@10": round(self.reciprocal / n, 4),
            "recall@1": round(self.at1 / n, 4),
            "recall@10": round(self.at10 / n, 4),
            "ms_per_query": round(1000 * self.seconds / n, 2),
        }


def evaluate(systems: dict[str, Search], queries: list[Query]) -> dict[str, dict[str, dict]]:
    """{system: {kind or "all": metrics}}."""
    results: dict[str, dict[str, dict]] = {}
    for name, search in systems.items():
        scores = {kind: Score() for kind in (*KINDS, "all")}
        for query in queries:
            started = time.perf_counter()
            ranked = search(query.text)
            took = time.perf_counter() - started
            scores[query.kind].add(ranked, query.target, took)
            scores["all"].add(ranked, query.target, took)
        results[name] = {kind: s.to_dict() for kind, s in scores.items() if s.queries}
    return results


def run(papers: int, seed: int) -> dict[str, object]:
    with sample_library() as library, tempfile.TemporaryDirectory() as tmp:
        docs = documents(library)
        queries = make_queries(docs, papers, seed)
        systems = {
            "reader": reader_search(library),
            "whoosh_default": whoosh_default(docs, Path(tmp) / "whoosh"),
            "rapidfuzz_titles": rapidfuzz_titles(docs),
            "fts5_bm25": fts5_bm25(docs),
            "fts5_porter": fts5_bm25(docs, porter=True),
            "embedding": embedding_alone(library),
        }
        return {
            "corpus": len(docs),
            "papers": min(papers, len(docs)),
            "seed": seed,
            "results": evaluate(systems, queries),
        }


# -- reporting ---------------------------------------------------------------------------------


def markdown(report: dict[str, object]) -> str:
    results: dict[str, dict[str, dict]] = report["results"]  # type: ignore[assignment]
    kinds = [k for k in (*KINDS, "all") if k in results["reader"]]
    head = "| kind | n | " + " | ".join(f"{s} MRR@10 / R@1 / R@10" for s in SYSTEMS) + " |"
    lines = [
        f"Known-item search over the {report['corpus']} sample papers, one query of each kind "
        f"for {report['papers']} of them (seed {report['seed']}), and the "
        f"{results['reader'].get('described', {}).get('queries', 0)} hand-written "
        "descriptions; best MRR@10 of a row in bold. One MRR@10 over 120 queries has a "
        "standard error of about 0.03.",
        "",
        head,
        "|---|---:|" + "---:|" * len(SYSTEMS),
    ]
    for kind in kinds:
        best = max(results[s][kind]["mrr@10"] for s in SYSTEMS)
        cells = []
        for system in SYSTEMS:
            m = results[system][kind]
            mrr = f"{m['mrr@10']:.3f}"
            cells.append(
                f"{f'**{mrr}**' if m['mrr@10'] == best else mrr} / "
                f"{m['recall@1']:.3f} / {m['recall@10']:.3f}"
            )
        lines.append(
            f"| {kind} | {results['reader'][kind]['queries']} | " + " | ".join(cells) + " |"
        )
    speed = ", ".join(f"{s} {results[s]['all']['ms_per_query']:.1f}" for s in SYSTEMS)
    lines += ["", f"Mean time per query (ms): {speed}.", "", "Kinds of query:", ""]
    lines += [f"- `{kind}`: {meaning}" for kind, meaning in KINDS.items()]
    return "\n".join(lines)


def write_section(path: Path, body: str) -> None:
    """Replace only the text between the quality markers; the rest of the file is not ours."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    section = f"{START}\n## Search quality\n\n{body}\n{END}"
    if START in text and END in text:
        before, _, rest = text.partition(START)
        _, _, after = rest.partition(END)
        text = before + section + after
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section + "\n"
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=406, help="target papers (default: all)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--write-results", type=Path, metavar="FILE", help="update FILE's section")
    args = parser.parse_args(argv)
    report = run(args.papers, args.seed)
    table = markdown(report)
    if args.write_results:
        write_section(args.write_results, table)
    sys.stdout.write((json.dumps(report, indent=2) if args.json else table) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
