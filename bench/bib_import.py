"""A big .bib, imported: the BibTeX parse alone, then the whole `reader import`.

    python bench/bib_import.py [--n 50000] [--workdir bench/out] [--seed 7]

The file is synthetic but shaped like a reference manager's export: every entry has a
title (some with {Braced} words and LaTeX accents), "Last, First and ..." authors (a fifth
with accents written as {\\"u}), a year and month, a journal given by an @string macro; some
have a DOI, an arXiv eprint, an abstract (hard-wrapped, as exporters write them), keywords,
a note (`annote`) and a `file` link. It is a pure function of N and the seed, and is kept in
the work dir (the file's name says the shape's version: a new shape makes a new file).

Rows: the parse (reader.core.importers.read_path iterated to the end, in a child process
doing only that: wall and CPU time, and its peak memory), and the whole import (`reader
import FILE` into an empty data dir, in a child process: parse, store and index, as a user
runs it). On a shared machine the wall times follow the load; the CPU seconds are steadier.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "learning", "neural", "network", "model", "transformer", "attention", "graph", "diffusion",
    "language", "vision", "robust", "optimal", "stochastic", "gradient", "bayesian", "inference",
    "sparse", "kernel", "reinforcement", "policy", "causal", "contrastive", "federated",
    "retrieval", "generative", "adversarial", "convex", "spectral",
)  # fmt: skip
FIRST = ("Ana", "Björn", "Wei", "Priya", "John", "Marie", "Chidi", "Yuki", "Omar", "Elena")
LAST = ("Smith", "Zhang", "Nguyen", "Kowalski", "O'Brien", "Dupont", "Okafor", "Tanaka")
ACCENTED = (r"M{\"u}ller", r"Garc{\'\i}a", r"{\O}stergaard", r"Fran\c{c}ois", r"{\v{S}}koda")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def make_bib(path: Path, n: int, seed: int) -> None:
    r = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("% Synthetic bibliography for bench/bib_import.py\n\n")
        out.write("@string{jmlr = {Journal of Machine Learning Research}}\n")
        out.write("@string{neurips = {Advances in Neural Information Processing Systems}}\n\n")
        for i in range(n):
            words = [r.choice(WORDS) for _ in range(r.randint(5, 12))]
            if r.random() < 0.3:
                words[0] = "{" + words[0].upper() + "}"
            if r.random() < 0.1:
                words.append(r"{\"u}ber")
            authors = " and ".join(
                f"{r.choice(ACCENTED) if r.random() < 0.2 else r.choice(LAST)}, {r.choice(FIRST)}"
                for _ in range(r.randint(1, 6))
            )
            fields = [
                f"  title = {{{' '.join(words).capitalize()} {i}}}",
                f"  author = {{{authors}}}",
                f"  journal = {r.choice(('jmlr', 'neurips'))}",
                f"  year = {{{r.randint(1990, 2025)}}}",
                f"  month = {r.choice(MONTHS)}",
            ]
            if r.random() < 0.5:
                fields.append(f"  doi = {{10.5555/bench.{i}}}")
            if r.random() < 0.4:
                number = f"{r.randint(10, 25):02d}{r.randint(1, 12):02d}.{r.randint(1, 99999):05d}"
                fields += [f"  eprint = {{{number}}}", "  archivePrefix = {arXiv}"]
            if r.random() < 0.3:
                text = " ".join(r.choice(WORDS) for _ in range(r.randint(100, 200)))
                wrapped = "\n    ".join(text[k : k + 80] for k in range(0, len(text), 80))
                fields.append(f"  abstract = {{{wrapped}}}")
            if r.random() < 0.5:
                fields.append(f"  keywords = {{{r.choice(WORDS)}, {r.choice(WORDS)}}}")
            if r.random() < 0.3:
                fields.append(f"  file = {{Full Text PDF:papers/paper{i}.pdf:application/pdf}}")
            if r.random() < 0.1:
                fields.append(f"  annote = {{Read for the {r.choice(WORDS)} part.\n\n- check}}")
            out.write(f"@article{{key{i},\n" + ",\n".join(fields) + ",\n}\n\n")


_PARSE = """
import sys, time, resource
from pathlib import Path
from reader.core.importers import read_path
from reader.core.model import Record, Rejection
started, cpu = time.perf_counter(), time.process_time()
records = rejected = 0
for item in read_path(Path(sys.argv[1])):
    records += isinstance(item, Record)
    rejected += isinstance(item, Rejection)
print(records, rejected, time.perf_counter() - started, time.process_time() - cpu,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def parse_alone(bib: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _PARSE, str(bib)], capture_output=True, text=True, check=True
    ).stdout.split()
    return {
        "records": int(out[0]),
        "rejected": int(out[1]),
        "seconds": float(out[2]),
        "cpu": float(out[3]),
        "rss_mb": int(out[4]) / 1024,
    }


def whole_import(bib: Path) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="reader-bib-bench-"))
    env = dict(os.environ, READER_DAILY_BACKUP="0")
    command = [sys.executable, "-m", "reader", "--data-dir", str(data_dir), "import", str(bib)]
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "--json"], capture_output=True, text=True, env=env, timeout=900
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"reader import failed: {done.stderr.strip()[:500]}")
    report = json.loads(done.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "added": report["added"],
        "updated": report["updated"],
        "bookmarked": report["bookmarked"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    bib = args.workdir / f"bib-{args.n}-{args.seed}-v2.bib"
    if not bib.exists():
        make_bib(bib, args.n, args.seed)
    size_mb = bib.stat().st_size / 2**20
    parse = parse_alone(bib)
    whole = whole_import(bib)
    rows = [
        ("entries", f"{args.n:,}"),
        ("file (MB)", f"{size_mb:.1f}"),
        ("parse: records / rejected", f"{parse['records']:,} / {parse['rejected']:,}"),
        ("parse: seconds (wall)", f"{parse['seconds']:.1f}"),
        ("parse: CPU seconds", f"{parse['cpu']:.1f}"),
        ("parse: entries per CPU second", f"{args.n / parse['cpu']:,.0f}"),
        ("parse: peak RSS (MB)", f"{parse['rss_mb']:.0f}"),
        ("reader import: seconds (wall)", f"{whole['seconds']:.1f}"),
        ("reader import: CPU seconds (all processes)", f"{whole['cpu']:.1f}"),
        ("reader import: added + updated", f"{whole['added'] + whole['updated']:,}"),
        ("reader import: bookmarked as yours", f"{whole['bookmarked']:,}"),
        ("parse share of the import (CPU)", f"{parse['cpu'] / whole['cpu']:.0%}"),
        ("target: whole import under 60 s", "met" if whole["seconds"] < 60 else "MISSED"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure'.ljust(width)} | value |\n|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
