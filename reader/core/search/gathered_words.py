"""The words of some fields over all of an index's segments, gathered once and kept in step.

Typo lookups ("did you mean") and fuzzy terms (`word~1`) ask about every word of the index.
Gathering them from every segment's vocabulary file takes seconds at a million papers (50
files, half a million words, a letter mask each), and every commit (an edit's one-paper
segment too) changes the segments. A segment's words never change, so:

- segments that came are read, and their words added to the words held;
- segments that went (merged into one that came) leave their words held. A word no paper
  holds any more has a term that counts 0, which every lookup leaves out. Once the segments
  gone since the last full gathering held more than a tenth of the papers, all are gathered
  again.

The words and their masks are kept in a file in the index folder (`words-FIELDS.cache`), so
the next process (`reader search`, the app at its next start) reads one file. It is a cache:
missing, damaged or written for other segments, it is made again. Its layout:

    READER WORDS 1\\n
    a JSON line: {"fields", "segments": {segment id: documents}, "gone", "lengths": [[size,
        count], ...], "words_bytes"}
    the words, UTF-8, "\\n" between them, grouped by length in the order of "lengths"
    their letter masks, uint32 little-endian, one per word in the same order
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import NamedTuple

from whoosh.reading import SegmentReader

from reader.core.index import segment_data
from reader.core.search.words_by_length import WordsByLength

MAGIC = b"READER WORDS 1\n"
STALE_SHARE = 0.1  # of the papers: held in segments gone since the last full gathering
# (index folder, fields) -> their words, for every search of that index in this process.
_GATHERED: dict[tuple[Path | None, tuple[str, ...]], GatheredWords] = {}
_REGISTRY_LOCK = threading.Lock()


class Segment(NamedTuple):
    """One segment: its id, how many documents it holds, and how to read its words."""

    segid: str
    docs: int
    words: Callable[[], Iterable[str]]


class GatheredWords:
    """The words of `fields` over an index's current segments (safe to share between
    threads: one gathers, the others wait for its answer)."""

    def __init__(self, fields: tuple[str, ...], folder: Path | None) -> None:
        self._fields = list(fields)
        self._file = folder / f"words-{'+'.join(fields)}.cache" if folder else None
        self._lock = threading.Lock()
        self._held: dict[str, int] = {}  # segment id -> documents, of the segments gathered
        self._gone = 0  # documents of the segments gone since the last full gathering
        self._words: WordsByLength | None = None

    def words(self, segments: Iterable[Segment]) -> WordsByLength:
        """Every word of the fields in these segments (and maybe a few no paper holds now),
        with every length's masks made."""
        segments = list(segments)
        current = {segment.segid: segment.docs for segment in segments}
        with self._lock:
            if self._words is None:
                self._load()
            if self._words is not None and current == self._held:
                return self._words
            gone = self._gone + sum(n for segid, n in self._held.items() if segid not in current)
            if self._words is None or gone > STALE_SHARE * sum(current.values()):
                gathered: set[str] = set()
                for segment in segments:
                    gathered.update(segment.words())
                words, gone = WordsByLength(gathered), 0
            else:
                came = [segment for segment in segments if segment.segid not in self._held]
                words = self._words.adding(w for segment in came for w in segment.words())
            words.prepare()
            self._held, self._gone, self._words = current, gone, words
            self._save()
            return words

    def _load(self) -> None:
        """The words kept in the file, if it holds them whole (else nothing: they are made
        again, and the file with them)."""
        if self._file is None:
            return
        try:
            data = self._file.read_bytes()
        except OSError:
            return
        if not data.startswith(MAGIC):
            return
        try:
            header_end = data.index(b"\n", len(MAGIC))
            header = json.loads(data[len(MAGIC) : header_end])
            loaded = _unpacked(data[header_end + 1 :], header)
        except (ValueError, KeyError, TypeError):
            return
        held, gone = header["segments"], header["gone"]
        if header["fields"] == self._fields and isinstance(held, dict) and isinstance(gone, int):
            self._held, self._gone, self._words = held, gone, loaded

    def _save(self) -> None:
        if self._file is None or self._words is None or not self._file.parent.is_dir():
            return
        import numpy as np

        # (Loaded here: a search that writes no file needs none of it.)
        from reader.core.durable import atomic_write_bytes, clean_stale_temps

        words = self._words
        sizes = sorted(words.by_length)
        text = "\n".join("\n".join(words.of_length(size)) for size in sizes).encode("utf-8")
        masks = np.concatenate([words.masks(size) for size in sizes] or [np.zeros(0)])
        header = {
            "fields": self._fields,
            "segments": self._held,
            "gone": self._gone,
            "lengths": [[size, len(words.of_length(size))] for size in sizes],
            "words_bytes": len(text),
        }
        line = json.dumps(header, separators=(",", ":")).encode("utf-8")
        body = MAGIC + line + b"\n" + text + masks.astype("<u4").tobytes()
        clean_stale_temps(self._file.parent)  # a writer killed mid-save left its temp file
        with suppress(OSError):  # a read-only or full disk: the next process gathers again
            atomic_write_bytes(self._file, body)


def index_words(readers: list[SegmentReader], fields: tuple[str, ...]) -> WordsByLength:
    """Every word of `fields` in these segments (an index's, none of them empty), from their
    vocabulary files, kept in step for the index's folder (the typos' and the fuzzy words'
    way in)."""
    folder = Path(readers[0].storage().folder) if readers else None
    with _REGISTRY_LOCK:
        gathered = _GATHERED.get((folder, fields))
        if gathered is None:
            # One library a process: the words of another folder's index are let go.
            for old in [key for key in _GATHERED if key[0] != folder]:
                del _GATHERED[old]
            gathered = _GATHERED[folder, fields] = GatheredWords(fields, folder)
    return gathered.words(_segment(reader, fields) for reader in readers)


def _segment(reader: SegmentReader, fields: tuple[str, ...]) -> Segment:
    data = segment_data(reader)
    return Segment(data.segid, reader.doc_count_all(), partial(data.vocabulary, reader, *fields))


def _unpacked(body: bytes, header: dict) -> WordsByLength:
    """The words and masks of a file's body (ValueError if they do not add up)."""
    import numpy as np

    lengths = [(int(size), int(count)) for size, count in header["lengths"]]
    total = sum(count for _, count in lengths)
    text_bytes = int(header["words_bytes"])
    every = body[:text_bytes].decode("utf-8").split("\n") if total else []
    masks = np.frombuffer(body[text_bytes:], dtype="<u4")
    if len(every) != total or len(masks) != total:
        raise ValueError("the words file is cut short")
    by_length: dict[int, tuple[str, ...]] = {}
    by_mask: dict[int, np.ndarray] = {}
    start = 0
    for size, count in lengths:
        group = tuple(every[start : start + count])
        if not group or len(group[0]) != size or len(group[-1]) != size:
            raise ValueError("the words file's lengths do not match its words")
        by_length[size], by_mask[size] = group, masks[start : start + count]
        start += count
    return WordsByLength(by_length=by_length, masks=by_mask)
