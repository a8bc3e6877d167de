"""Reading any version of a user file into the current shape (version 1).

Version 0 is a file with no `version:` line, the shape a person writes by hand without reading
any docs: a plain list of ids for bookmarks or read state, `id: "a, b"` for tags, and
`name: query` for saved searches. It reads as version 1 and is rewritten as version 1 on the
next save (after a copy of the original goes to kept/). A file from a newer reader is refused,
kept as it is, and never saved over: its fields may mean things this version cannot keep.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.core.userdata.formats import (
    BOOKMARKS,
    FOLLOWS,
    MUTES,
    QUEUE,
    READ,
    SEARCHES,
    TAGS,
    Format,
    check_id,
)

if TYPE_CHECKING:  # the YAML reader loads yaml: only once a file is read
    from reader.core.userdata.yamlio import KeyPath, Parsed, Value

CURRENT_VERSION = 1


def current_section(fmt: Format, parsed: Parsed) -> tuple[Value, KeyPath, int]:
    """The file's section in the current shape, the key path it sits at, and its version."""
    data = parsed.data
    if data is None:
        return None, (), CURRENT_VERSION
    if isinstance(data, dict) and "version" in data:
        version = _version(parsed, data["version"])
        unknown = sorted(set(data) - {"version", fmt.section})
        if unknown:
            raise parsed.error(
                (unknown[0],), f"unknown key (expected 'version' and '{fmt.section}')"
            )
        return data.get(fmt.section), (fmt.section,), version
    upgrade = _FROM_V0.get(fmt.file_name)
    if upgrade is None:
        raise parsed.error((), "no 'version:' line; this file is written by reader itself")
    return upgrade(parsed, data), (), 0


def _version(parsed: Parsed, value: Value) -> int:
    if not isinstance(value, str) or not value.isdigit():
        raise parsed.error(("version",), "version must be a whole number")
    version = int(value)
    if version > CURRENT_VERSION:
        raise parsed.error(
            ("version",),
            f"written by a newer reader (format version {version}; this one reads up to "
            f"{CURRENT_VERSION}); upgrade reader to use it",
        )
    if version < 1:
        raise parsed.error(("version",), "version 0 files have no 'version:' line")
    return version


def _times_v0(parsed: Parsed, data: Value) -> Value:
    if isinstance(data, list):
        ids: dict[str, Value] = {}
        for i, item in enumerate(data):
            if not isinstance(item, str):
                raise parsed.error((i,), "expected a paper id")
            try:
                ids[check_id(item)] = None
            except ValueError as error:
                raise parsed.error((i,), str(error)) from None
        return ids
    if isinstance(data, dict):
        return data
    raise parsed.error((), "expected a list of paper ids")


def _tags_v0(parsed: Parsed, data: Value) -> Value:
    if not isinstance(data, dict):
        raise parsed.error((), "expected 'paper id: [tags]' lines")
    return {
        key: [part for part in tags.split(",") if part.strip()] if isinstance(tags, str) else tags
        for key, tags in data.items()
    }


def _searches_v0(parsed: Parsed, data: Value) -> Value:
    if not isinstance(data, dict):
        raise parsed.error((), "expected 'name: query' lines")
    return {
        name: {"query": entry} if isinstance(entry, str) else entry for name, entry in data.items()
    }


def _bare(section: str) -> Callable[[Parsed, Value], Value]:
    """Follows, mutes and the queue written by hand: a list of queries or ids, bare or under
    its section name, with no version line."""

    def upgrade(parsed: Parsed, data: Value) -> Value:
        if isinstance(data, dict) and set(data) == {section}:
            return data[section]
        return data

    return upgrade


# search-state.yaml is machine state, always versioned: it has no version 0.
_FROM_V0: dict[str, Callable[[Parsed, Value], Value]] = {
    BOOKMARKS.file_name: _times_v0,
    READ.file_name: _times_v0,
    TAGS.file_name: _tags_v0,
    SEARCHES.file_name: _searches_v0,
    FOLLOWS.file_name: _bare(FOLLOWS.section),
    MUTES.file_name: _bare(MUTES.section),
    QUEUE.file_name: _bare(QUEUE.section),
}
