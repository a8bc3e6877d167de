"""Reading a JSON list one element at a time, so one bad record does not sink the file.

json.loads of the whole document would give all or nothing. Here each element is decoded on
its own (raw_decode); an element that fails (bad syntax, NaN, a huge integer, nesting deep
enough to exhaust the stack) is skipped by a bracket scan and reported, and reading goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_STRUCTURE = re.compile(r'[\[\]{}"]')
_SCALAR_END = re.compile(r"[,\]\}]")


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


@dataclass(slots=True)
class Element:
    """One element of the list: its 1-based number, and the value or why it failed."""

    number: int
    value: object = None
    error: str = ""  # when set, and it says so, nothing after this element could be read
    start: int = -1  # where the element starts in the text (-1: unknown)


def iter_list(text: str, start: int) -> Iterator[Element]:
    """The elements of the JSON list whose '[' is at text[start]."""
    pos = _skip_ws(text, start + 1)
    number = 0
    if text.startswith("]", pos):
        return
    while True:
        number += 1
        if pos >= len(text):
            yield Element(number, error="the list ends early (a truncated file?)")
            return
        start = pos
        try:
            value, pos = DECODER.raw_decode(text, pos)
            yield Element(number, value, start=start)
        except (ValueError, RecursionError) as error:
            reason = json_error(error)
            pos = skip_value(text, pos)
            if pos < 0:
                yield Element(number, error=f"{reason}; the rest could not be read", start=start)
                return
            yield Element(number, error=reason, start=start)
        pos = _skip_ws(text, pos)
        if text.startswith("]", pos):
            return
        if not text.startswith(",", pos):
            what = "ends early (a truncated file?)" if pos >= len(text) else "has no ','"
            line = text.count("\n", 0, pos) + 1
            yield Element(number + 1, error=f"the list {what} at line {line}")
            return
        pos = _skip_ws(text, pos + 1)


def skip_value(text: str, pos: int) -> int:
    """The index just past the JSON value at pos, by bracket counting; -1 if it never ends."""
    if text.startswith('"', pos):
        match = _STRING.match(text, pos)
        return match.end() if match else -1
    if not text.startswith(("[", "{"), pos):
        match = _SCALAR_END.search(text, pos)
        return match.start() if match else -1
    depth = 0
    while True:
        match = _STRUCTURE.search(text, pos)
        if match is None:
            return -1
        char = match.group(0)
        if char == '"':
            string = _STRING.match(text, match.start())
            if string is None:
                return -1
            pos = string.end()
            continue
        depth += 1 if char in "[{" else -1
        pos = match.end()
        if depth == 0:
            return pos


def json_error(error: ValueError | RecursionError) -> str:
    """A one-line reason for a JSON decoding failure, without Python's advice to programmers."""
    if isinstance(error, RecursionError):
        return "JSON nested too deeply"
    return f"invalid JSON: {str(error).split(';')[0]}"


def _skip_ws(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos
