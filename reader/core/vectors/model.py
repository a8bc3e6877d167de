"""The embedding model: WordLlama's token table, read offline from the files of its wheel.

wordllama (MIT) ships a static table of 256-dimensional token vectors for Llama-2's tokenizer
inside its wheel, so `pip install` brings the weights and nothing is fetched later. Its own
loader is not used: `WordLlama.load()` looks for the tokenizer under a folder name the wheel
does not have and then asks the Hugging Face hub, and it imports pydantic and requests. The
two files are read here with the libraries that wrote them, `tokenizers` and `safetensors`
(Hugging Face's, and wordllama's own dependencies); the package is found with `find_spec`,
which does not run it. Nothing here opens a socket: tests/core/vectors/test_model.py loads and
embeds with sockets refused.

A text's vector is the weighted sum of its tokens' rows, normalised to unit length. A token
weighs a / (a + p), p its share of the tokens of the built-in sample library (smooth inverse
frequency, Arora et al. 2017): "the" and "model" count less than "pruning". The shares are
fixed (sample_token_counts.txt), so a paper's vector never depends on the rest of the library.

Tokenising is memoised per whitespace-separated chunk: Llama-2's tokenizer turns spaces into
"▁" and prepends one, and no token holds a "▁" after its first character, so a text's tokens
are its chunks' tokens in order, and "model," recurs as often as "model".
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import suppress
from functools import cache
from hashlib import blake2b
from importlib.util import find_spec
from itertools import chain
from pathlib import Path

import numpy as np

from reader.core.vectors.chunk_tokens import ChunkTokens, TokenRuns, row_sums
from reader.core.vectors.header import DIM

PACKAGE = "wordllama"
TOKENIZER_FILE = ("tokenizers", "l2_supercat_tokenizer_config.json")
WEIGHTS_FILE = ("weights", "l2_supercat_256.safetensors")
WEIGHTS_TENSOR = "embedding.weight"
COUNTS_FILE = Path(__file__).with_name("sample_token_counts.txt")
SIF_A = 1e-3  # smooth inverse frequency: tokens rarer than this share weigh about 1
# How a text becomes a vector; change it and vector files written before are rebuilt.
RECIPE = b"wordllama l2_supercat 256, sif 1e-3 over sample counts, unit sum, codes off common"
_MEMO_LIMIT = 100_000  # chunks remembered (their token ids), then the memo starts again
_MANY = 64  # texts from which embed() sums rows of the weighted float32 table
_ENCODE_SLICE = 2048  # chunks tokenised in one call (about 10 ms, holding the GIL)
# Texts summed at a time: their split words and token ids are held meanwhile (tens of MB for
# a thousand abstracts). A text's sum is its own, whatever its group.
_GROUP = 250


class ModelMissing(Exception):
    """The model's files are not where the wordllama wheel puts them."""


def paper_text(title: str, abstract: str) -> str:
    """What a paper's vector is made of."""
    return f"{title}\n{abstract}"


def model_files() -> tuple[Path, Path]:
    """The tokenizer and weights files inside the installed wordllama package."""
    spec = find_spec(PACKAGE)
    folders = spec.submodule_search_locations if spec else None
    if not folders:
        raise ModelMissing(
            f"the embedding model is missing: the {PACKAGE} package is not installed "
            "(reinstall reader: `pip install .` brings it)"
        )
    package = Path(next(iter(folders)))
    files = package.joinpath(*TOKENIZER_FILE), package.joinpath(*WEIGHTS_FILE)
    for path in files:
        if not path.is_file():
            raise ModelMissing(f"the embedding model is incomplete: {path} is missing")
    return files


def sample_token_counts() -> dict[int, int]:
    """Token id -> how often it occurs in the built-in sample (the shipped file)."""
    counts: dict[int, int] = {}
    for line in COUNTS_FILE.read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            token, count = line.split()
            counts[int(token)] = int(count)
    return counts


def count_tokens(texts: Iterable[str]) -> Counter[int]:
    """How often each token occurs in `texts` (what sample_token_counts.txt holds for the
    sample's papers; tests/core/vectors/test_model.py checks it and can write it again)."""
    counts: Counter[int] = Counter()
    model = shared_model()
    for ids in model.token_ids(list(texts)):
        counts.update(ids)
    return counts


