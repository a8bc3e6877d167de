"""How deep a hand-written YAML file may nest before reader refuses to read it.

PyYAML builds its node tree recursively: in C (libyaml), a file of 50,000 nested `[` crashes
the process; in Python, 1,000 end in a RecursionError that names no file. Its parser, though,
keeps its own stack, so walking a file's events first costs no recursion at all: a file that
nests deeper than any of reader's files could is refused there, at the line and column where it
goes too deep, and the node tree is built only for files that pass.
"""

from __future__ import annotations

from collections.abc import Iterable

from yaml.events import CollectionEndEvent, CollectionStartEvent, Event

MAX_DEPTH = 64  # reader's own files nest 4 deep, a config file 5


class TooDeep(Exception):
    """Nesting past MAX_DEPTH; line and column (1-based) of the collection that went past it."""

    def __init__(self, line: int, column: int, limit: int = MAX_DEPTH) -> None:
        self.line = line
        self.column = column
        self.reason = f"nested more than {limit} levels deep"
        super().__init__(self.reason)


def check_depth(events: Iterable[Event], limit: int = MAX_DEPTH) -> None:
    """Raise TooDeep at the first collection nested deeper than limit (events are consumed
    only that far)."""
    depth = 0
    for event in events:
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > limit:
                mark = event.start_mark
                raise TooDeep(mark.line + 1, mark.column + 1, limit)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
