"""Saved Hugging Face "Daily Papers" pages as text, in both layouts the seeds show.

Spaced: header lines ("new", "Subscribe", "Daily Papers", ...), a date line ("Sep 8"), then
title / blank / abstract / blank ... Compact: title and abstract lines alternate with no blank
lines, the first title glued to "Subscribe", a tail of whitespace-only lines.

Blank lines carry no meaning, so both layouts read alike. Whether a line is a title or an
abstract is decided by its shape (length, sentences, capitalisation) with alternation as the
tie-breaker and one line of look-ahead: a title followed by a line that is itself followed by
an abstract had no abstract of its own, and is kept with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from reader.core.importers.build import Draft, Item, finish
from reader.core.importers.limits import over_long_reason
from reader.core.importers.lines import LineDecoder, iter_raw_lines
from reader.core.model import Rejection, Warning_
from reader.core.text import clean_title

_HEADERS = frozenset(
    {"new", "subscribe", "daily papers", "byak and the research community", "upvote"}
)
_TRENDING = re.compile(r"get trending papers in your email inbox\b.*", re.IGNORECASE)
_DATE = re.compile(
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:,?\s+\d{4})?",
    re.IGNORECASE,
)
_GLUED_SUBSCRIBE = re.compile(r"Subscribe(?=[A-Z0-9\"'“‘(\[])")
# A full stop between sentences. '?' is left out ("Does X Help? Evidence from Y" is a title),
# and so are the abbreviations titles use ("X vs. Y").
_SENTENCE_BREAK = re.compile(
    r"[a-z0-9)\]%](?<!\bvs)(?<!\bal)(?<!\be\.g)(?<!\bi\.e)(?<!\bcf)(?<!\betc)(?<!\bFig)(?<!\bNo)"
    r"[.!][\"')\]]?\s+[A-Z(\"]"
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(slots=True)
class _Unit:
    kind: str  # "text", "date" or "note" (a Warning_/Rejection to pass on)
    line: int
    text: str = ""
    note: Warning_ | Rejection | None = None


@dataclass(slots=True)
class _Open:
    """A paper being read: its title line, and its abstract paragraphs so far."""

    line: int
    title: str
    listed: str
    parts: list[str] = field(default_factory=list)


def read(stream: BinaryIO, source: str) -> Iterator[Item]:
    current: _Open | None = None
    listed = ""
    for unit, following in _with_next(_units(stream, source)):
        if unit.note is not None:
            yield unit.note
            continue
        if unit.kind == "date":
            if current:
                yield from _close(current, source)
            current, listed = None, unit.text
            continue
        text = unit.text
        next_is_abstract = (
            following is not None and following.kind == "text" and is_abstract(following.text)
        )
        abstract_shaped = is_abstract(text) and not (next_is_abstract and _could_be_title(text))
        if current is None:
            if abstract_shaped:
                yield Rejection(source, unit.line, "an abstract with no title before it; skipped")
            else:
                current = _Open(unit.line, text, listed)
        elif not current.parts:  # a title is waiting for its abstract
            if abstract_shaped or not (next_is_abstract or _title_cased(text)):
                current.parts.append(text)
            else:
                yield from _close(current, source)
                current = _Open(unit.line, text, listed)
        elif abstract_shaped:  # a second paragraph of the same abstract
            current.parts.append(text)
        else:
            yield from _close(current, source)
            current = _Open(unit.line, text, listed)
    if current:
        yield from _close(current, source)


def _close(paper: _Open, source: str) -> list[Item]:
    draft = Draft(title=paper.title, abstract="\n\n".join(paper.parts), listed=paper.listed)
    return finish(draft, source, paper.line)


def is_abstract(text: str) -> bool:
    """Shaped like an abstract: long, or several sentences, or a full sentence ending in '.'."""
    size = len(text)
    if size > 600:
        return True
    breaks = len(_SENTENCE_BREAK.findall(text))
    ends_sentence = text.rstrip("\"')]").endswith(".")
    # A title may end in '?' or hold one '. ', but rarely a period and a long body together.
    if breaks >= 2:
        return True
    return (ends_sentence and (size >= 100 or breaks == 1)) or (size > 300 and breaks == 1)


def _could_be_title(text: str) -> bool:
    return len(text) <= 300 and not _SENTENCE_BREAK.search(text)


def _title_cased(text: str) -> bool:
    words = [word for word in _WORD.findall(text) if len(word) > 3]
    return len(words) >= 2 and sum(word[0].isupper() for word in words) / len(words) >= 0.6


def chrome_kind(text: str) -> str | None:
    """'header' or 'date' for the page's own lines, which never become titles; else None."""
    folded = " ".join(text.casefold().split()).rstrip("!")
    if folded in _HEADERS or _TRENDING.fullmatch(folded):
        return "header"
    if _DATE.fullmatch(text):
        return "date"
    return None


def _units(stream: BinaryIO, source: str) -> Iterator[_Unit]:
    decoder = LineDecoder(source)
    in_header = True  # until the first paper: where "Subscribe" may be glued to a title
    for number, line, note in _lines(stream, source, decoder):
        if note is not None:
            yield _Unit("note", number, note=note)
            continue
        text = clean_title(line)
        if in_header and _GLUED_SUBSCRIBE.match(text):
            text = text[len("Subscribe") :]
        if not text:
            continue
        kind = chrome_kind(text)
        if kind == "header":
            continue
        if kind == "date":
            yield _Unit("date", number, text)
        elif not _LETTER.search(text):
            note = Warning_(source, number, f"skipped a line with no words: {text[:40]!r}")
            yield _Unit("note", number, note=note)
        else:
            in_header = False
            yield _Unit("text", number, text)


def _lines(
    stream: BinaryIO, source: str, decoder: LineDecoder
) -> Iterator[tuple[int, str, Warning_ | Rejection | None]]:
    """(line number, text, None) per line, or a note; a lone CR (old Mac files) ends a line
    too, and the numbers count it as editors do."""
    shift = 0
    for number, raw in iter_raw_lines(stream):
        if raw is None:
            yield number + shift, "", Rejection(source, number + shift, over_long_reason())
            continue
        line, warning = decoder.decode(raw, number + shift)
        if warning:
            yield number + shift, "", warning
        parts = line.split("\r")
        for offset, part in enumerate(parts):
            yield number + shift + offset, part, None
        shift += len(parts) - 1


def _with_next(units: Iterator[_Unit]) -> Iterator[tuple[_Unit, _Unit | None]]:
    """Each unit with the next text or date unit after it; notes pass through in order."""
    previous: _Unit | None = None
    held: list[_Unit] = []
    for unit in units:
        if unit.note is not None and previous is not None:
            held.append(unit)
            continue
        if unit.note is not None:
            yield unit, None
            continue
        if previous is not None:
            yield previous, unit
            yield from ((note, None) for note in held)
            held.clear()
        previous = unit
    if previous is not None:
        yield previous, None
    yield from ((note, None) for note in held)


def looks_like_page(head: str) -> bool:
    """Whether a file's first lines read as a Daily Papers page: its header or date lines, or
    (a list saved without them) title, abstract, title, abstract."""
    lines = [clean_title(line) for line in head.splitlines()]
    lines = [line for line in lines if line]
    if any(chrome_kind(line) for line in lines[:12]):
        return True
    if any(_GLUED_SUBSCRIBE.match(line) for line in lines[:3]):
        return True
    first = lines[:4] if len(lines) >= 4 else lines[:2]
    return len(first) >= 2 and all(
        is_abstract(line) == (position % 2 == 1) for position, line in enumerate(first)
    )