def sif_weights(counts: dict[int, int], size: int) -> np.ndarray:
    """a / (a + p) per token id, p the token's share of `counts`."""
    shares = np.zeros(size, dtype=np.float64)
    total = sum(counts.values()) or 1
    for token, count in counts.items():
        if 0 <= token < size:
            shares[token] = count / total
    return (SIF_A / (SIF_A + shares)).astype(np.float32)


def read_token_table() -> tuple[np.ndarray, np.ndarray]:
    """The model's token table as shipped (float16, (32000, DIM)) and each token's weight,
    read from its file."""
    from safetensors.numpy import load_file

    weights_path = model_files()[1]
    table = load_file(str(weights_path))[WEIGHTS_TENSOR]
    if table.ndim != 2 or table.shape[1] != DIM:
        raise ModelMissing(f"the embedding model {weights_path} is not {DIM}-dimensional")
    return table, sif_weights(sample_token_counts(), len(table))


@cache
def token_table() -> tuple[np.ndarray, np.ndarray]:
    """The table and weights kept, for a process that embeds a few texts at a time (a
    search), without the weighted table."""
    return read_token_table()


_weighing = threading.Lock()  # the weighted table is made once, whichever thread asks first


def weighted_table() -> np.ndarray:
    """The token table in float32 with each row times its token's weight, for embedding
    many texts: a text's vector is then a plain sum of rows (32 MB, made on first use). Made
    from a fresh read, so that a process that has it (an import) does not keep the shipped
    table too."""
    with _weighing:
        return _weighted_table()[0]


@cache
def _weighted_table() -> tuple[np.ndarray, np.ndarray]:
    """The weighted table, and the common direction made from the same read of the file: an
    import's process needs both."""
    table, weights = read_token_table()
    direction = _direction(table, weights)
    weighted = table.astype(np.float32)
    weighted *= weights[:, None]  # in place: a second 32 MB costs its page faults
    return weighted, direction


def common_direction() -> np.ndarray:
    """The direction every paper's vector leans to (that of the whole sample's text): the
    sign-bit codes are taken once it is removed, else most bits would be the same for every
    paper. A unit vector, fixed for the model. Made with the weighted table if this process
    has it (an import's), else from the shipped table: the same numbers either way."""
    if _weighted_table.cache_info().currsize:
        return _weighted_table()[1]
    return _kept_direction()


@cache
def _kept_direction() -> np.ndarray:
    """From the shipped table this process keeps (a search's), else from a fresh read."""
    kept = token_table.cache_info().currsize
    return _direction(*(token_table() if kept else read_token_table()))


