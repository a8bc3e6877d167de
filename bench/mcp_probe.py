"""`reader mcp` round trips at size N: what an agent waits for each tool, over real stdio.

    python bench/mcp_probe.py --n 10000 100000 [--repeat 30]

For each N: the synthetic corpus (bench/corpus.py) is imported into a temporary library with
two saved searches, one opened "yesterday" with part of its papers new since; then one
`reader mcp` process answers each tool `--repeat` times through the SDK's stdio client.
Prints a Markdown table of the median and p95 round trip in ms, first call apart (it opens
the user's files and warms the index).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio
import corpus
from mcp import ClientSession, StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[1]
CALLS = [
    ("search", {"query": "language model"}),
    ("search", {"query": "diffusion is:unread", "sort": "date"}),
    ("search", {"query": "lnaguage modle"}),
    ("get_paper", {"id": "@first"}),
    ("similar_papers", {"id": "@first"}),
    ("list_saved_searches", {}),
    ("new_in_saved_search", {"name": "models"}),
    ("export_bibtex", {"query": "diffusion", "limit": 50}),
]


def reader(data_dir: Path, *argv: str) -> str:
    env = {**os.environ, "READER_DATA_DIR": str(data_dir), "READER_DAILY_BACKUP": "0"}
    command = [sys.executable, "-m", "reader", *argv]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def prepare(n: int, workdir: Path, scratch: Path) -> Path:
    """The library for N in scratch; the corpus is kept in workdir for the next run."""
    source = workdir / f"corpus-{n}.jsonl"
    if not source.exists():
        corpus.write_corpus(n, source)
    data_dir = scratch / f"library-{n}"
    reader(data_dir, "import", str(source))
    reader(data_dir, "saved", "add", "models", "model")
    reader(data_dir, "saved", "add", "diffusion", "diffusion", "--sort", "date")
    shown = json.loads(reader(data_dir, "search", "model", "--limit", "100000", "--json"))
    ids = [hit["id"] for hit in shown["results"]]
    seen = [pid for number, pid in enumerate(ids) if number % 50]  # 1 in 50 is new
    from reader.core.library import Library

    library = Library.open(data_dir)
    try:
        library.user.mark_opened("models", seen)
    finally:
        library.close()
    return data_dir


async def measure(data_dir: Path, repeat: int) -> dict[str, tuple[float, float, float]]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "reader", "mcp"],
        env={"READER_DATA_DIR": str(data_dir), "READER_DAILY_BACKUP": "0"},
    )
    timings: dict[str, tuple[float, float, float]] = {}
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        found = await session.call_tool("search", {"query": "model", "limit": 1})
        first = found.structured_content["results"][0]["id"]  # type: ignore[index]
        for name, arguments in CALLS:
            arguments = {k: first if v == "@first" else v for k, v in arguments.items()}
            took = []
            for _ in range(repeat + 1):
                started = time.perf_counter()
                result = await session.call_tool(name, arguments)
                took.append((time.perf_counter() - started) * 1000)
                assert not result.is_error, result.content
            label = f"{name}({', '.join(f'{k}={v!r}' for k, v in arguments.items())})"
            rest = sorted(took[1:])
            timings[label] = (took[0], statistics.median(rest), rest[int(0.95 * (len(rest) - 1))])
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10000])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print("| N | tool call | first ms | median ms | p95 ms |\n|---|---|---|---|---|")
    for n in args.n:
        with tempfile.TemporaryDirectory(dir=args.workdir) as scratch:
            data_dir = prepare(n, args.workdir, Path(scratch))
            timings = anyio.run(measure, data_dir, args.repeat)
        for label, (first, median, p95) in timings.items():
            print(f"| {n:,} | `{label}` | {first:.1f} | {median:.1f} | {p95:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
