"""BibTeX and BibLaTeX (.bib) files: each entry a record, a broken entry one rejection.

The splitting is bibtexparser 2's (pinned): it tells a broken entry apart from the next one
(it starts over at the next line beginning with "@type{") and says where and why an entry
broke. Only its splitter runs (no middleware): bib_fields turns the raw values into text,
faster and with the "#" joins and macros bibtexparser leaves alone.

Memory stays bounded: lines are read one at a time (lines.py: capped, with the Windows-1252
fallback for old Latin-1 files) and handed over in chunks that end where a line starts a new
block, the same place the splitter itself would start over. What must outlive a chunk is kept
here: @string macros, the keys seen (a repeated key is rejected, as BibTeX ignores it), and
the few fields a crossref child inherits; a child whose parent comes later, as BibTeX has it,
waits for the end of the file.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import bibtexparser
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)

from reader.core.importers.bib_fields import entry_draft, evaluate
from reader.core.importers.build import Item, finish
from reader.core.importers.limits import over_long_reason
from reader.core.importers.lines import LineDecoder, iter_raw_lines
from reader.core.model import Rejection, Warning_

CHUNK_LINES = 20_000
_BLOCK_START = re.compile(r"[ \t]*@[A-Za-z]*[ \t]*[{(]")
_FAILED_HEAD = re.compile(r"@([A-Za-z]*)\s*[{(]\s*([^,\s{}()]*)")
_NOT_ENTRIES = {"comment", "preamble", "string", "xdata", "set"}
_INHERITED = ("author", "year", "date", "month")
_MAX_REASON = 160

# The splitter logs each broken block as a warning; here each becomes a rejection instead,
# so its log lines must not reach the terminal through logging's last-resort handler.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())


def read(stream: BinaryIO, source: str, folder: Path | None = None) -> Iterator[Item]:
    """The records of a .bib file; folder is where it lies (for relative `file` paths)."""
    entries = _Entries(source, folder)
    for first_line, text, line_items in _chunks(stream, source):
        yield from line_items
        for block in bibtexparser.parse_string(text, parse_stack=[]).blocks:
            yield from entries.block(block, first_line + (block.start_line or 0))
    yield from entries.waiting_children()


def _chunks(stream: BinaryIO, source: str) -> Iterator[tuple[int, str, list[Item]]]:
    """(number of the chunk's first line, its text, warnings and rejections of its lines)."""
    decoder = LineDecoder(source)
    lines: list[str] = []
    items: list[Item] = []
    first = 1
    for number, raw in iter_raw_lines(stream):
        if raw is None:
            items.append(Rejection(source, number, over_long_reason()))
            line = ""
        else:
            line, warning = decoder.decode(raw, number)
            if warning:
                items.append(warning)
        if len(lines) >= CHUNK_LINES and _BLOCK_START.match(line):
            yield first, "\n".join(lines), items
            lines, items, first = [], [], number
        lines.append(line)
    if lines or items:
        yield first, "\n".join(lines), items


class _Entries:
    """What one file's entries share across chunks."""

    def __init__(self, source: str, folder: Path | None) -> None:
        self.source = source
        self.folder = folder
        self.strings: dict[str, str] = {}
        self.keys: dict[str, int] = {}  # lower-case key -> line of its entry
        self.parents: dict[str, dict[str, str]] = {}  # key -> fields a crossref child inherits
        self.waiting: list[tuple[dict[str, str], int, str]] = []  # (fields, line, key)

    def block(self, block: Block, line: int) -> list[Item]:
        if isinstance(block, DuplicateFieldKeyBlock | DuplicateBlockKeyBlock):
            inner = block.ignore_error_block  # the block itself; duplicates are judged here
            warning = _twice(block, self.source, line)
            assert inner is not None
            return [*self.block(inner, line), *warning]
        if isinstance(block, String):
            self.strings[block.key.lower()] = evaluate(block.value, self.strings)
            return []
        if isinstance(block, ParsingFailedBlock):
            return [Rejection(self.source, line, _broken(block))]
        if isinstance(block, Entry) and block.entry_type.lower() not in _NOT_ENTRIES:
            return self._entry(block, line)
        return []  # comments, @preamble

    def _entry(self, entry: Entry, line: int) -> list[Item]:
        key = entry.key.lower()
        if key in self.keys:
            reason = f"key {entry.key[:80]!r} was used before, at line {self.keys[key]}; skipped"
            return [Rejection(self.source, line, reason)]
        self.keys[key] = line
        fields: dict[str, str] = {}
        for field in entry.fields:
            name = field.key.lower()
            if name not in fields:  # a field given twice: BibTeX takes the first
                fields[name] = evaluate(field.value, self.strings)
        inherited = {name: fields[name] for name in _INHERITED if name in fields}
        if inherited:
            self.parents[key] = inherited
        crossref = fields.get("crossref", "").strip().lower()
        if crossref:
            if crossref not in self.parents:
                self.waiting.append((fields, line, entry.key))
                return []
            _inherit(fields, self.parents[crossref])
        return finish(entry_draft(fields, self.folder, entry.key), self.source, line)

    def waiting_children(self) -> Iterator[Item]:
        """The crossref children whose parent came after them (or never came)."""
        for fields, line, key in self.waiting:
            parent = self.parents.get(fields["crossref"].strip().lower())
            if parent is None:
                note = f"crossref {fields['crossref'][:80]!r} names no entry in this file"
                yield Warning_(self.source, line, note)
            else:
                _inherit(fields, parent)
            yield from finish(entry_draft(fields, self.folder, key), self.source, line)


def _inherit(fields: dict[str, str], parent: dict[str, str]) -> None:
    for name, value in parent.items():
        fields.setdefault(name, value)


def _twice(block: ParsingFailedBlock, source: str, line: int) -> list[Warning_]:
    if isinstance(block, DuplicateFieldKeyBlock):
        names = ", ".join(sorted(block.duplicate_keys))[:80]
        return [Warning_(source, line, f"field {names} given twice; the first is used")]
    return []  # a repeated entry key or @string: judged in _Entries, with the whole file


def _broken(block: ParsingFailedBlock) -> str:
    head = _FAILED_HEAD.match(block.raw or "")
    what = f"@{head.group(1)}{{{head.group(2)}" if head else "the entry"
    error = block.error
    reason = getattr(error, "abort_reason", None) or str(error)
    reason = " ".join(reason.replace("`", "'").split()).rstrip(". ")
    if len(reason) > _MAX_REASON:
        reason = reason[: _MAX_REASON - 1] + "…"
    return f"{what[:100]} is not valid BibTeX ({reason}); skipped"