def _direction(table: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The sample's tokens' weighted rows of the shipped table, summed, as a unit vector."""
    counts = sample_token_counts()
    ids = np.fromiter(counts, dtype=np.int64)
    shares = np.fromiter(counts.values(), dtype=np.float32) * weights[ids]
    direction = shares @ table[ids].astype(np.float32)
    return direction / (np.linalg.norm(direction) or 1.0)


class Model:
    """Embeds texts; safe to share between threads."""

    def __init__(self) -> None:
        from tokenizers import Tokenizer

        tokenizer_path, _ = model_files()
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._weighted: np.ndarray | None = None  # the weighted table, once many texts made it
        self.fingerprint = model_fingerprint()
        self._memo: dict[str, list[int]] = {}
        self._chunks = ChunkTokens(self.encode_flat, _MEMO_LIMIT)  # for embedding many texts
        self._lock = threading.Lock()

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's token ids (no special tokens)."""
        split = [text.split() for text in texts]
        with self._lock:
            memo = self._memo
            unknown = list(set(chain.from_iterable(split)).difference(memo))
            if unknown:
                if len(memo) + len(unknown) > _MEMO_LIMIT:
                    memo.clear()
                    unknown = list(set(chain.from_iterable(split)))
                memo.update(zip(unknown, self.encode(unknown), strict=True))
            get = memo.__getitem__
            return [list(chain.from_iterable(map(get, chunks))) for chunks in split]

    def encode(self, chunks: list[str]) -> list[list[int]]:
        """Whitespace-free chunks' token ids, a list each."""
        ids, counts = self.encode_flat(chunks)
        return [run.tolist() for run in np.split(ids, np.cumsum(counts)[:-1])] if chunks else []

    def encode_flat(self, chunks: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Whitespace-free chunks' token ids, one chunk's after another (int32), and how many
        each has (int64). The chunks are encoded as the words of one pre-split text, each
        word tokenised by itself (the same ids as a batch of one text per chunk:
        tests/core/vectors/test_model.py), and the token's word says whose it is. A batch made
        an encoding and a list per chunk, and took half as long again. One encoding holds the
        GIL (a batch let it go): the chunks go _ENCODE_SLICE at a time, so that an app's own
        thread never waits long for a rebuild's."""
        ids = [np.zeros(0, dtype=np.int32)]
        counts = [np.zeros(0, dtype=np.int64)]
        for at in range(0, len(chunks), _ENCODE_SLICE):
            part = chunks[at : at + _ENCODE_SLICE]
            encoded = self._tokenizer.encode(part, is_pretokenized=True, add_special_tokens=False)
            ids.append(np.array(encoded.ids, dtype=np.int32))
            words = np.array(encoded.word_ids, dtype=np.int64)
            counts.append(np.bincount(words, minlength=len(part)))
        return np.concatenate(ids), np.concatenate(counts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """float32 rows of unit length, one per text (a text without tokens: zeros). Many
        texts sum rows of the weighted float32 table; a few (a query) weigh the rows they
        need, so a search never makes that table. A text's vector is the same either way, to
        the bit."""
        if len(texts) >= _MANY:
            self._weighted = weighted_table()
            rows = []
            for at in range(0, len(texts), _GROUP):
                with self._lock:
                    runs = self._chunks.runs(texts[at : at + _GROUP])
                rows.append(embed_runs(runs))
            return np.concatenate(rows)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, ids in enumerate(self.token_ids(texts)):
            if ids:
                out[row] = self._weighted_rows(ids).sum(axis=0)
        return _unit_rows(out)

    def _weighted_rows(self, ids: list[int]) -> np.ndarray:
        """The rows of the weighted table for these tokens: from that table if this process
        made it, else weighed here (the same numbers: one product per cell)."""
        if self._weighted is not None:
            return self._weighted[ids]
        table, weights = token_table()
        return table[ids].astype(np.float32) * weights[ids][:, None]


def encode_chunks(chunks: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Whitespace-free chunks' token ids as Model.encode_flat gives them, with the process's
    model (loaded on first use): an index segment's ChunkIds learns its new chunks with it."""
    return shared_model().encode_flat(chunks)


def embed_runs(runs: TokenRuns) -> np.ndarray:
    """The unit rows of texts given as their token runs: the same numbers as Model.embed gives
    for the texts, to the bit. Needs the table, not the tokenizer."""
    return _unit_rows(row_sums(weighted_table(), runs))


def _unit_rows(rows: np.ndarray) -> np.ndarray:
    """Each row scaled to unit length, in place (rows of zeros stay zeros)."""
    norms = np.linalg.norm(rows, axis=1)
    norms[norms == 0] = 1.0
    rows /= norms[:, None]
    return rows


@cache
def model_fingerprint() -> bytes:
    """8 bytes naming this model and recipe, without loading it: the weights file's header
    (names, shapes, the offsets of its data) and size, the token counts and the recipe. A
    vector file records the fingerprint of the model that wrote it."""
    weights = model_files()[1]
    digest = blake2b(RECIPE, digest_size=8)
    with weights.open("rb") as handle:
        size = int.from_bytes(handle.read(8), "little")
        digest.update(handle.read(min(size, 1 << 20)))
    digest.update(str(weights.stat().st_size).encode())
    digest.update(COUNTS_FILE.read_bytes())
    return digest.digest()


_loading = threading.Lock()


@cache
def _shared() -> Model:
    return Model()


def shared_model() -> Model:
    """The process's one model, loaded on first use (ModelMissing if it cannot be)."""
    with _loading:
        return _shared()


def load_quietly(table: bool = False) -> None:
    """Load the model (with `table`, only its weighted table: an import's importing process
    sums rows, its index worker tokenises), leaving a failure for the query or import that
    needs it: it asks again, and says why."""
    with suppress(ModelMissing, OSError, ValueError):
        if table:
            weighted_table()
        else:
            shared_model()
