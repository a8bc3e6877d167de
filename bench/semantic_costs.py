"""RESEARCH PROBE for issue #19: what an embedding candidate costs, measured in fresh processes
with the network blocked, and what a brute-force scan over int8 vectors costs at 100k and 1M.
Used by bench/semantic_probe.py (--measure, --scan)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import semantic_models

HERE = Path(__file__).parent


def doc_text(title: str, abstract: str) -> str:
    return f"{title}. {' '.join(abstract.split())}"


# -- costs -------------------------------------------------------------------------------------


def unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


def synthetic_texts(papers: int = 20_000) -> list[str]:
    """Title + abstract of bench/corpus.py's synthetic papers: a vocabulary that keeps growing
    (the sample repeated would flatter a memo)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "corpus.jsonl"
        cmd = [sys.executable, str(HERE / "corpus.py"), str(papers), "--out", str(out)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
        rows = [json.loads(line) for line in out.open(encoding="utf-8")]
    return [doc_text(" ".join(r["title"].split()), r["abstract"]) for r in rows]


SLOW = {"minilm": 200}  # texts embedded to time a slow candidate


def measure(names: list[str], texts: list[str], tokenizer: Path | None) -> dict[str, dict]:
    """Each candidate in a fresh process, network namespace empty and sockets blocked."""
    out: dict[str, dict] = {}
    prefix = ["unshare", "-n"] if unshare_works() else []
    for name in names:
        with tempfile.NamedTemporaryFile("w", suffix=".json") as handle:
            json.dump(texts[: SLOW.get(name, len(texts))], handle)
            handle.flush()
            cmd = [*prefix, sys.executable, str(HERE / "semantic_models.py"), "measure", name]
            cmd += [handle.name, "--block-sockets"]
            if tokenizer:
                cmd += ["--minilm-tokenizer", str(tokenizer)]
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
            if done.returncode:
                out[name] = {"error": done.stderr.strip().splitlines()[-1:]}
            else:
                out[name] = json.loads(done.stdout) | {"unshare": bool(prefix)}
    out["wordllama_default_load"] = default_wordllama_offline()
    return out


def default_wordllama_offline() -> dict[str, object]:
    """Does the documented `WordLlama.load()` work with sockets blocked?"""
    code = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); import semantic_models as m;"
        " m.block_sockets(); from wordllama import WordLlama; WordLlama.load(); print('loaded')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    last = (done.stdout + done.stderr).strip().splitlines()[-1:]
    return {"works_offline": done.returncode == 0, "last_line": last}


def scan(sizes: tuple[int, ...] = (100_000, 1_000_000), dims: tuple[int, ...] = (256, 128)):
    """Brute-force top-10 over int8 rows in a file, by cosine with a float32 query: each block
    of rows converted to float32, then a matrix-vector product. Two ways to read the file:
    `mmap` (pages stay resident, so the searcher's RSS grows by the file's size) and `read`
    (blocks read into one reused buffer: RSS stays flat, each query copies from the page
    cache). Wall ms, p50 and p95 of 20 queries after 2 warm-ups, and the RSS growth."""
    rng = np.random.default_rng(7)
    rows = []
    for dim in dims:
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "v.i8"
                with path.open("wb") as handle:
                    for start in range(0, n, 100_000):
                        size = min(100_000, n - start)
                        handle.write(rng.integers(-127, 128, (size, dim), np.int8).tobytes())
                for mode in ("read", "mmap"):
                    rss = semantic_models.rss_mb()
                    times = []
                    for _ in range(22):
                        query = rng.standard_normal(dim).astype(np.float32)
                        began = time.perf_counter()
                        top_ids(path, n, dim, query, mode)
                        times.append((time.perf_counter() - began) * 1000)
                    times = sorted(times[2:])
                    rows.append({
                        "n": n, "dim": dim, "mode": mode,
                        "mb_on_disk": round(path.stat().st_size / 1e6, 1),
                        "p50_ms": round(times[len(times) // 2], 1),
                        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                        "rss_growth_mb": round(semantic_models.rss_mb() - rss, 1),
                    })  # fmt: skip
    return rows


BLOCK = 16_384  # rows converted to float32 at a time, into one reused buffer


def top_ids(path: Path, n: int, dim: int, query: np.ndarray, mode: str, k: int = 10):
    scores = np.empty(n, np.float32)
    floats = np.empty((BLOCK, dim), np.float32)
    rows = np.memmap(path, np.int8, "r", shape=(n, dim)) if mode == "mmap" else None
    buffer = np.empty((BLOCK, dim), np.int8)
    with path.open("rb", buffering=0) as handle:
        for start in range(0, n, BLOCK):
            if rows is not None:
                block = rows[start : start + BLOCK]
            else:
                block = buffer[: handle.readinto(memoryview(buffer).cast("B")) // dim]
            got = len(block)
            floats[:got] = block
            np.dot(floats[:got], query, out=scores[start : start + got])
    best = np.argpartition(-scores, k)[:k]
    return best[np.argsort(-scores[best])]
