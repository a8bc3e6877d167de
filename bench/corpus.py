"""A deterministic synthetic arXiv corpus of any size, for benchmarks at 10k to 1M papers.

Titles and abstracts come from word-level Markov chains trained on the built-in sample, so the
word statistics look like real listings; a tail of made-up rare terms keeps the vocabulary
growing with N the way a real archive's does. Paper i depends only on the seed and i, so a
smaller corpus is a prefix of a larger one and the queries drawn from its head are the same at
every N. Output is arXiv metadata JSON lines, the format `reader import` reads.

    python bench/corpus.py 100000 --out bench/out/corpus-100000.jsonl [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 5000  # papers per unit of work; also the unit of determinism (seeded per chunk)
START, END = 0, 1  # word ids of the chains' start and end markers
TITLE_WORDS = (8, 15)
ABSTRACT_WORDS = (150, 250)
RARE_PER_ABSTRACT = (0, 4)  # made-up rare terms per abstract (uniform count)
CATEGORIES = (
    ("cs.LG", 30), ("cs.CV", 22), ("cs.CL", 18), ("stat.ML", 10), ("cs.AI", 10), ("math.OC", 5),
    ("cs.RO", 4), ("eess.IV", 4), ("cs.IR", 3), ("cs.NE", 3), ("quant-ph", 3), ("math.ST", 3),
    ("cs.CR", 2), ("cs.SD", 2), ("eess.SP", 2), ("physics.comp-ph", 1), ("q-bio.QM", 1),
    ("cs.DC", 1), ("cs.HC", 1), ("econ.EM", 1),
)  # fmt: skip
_CONSONANTS = "bcdfghjklmnprstvz"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]
_FIRST_DAY = date(2007, 4, 2)
_DAYS = (date(2025, 12, 31) - _FIRST_DAY).days


class Chain:
    """An order-1 word Markov chain; each successor list repeats a word once per occurrence,
    so a uniform pick from it is a pick weighted by the transition frequency."""

    def __init__(self, texts: list[str]) -> None:
        ids: dict[str, int] = {"\x02": START, "\x03": END}
        follow: dict[int, list[int]] = defaultdict(list)
        for text in texts:
            previous = START
            for word in text.split():
                current = ids.setdefault(word, len(ids))
                follow[previous].append(current)
                previous = current
            follow[previous].append(END)
        self.words: list[str] = list(ids)
        self.next: list[tuple[int, ...]] = [tuple(follow.get(i, (END,))) for i in range(len(ids))]

    def walk(self, length: int, rand: random.Random) -> list[str]:
        """Exactly `length` words; the chain starts again whenever it reaches its end."""
        random_ = rand.random
        nexts = self.next
        starts = nexts[START]
        out: list[int] = []
        append = out.append
        current = START
        for _ in range(length):
            options = nexts[current]
            current = options[int(random_() * len(options))]
            if current == END:
                current = starts[int(random_() * len(starts))]
            append(current)
        words = self.words
        return [words[i] for i in out]


def rare_term(number: int) -> str:
    """A pronounceable made-up word, distinct for every number (at least three syllables)."""
    number += len(_SYLLABLES) ** 2
    parts: list[str] = []
    while number:
        number, digit = divmod(number, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
    return "".join(parts)


def made_up_name(rand: random.Random, syllables: int) -> str:
    return "".join(rand.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def sample_texts(folder: Path) -> tuple[list[str], list[str]]:
    """Titles and abstracts of the built-in sample, read by reader's own importer."""
    from reader.core.importers import read_path
    from reader.core.model import Record

    titles: list[str] = []
    abstracts: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        for item in read_path(path):
            if isinstance(item, Record):
                titles.append(item.title)
                if len(item.abstract.split()) >= 20:
                    abstracts.append(item.abstract)
    if not titles or not abstracts:
        raise SystemExit(f"corpus: no papers found in the sample at {folder}")
    return titles, abstracts


