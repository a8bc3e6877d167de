"""Importers: files (or fetched pages) in, Records, Rejections and Warnings out, streamed.

The format is told by content, never by name (see sniff.py): a saved Daily Papers page as
text, Hugging Face daily_papers JSON, an arXiv API Atom feed, or arXiv metadata JSON lines;
and the user's own library: BibTeX/BibLaTeX, CSL-JSON, Better BibTeX JSON, a Zotero database
(zotero.sqlite, read on a copy) or a papis library (a folder of */info.yaml). Records from a
library carry the user's own data too (Record.doi, tags, note, own).

Failure comes in three sizes. A whole file that cannot be used (empty, binary, UTF-16, an
unknown format, an XML DTD, too big) raises UnreadableFile, one line naming the file, before
any record is yielded. A single bad record is a Rejection (file, line, reason) and the rest of
the file still imports. A usable but odd record (no abstract, an unreadable date, a line that
was not UTF-8 and was read as Windows-1252) comes with a Warning_.

Memory is bounded: text and JSON-lines files are read a line at a time with lines capped at
4 MiB; JSON and XML documents are capped at 200 MiB.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import BinaryIO

from reader.core.importers.build import Item
from reader.core.importers.errors import UnreadableFile, display_name
from reader.core.importers.limits import MAX_DOCUMENT_BYTES, too_big
from reader.core.importers.sniff import FORMATS, HEAD_BYTES, NotAPaperList, classify, detect
from reader.core.model import Record, Rejection

__all__ = [
    "FORMATS",
    "Item",
    "UnreadableFile",
    "detect",
    "read_bytes",
    "read_path",
]

Reader = Callable[[BinaryIO, str], Iterator[Item]]
# The module that reads each format (its `read`), loaded when a file of that format comes: an
# arXiv snapshot's import does not wait for the BibTeX, LaTeX, YAML and XML parsers to load.
_READERS = {
    "daily-text": "daily_text",
    "hf-json": "hf_json",
    "arxiv-atom": "arxiv_atom",
    "arxiv-jsonl": "arxiv_jsonl",
    "bibtex": "bibtex",
    "csl-json": "csl_json",
    "bbt-json": "csl_json",
}

_DOCUMENTS = {"hf-json": "JSON", "arxiv-atom": "XML", "csl-json": "JSON", "bbt-json": "JSON"}
# Bytes read from a file at a time: a snapshot's lines (about 1.3 KB each) are read one by one,
# and the default buffer went to the system every few lines.
_READ_BUFFER = 1 << 16


def _reader(kind: str) -> Reader:
    return import_module(f"{__name__}.{_READERS[kind]}").read


def read_path(path: Path) -> Iterator[Item]:
    """The items of one file (or papis library folder), streamed as the result is iterated.

    UnreadableFile comes at the call for what the first 64 KiB show (empty, binary, unknown
    format, too big, a folder that is no papis library), or at the first step of iteration
    for what only parsing finds (an XML DTD, an API error answer, an SQLite file that is no
    Zotero database); either way before any record.
    """
    source = display_name(str(path))
    if path.is_dir():
        from reader.core.importers import papis  # YAML: only for a folder

        if not papis.is_library(path):
            raise UnreadableFile(source, f"is a folder, not a papis library ({papis.WHAT})")
        return _guarded(papis.read(path, source), source)
    try:
        with path.open("rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UnreadableFile(source, "is not a regular file")
            head = stream.read(HEAD_BYTES)
            size = info.st_size
    except OSError as error:
        raise UnreadableFile(source, f"cannot be read: {error.strerror or error}") from None
    kind = _kind(head, source, size)
    return _guarded(_stream_file(path, source, kind), source)


def read_bytes(data: bytes, source: str) -> Iterator[Item]:
    """The items of a fetched page (source names it in messages, e.g. its URL)."""
    source = display_name(source)
    kind = _kind(data[:HEAD_BYTES], source, len(data))
    if kind not in _READERS:
        raise UnreadableFile(source, "is an SQLite database: import a Zotero database by its path")
    return _guarded(_reader(kind)(io.BytesIO(data), source), source)


def _kind(head: bytes, source: str, size: int) -> str:
    try:
        kind = classify(head, complete=size <= len(head))
    except NotAPaperList as error:
        raise UnreadableFile(source, str(error)) from None
    if kind in _DOCUMENTS and size > MAX_DOCUMENT_BYTES:
        raise UnreadableFile(source, too_big(_DOCUMENTS[kind]))
    return kind


def _stream_file(path: Path, source: str, kind: str) -> Iterator[Item]:
    if kind == "zotero-sqlite":
        from reader.core.importers import zotero_sqlite

        yield from zotero_sqlite.read(path, source)
        return
    try:
        stream = path.open("rb", buffering=_READ_BUFFER)
    except OSError as error:
        raise UnreadableFile(source, f"cannot be read: {error.strerror or error}") from None
    with stream:
        if kind == "bibtex":  # relative `file` paths are taken from the .bib's folder
            from reader.core.importers import bibtex

            yield from bibtex.read(stream, source, path.parent)
        else:
            yield from _reader(kind)(stream, source)


def _guarded(items: Iterator[Item], source: str) -> Iterator[Item]:
    """Hold the contract: once a record is out, whole-file trouble becomes a rejection."""
    started = False
    try:
        for item in items:
            started = started or isinstance(item, Record)
            yield item
    except UnreadableFile as error:
        if not started:
            raise
        yield Rejection(source, 0, f"{error.reason}; the rest of the file was not read")
    except OSError as error:
        reason = f"read error: {error.strerror or error}"
        if not started:
            raise UnreadableFile(source, reason) from None
        yield Rejection(source, 0, f"{reason}; the rest of the file was not read")
