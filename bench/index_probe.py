"""Quick numbers for the index alone (no store, no CLI): build, upsert, queries, cold start.

Synthetic papers are sentences of the built-in sample shuffled into new abstracts, with a
Zipf tail of made-up words so the vocabulary grows with N. Times are wall and CPU (worker
processes included): on a busy machine the CPU time is the steadier one. `--naive` also
times plain Whoosh (its own IndexWriter, the baseline of the performance issue).

    python bench/index_probe.py 10000 100000 [--naive] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from reader.core import importers
from reader.core.index.paper_index import PaperIndex
from reader.core.library.sample import sample_files
from reader.core.model import Paper, Record
from reader.core.search.engine import SearchEngine

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_FIRST = ("Ada", "Bo", "Chen", "Dana", "Eli", "Fatima", "Goran", "Hiro", "Ines", "Jun", "Kai")
_SYLLABLES = ("ka", "lo", "mi", "ter", "pro", "gen", "tra", "vex", "quo", "ran", "sil", "dor")


def synthetic(n: int, seed: int = 7) -> Iterator[Paper]:
    rand = random.Random(seed)
    records = [
        item for path in sample_files() for item in importers.read_path(path)
        if isinstance(item, Record)
    ]  # fmt: skip
    sentences = [s for r in records for s in _SENTENCE.split(r.abstract) if len(s) > 20]
    titles = [r.title for r in records]
    rare = sorted({"".join(rand.sample(_SYLLABLES, rand.randint(2, 5))) for _ in range(60000)})
    cumulative, total = [], 0.0
    for rank in range(len(rare)):
        total += 1.0 / (rank + 1)
        cumulative.append(total)
    for i in range(n):
        title = rand.choice(titles).split()
        for _ in range(rand.randint(0, 2)):
            title[rand.randrange(len(title))] = rand.choices(rare, cum_weights=cumulative)[0]
        words = " ".join(rand.sample(sentences, rand.randint(6, 9))).split()
        for _ in range(len(words) // 20):
            words[rand.randrange(len(words))] = rand.choices(rare, cum_weights=cumulative)[0]
        year, month = rand.randint(2015, 2025), rand.randint(1, 12)
        yield Paper(
            id=f"{year % 100:02d}{month:02d}.{i:05d}",
            title=" ".join(title),
            abstract=" ".join(words),
            authors=[f"{rand.choice(_FIRST)} {rand.choice(rare).title()}" for _ in range(3)],
            published=f"{year}-{month:02d}-{rand.randint(1, 28):02d}",
        )


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the rebuild's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(work: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    work()
    return time.perf_counter() - wall, _cpu() - cpu


def queries(papers: list[Paper], seed: int = 11) -> dict[str, list[str]]:
    rand = random.Random(seed)
    head = papers[:2000]
    words = [w for p in head for w in re.findall(r"[a-z]{4,}", p.abstract.lower())]
    kinds: dict[str, list[str]] = {"plain": [], "fuzzy": [], "phrase": [], "field": []}
    for _ in range(100):
        kinds["plain"].append(" ".join(rand.choice(words) for _ in range(rand.randint(1, 3))))
    for _ in range(30):
        word = rand.choice(words)
        at = rand.randrange(1, len(word))
        kinds["fuzzy"].append(word[:at] + rand.choice("aeiou") + word[at + 1 :] + "~1")
        run = rand.choice(head).abstract.lower().split()
        start = rand.randrange(len(run) - 2)
        kinds["phrase"].append(
            '"' + " ".join(re.sub(r"\W", "", w) for w in run[start : start + 2]) + '"'
        )
        kinds["field"].append(f"title:{rand.choice(words)} date:[2018-01-01 to 2020-12-31]")
    return kinds


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))]


def run_queries(engine: SearchEngine, kinds: dict[str, list[str]]) -> dict[str, str]:
    for text in kinds["plain"][:20]:
        engine.search(text)
    out = {}
    for kind, texts in kinds.items():
        wall, cpu = [], []
        for text in texts:
            w, c = timed(lambda text=text: engine.search(text, limit=20))
            wall.append(w * 1000)
            cpu.append(c * 1000)
        out[kind] = (
            f"p50 {percentile(wall, 0.5):6.1f} p95 {percentile(wall, 0.95):6.1f} ms wall | "
            f"p50 {percentile(cpu, 0.5):6.1f} p95 {percentile(cpu, 0.95):6.1f} ms cpu"
        )
    return out


COLD = """
import sys, time
started = time.perf_counter()
from reader.core.index.paper_index import PaperIndex
from reader.core.search.engine import SearchEngine
index = PaperIndex(sys.argv[1]); index.open()
SearchEngine(index, lambda ids: {}).search(sys.argv[2])
print(time.perf_counter() - started)
"""


def cold_start(folder: Path, query: str) -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", COLD, str(folder), query], check=True, capture_output=True
        )
        runs.append(time.perf_counter() - started)
    return sorted(runs)[1]


def naive_build(papers: list[Paper], folder: Path) -> tuple[float, float]:
    from whoosh import index as windex
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    stem = StemmingAnalyzer()
    schema = Schema(
        id=ID(unique=True, stored=True),
        title=TEXT(analyzer=stem, stored=True, field_boost=2.0),
        abstract=TEXT(analyzer=stem),
        author=TEXT(stored=True),
        date=ID(stored=True, sortable=True),
    )
    ix = windex.create_in(str(folder), schema)

    def build() -> None:
        writer = ix.writer()
        for p in papers:
            writer.add_document(
                id=p.id,
                title=p.title,
                abstract=p.abstract,
                author="\n".join(p.authors),
                date=p.date,
            )
        writer.commit()

    return timed(build)


def probe(n: int, workdir: Path, naive: bool) -> None:
    papers = list(synthetic(n))
    print(f"\n## {n:,} papers")
    folder = workdir / f"index-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    index = PaperIndex(folder)
    wall, cpu = timed(lambda: index.rebuild(papers, n))
    print(f"rebuild            {n / wall:7.0f} papers/s wall, {n / cpu:7.0f} papers/s cpu")
    size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file()) / 1e6
    print(f"index size         {size:7.1f} MB, {index.segment_count()} segments")
    upserted = PaperIndex(workdir / f"upsert-{n}")
    batches = [papers[i : i + 2000] for i in range(0, n, 2000)]
    wall, cpu = timed(lambda: [upserted.upsert(batch) for batch in batches])
    print(f"upsert (2000/batch){n / wall:7.0f} papers/s wall, {n / cpu:7.0f} papers/s cpu")
    upserted.close()
    shutil.rmtree(workdir / f"upsert-{n}")
    abstracts = {p.id: p.abstract for p in papers}
    engine = SearchEngine(index, lambda ids: {i: abstracts[i] for i in ids})
    for kind, line in run_queries(engine, queries(papers)).items():
        print(f"query {kind:<7}      {line}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (incl. the papers in memory) {rss:.0f} MB")
    index.close()
    print(f"cold open + query  {cold_start(folder, 'learning neural networks') * 1000:7.0f} ms")
    if naive:
        papers = list(synthetic(n))
        plain = workdir / f"naive-{n}"
        shutil.rmtree(plain, ignore_errors=True)
        plain.mkdir()
        wall, cpu = naive_build(papers, plain)
        print(f"naive whoosh build {n / wall:7.0f} papers/s wall, {n / cpu:7.0f} papers/s cpu")
        shutil.rmtree(plain)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10000])
    parser.add_argument("--naive", action="store_true", help="also time plain Whoosh")
    parser.add_argument("--keep", type=Path, help="build in DIR and keep the indexes")
    args = parser.parse_args(argv)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="index-probe-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.sizes:
            probe(n, workdir, args.naive)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
