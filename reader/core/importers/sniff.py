"""Which format a file is, from its first bytes alone (never its name), or why it is none.

An SQLite file is taken for a Zotero database here; zotero_sqlite confirms it by its tables
(on its own copy) before reading. A folder is no file: __init__ tells a papis library apart.
"""

from __future__ import annotations

import json
import re

from reader.core.importers.daily_text import looks_like_page
from reader.core.importers.lines import decode_legacy

HEAD_BYTES = 64 * 1024
FORMATS = (
    "daily-text",
    "hf-json",
    "arxiv-atom",
    "arxiv-jsonl",
    "bibtex",
    "csl-json",
    "bbt-json",
    "zotero-sqlite",
    "papis",
)
SQLITE_MAGIC = b"SQLite format 3\x00"

_MAGIC = (
    (b"\x1f\x8b", "a gzip archive; decompress it first (gunzip)"),
    (b"PK\x03\x04", "a zip archive; unzip it first"),
    (b"BZh", "a bzip2 archive; decompress it first (bunzip2)"),
    (b"\xfd7zXZ\x00", "an xz archive; decompress it first (unxz)"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive; decompress it first (unzstd)"),
    (b"%PDF", "a PDF; reader imports paper lists, not papers"),
)
_UTF16_HINT = "; save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"
_ATOM = re.compile(r"<(?:[\w.-]+:)?feed\b|http://www\.w3\.org/2005/Atom")
_HTML = re.compile(r"<!doctype\s+html|<html\b", re.IGNORECASE)
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_JSONL_KEYS = re.compile(r'^\{\s*"(?:id|submitter|authors|title|abstract)"\s*:')
# BibTeX: a line that starts a block, "@article{" or "@string(".
_BIB_BLOCK = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_BIB_COMMENTS = re.compile(r"(?:[ \t]*(?:%[^\n]*)?\n)*")
# Better BibTeX JSON: one object whose first key is one of its top-level keys.
_BBT_KEYS = re.compile(r'^\{\s*"(?:config|collections|items|version)"\s*:')
# CSL-JSON items have a "type"; Hugging Face papers have none, and a "paper" or "summary".
_CSL_TYPE = re.compile(r'"type"\s*:\s*"')
_HF_KEYS = re.compile(r'"(?:paper|summary|upvotes)"\s*:')
_HF_ONLY = {"paper", "summary", "upvotes"}


class NotAPaperList(ValueError):
    """Why a file is no format we read; the message completes "<file>: ..."."""


def detect(head: bytes) -> str | None:
    """The format of a file that starts with head, or None."""
    try:
        return classify(head)
    except NotAPaperList:
        return None


def classify(head: bytes, *, complete: bool = False) -> str:
    """The format of a file that starts with head (the whole file if complete), or
    NotAPaperList saying why it is none (empty, binary, UTF-16, unknown, ...)."""
    if head.startswith(SQLITE_MAGIC):
        return "zotero-sqlite"
    _refuse_non_text(head, complete)
    whole = complete or len(head) < HEAD_BYTES
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:  # a multibyte character cut at the end, or Latin-1
        cut = error.start >= len(head) - 3 and error.reason == "unexpected end of data"
        text = head[: error.start].decode("utf-8") if cut else decode_legacy(head)
    text = text.lstrip()
    if text.startswith("<"):
        return _markup_kind(text)
    if text.startswith("["):
        return _list_kind(text)
    if text.startswith("{"):
        return "bbt-json" if _BBT_KEYS.match(text) else _object_kind(text, whole)
    if text[_BIB_COMMENTS.match(text).end() :].startswith("@") and _BIB_BLOCK.search(text):
        return "bibtex"
    if looks_like_page(text):
        return "daily-text"
    if _BIB_BLOCK.search(text):
        return "bibtex"  # free text before the first entry (a comment, in BibTeX)
    raise NotAPaperList(
        "unknown format: not a saved Daily Papers page (text), Hugging Face daily_papers JSON, "
        "an arXiv API Atom feed, arXiv metadata JSON lines, BibTeX, CSL-JSON, "
        "Better BibTeX JSON, a Zotero database or a papis library"
    )


def _refuse_non_text(head: bytes, complete: bool) -> None:
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if not body.strip(b" \t\r\n\x0b\x0c"):
        raise NotAPaperList(
            "is empty" if complete or len(head) < HEAD_BYTES else "starts with 64 KiB of blanks"
        )
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise NotAPaperList("is UTF-32 text" + _UTF16_HINT.replace("16", "32"))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        raise NotAPaperList("is UTF-16 text" + _UTF16_HINT)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise NotAPaperList(f"is {what}")
    sample = head[:4096]
    controls = len(_CONTROL_BYTES.findall(sample))
    if b"\x00" in head or (controls >= 16 and controls > len(sample) // 10):
        raise NotAPaperList("is binary, not text")


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: ASCII text with a NUL beside every character."""
    sample = head[:1024]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) > len(sample) // 4 and min(even, odd) < len(sample) // 40


def _markup_kind(text: str) -> str:
    if _HTML.search(text[:2048]):
        raise NotAPaperList(
            "is an HTML page; save the Daily Papers page as text (select all, copy, paste into "
            "a .txt file), or fetch the papers with `reader fetch hf`"
        )
    if _ATOM.search(text):
        return "arxiv-atom"
    raise NotAPaperList("is XML but not an Atom feed (the arXiv API answers with Atom)")


def _list_kind(text: str) -> str:
    """'[' starts both Hugging Face's papers and CSL-JSON: told by the first item's keys."""
    try:
        first, _ = json.JSONDecoder().raw_decode(text, _skip_blank(text, 1))
    except (ValueError, RecursionError):
        first = None  # longer than the head (or broken): judge by the keys in sight
    if isinstance(first, dict):
        csl = isinstance(first.get("type"), str) and not _HF_ONLY & first.keys()
        return "csl-json" if csl else "hf-json"
    if first is None and _CSL_TYPE.search(text) and not _HF_KEYS.search(text):
        return "csl-json"
    return "hf-json"


def _skip_blank(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _object_kind(text: str, whole_head: bool) -> str:
    """'{' starts both JSON lines (one object a line) and one pretty-printed JSON object."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first_complete = len(lines) > 1 or whole_head
    if first_complete:
        try:
            first = json.loads(lines[0])
        except (ValueError, RecursionError):
            first = None
        if isinstance(first, dict):
            hf_shaped = {"paper", "summary", "error"} & first.keys()
            return "hf-json" if hf_shaped else "arxiv-jsonl"
        if len(lines) > 1 and lines[1].startswith("{") and _JSONL_KEYS.match(lines[0]):
            return "arxiv-jsonl"  # a broken first line, then more objects: still JSON lines
        return "hf-json"
    # The first line is longer than the head: a JSON-lines row, unless a document starts so.
    return "arxiv-jsonl" if _JSONL_KEYS.match(text) else "hf-json"