class Generator:
    def __init__(self, titles: list[str], abstracts: list[str], seed: int) -> None:
        self.seed = seed
        self.title_chain = Chain(titles)
        self.abstract_chain = Chain(abstracts)
        names = random.Random(f"{seed}:names")
        self.given = sorted({made_up_name(names, 2) for _ in range(300)})
        self.family = sorted({made_up_name(names, names.randint(2, 3)) for _ in range(3000)})
        self.categories = [name for name, _ in CATEGORIES]
        self.weights = [weight for _, weight in CATEGORIES]

    def chunk(self, index: int, count: int) -> str:
        """Papers index*CHUNK .. +count as JSON lines; a pure function of (seed, index)."""
        rand = random.Random(f"{self.seed}:{index}")
        first = index * CHUNK
        return "".join(
            json.dumps(self.paper(first + k, rand), ensure_ascii=False) + "\n" for k in range(count)
        )

    def paper(self, number: int, rand: random.Random) -> dict[str, object]:
        title = self.title_chain.walk(rand.randint(*TITLE_WORDS), rand)
        abstract = self.abstract_chain.walk(rand.randint(*ABSTRACT_WORDS), rand)
        for _ in range(rand.randint(*RARE_PER_ABSTRACT)):
            # Older rare terms recur more (the tail is Zipf-like); new ones keep appearing.
            abstract[rand.randrange(len(abstract))] = rare_term(
                int((number + 1) * rand.random() ** 2)
            )
        if rand.random() < 0.25:  # a named method, in the title and again in the abstract
            name = rare_term(int((number + 1) * rand.random() ** 2)).capitalize()
            title = [f"{name}:", *title[: TITLE_WORDS[1] - 1]]
            abstract[rand.randrange(len(abstract))] = name
        authors = [
            (rand.choice(self.given), rand.choice(self.family))
            for _ in range(min(rand.randint(1, 6), rand.randint(1, 9)))
        ]
        day = _FIRST_DAY + timedelta(days=rand.randrange(_DAYS))
        categories = list(
            dict.fromkeys(rand.choices(self.categories, self.weights, k=rand.randint(1, 3)))
        )
        return {
            "id": arxiv_id(number),
            "submitter": " ".join(authors[0]),
            "authors": join_authors([f"{g} {f}" for g, f in authors]),
            "title": " ".join(title),
            "abstract": "  " + " ".join(abstract) + "\n",
            "categories": " ".join(categories),
            "update_date": day.isoformat(),
            "versions": [{"version": "v1", "created": day.strftime("%a, %-d %b %Y 12:00:00 GMT")}],
            "authors_parsed": [[f, g, ""] for g, f in authors],
        }


def arxiv_id(number: int) -> str:
    """New-style and unique, in 9YMM.NNNNN (the 2090s) so it can never clash with a real id."""
    month, sequence = divmod(number, 99_999)
    if month >= 120:
        raise ValueError("the synthetic id space holds 11,999,880 papers")
    return f"9{month // 12}{month % 12 + 1:02d}.{sequence + 1:05d}"


def join_authors(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_WORKER: Generator | None = None


def _init_worker(titles: list[str], abstracts: list[str], seed: int) -> None:
    global _WORKER
    _WORKER = Generator(titles, abstracts, seed)


def _work(job: tuple[int, int]) -> str:
    assert _WORKER is not None
    return _WORKER.chunk(*job)


def generate(n: int, seed: int = 7, workers: int | None = None) -> Iterator[str]:
    """The corpus as JSON-lines chunks in order, built on all cores (same bytes on any count)."""
    titles, abstracts = sample_texts(ROOT / "reader" / "sample")
    jobs = [(i, min(CHUNK, n - i * CHUNK)) for i in range((n + CHUNK - 1) // CHUNK)]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(jobs) == 1:
        generator = Generator(titles, abstracts, seed)
        yield from (generator.chunk(*job) for job in jobs)
        return
    with ProcessPoolExecutor(
        workers, initializer=_init_worker, initargs=(titles, abstracts, seed)
    ) as pool:
        yield from pool.map(_work, jobs, chunksize=1)


def write_corpus(n: int, out: Path, seed: int = 7, workers: int | None = None) -> Path:
    """Write atomically: a half-written corpus never looks like a finished one."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for block in generate(n, seed, workers):
            handle.write(block)
    partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of papers")
    parser.add_argument("--out", type=Path, help="output file (default: bench/out/corpus-N.jsonl)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, help="processes (default: all cores)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("n must be at least 1")
    out = args.out or ROOT / "bench" / "out" / f"corpus-{args.n}.jsonl"
    started = time.perf_counter()
    write_corpus(args.n, out, args.seed, args.workers)
    took = time.perf_counter() - started
    print(
        f"{args.n} papers -> {out} ({out.stat().st_size / 1e6:.0f} MB, {took:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
