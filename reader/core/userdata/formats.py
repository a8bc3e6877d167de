"""The shape of each YAML file in the user folder: how it reads, checks, writes and merges.

Each file is `version: 1` plus one section keyed by paper id (or search name). Reading checks
the shape and reports the first wrong value by key path, line and column; keys that are old
ids (aliases) fold into the current id, merging their values, so a bookmark survives a merge
or a re-import. Values are checked by the rules of values.py, as the app's inputs are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.core.userdata.values import (
    Resolve,
    check_id,
    clean_name,
    clean_query,
    clean_sort,
    clean_tag,
    clean_watch_query,
    safe_resolve,
    sorted_tags,
)

if TYPE_CHECKING:  # the YAML reader loads yaml: only once a file is read
    from reader.core.userdata.yamlio import KeyPath, Parsed, Value

Times = dict[str, str | None]  # paper id -> ISO time (None: not known, e.g. written by hand)
Tags = dict[str, list[str]]
Searches = dict[str, dict[str, str | None]]  # name -> query, sort, created
SearchState = dict[str, dict[str, Any]]  # name -> last_opened, seen (ids)
Queries = dict[str, str | None]  # followed or muted query -> when added
Queue = list[str]  # paper ids, the next to read first
Moments = dict[str, str | None]  # a name -> when (the last digest)

_HEADER_TAIL = (
    "Written by reader on every change. You may edit it by hand (keep the shape); comments\n"
    "other than these lines are not kept: before a save drops them, a copy goes to kept/."
)


# -- checking values read from a file --------------------------------------------------------


def _mapping(parsed: Parsed, value: Value, where: KeyPath) -> dict[str, Value]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise parsed.error(where, "expected a mapping (key: value lines)")
    return value


def _by_id(parsed: Parsed, value: Value, where: KeyPath) -> dict[str, Value]:
    entries = _mapping(parsed, value, where)
    for key in entries:
        try:
            check_id(key)
        except ValueError as error:
            raise parsed.error((*where, key), str(error)) from None
    return entries


def _text_or_none(parsed: Parsed, value: Value, where: KeyPath) -> str | None:
    if value is not None and not isinstance(value, str):
        raise parsed.error(where, "expected a single value")
    return value


def _text(parsed: Parsed, value: Value, where: KeyPath, check: Callable[[str], str]) -> str:
    if not isinstance(value, str):
        raise parsed.error(where, "expected text")
    try:
        return check(value)
    except ValueError as error:
        raise parsed.error(where, str(error)) from None


@dataclass(frozen=True, slots=True)
class Format:
    """What every file format shares: its file name, section key and header comment."""

    file_name: str
    section: str
    title: str
    flow_lists: bool = True

    @property
    def header(self) -> str:
        return f"reader {self.title}.\n{_HEADER_TAIL}"

    def changed_ids(self, old: Any, new: Any) -> set[str]:
        """The paper ids whose entries differ between two states of the file (none for a
        file not keyed by paper id)."""
        return set()


def _changed_keys(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


class TimesFormat(Format):
    """bookmarks.yaml, read.yaml: paper id -> when (UTC, ISO 8601)."""

    def empty(self) -> Times:
        return {}

    def decode(self, parsed: Parsed, value: Value, where: KeyPath) -> Times:
        entries = _by_id(parsed, value, where)
        return {key: _text_or_none(parsed, v, (*where, key)) for key, v in entries.items()}

    def changed_ids(self, old: Times, new: Times) -> set[str]:
        return _changed_keys(old, new)

    def encode(self, data: Times) -> object:
        return dict(data)

    def canonical(self, data: Times, resolve: Resolve) -> Times:
        result: Times = {}
        for key, when in data.items():
            current = safe_resolve(resolve, key)
            known = result.get(current)
            if current not in result or (when is not None and (known is None or when < known)):
                result[current] = when
        return result


class TagsFormat(Format):
    """tags.yaml: paper id -> [tag, ...] (sorted, one line per paper)."""

    def empty(self) -> Tags:
        return {}

    def decode(self, parsed: Parsed, value: Value, where: KeyPath) -> Tags:
        result: Tags = {}
        for key, tags in _by_id(parsed, value, where).items():
            if tags is None:
                continue
            if not isinstance(tags, list):
                raise parsed.error((*where, key), "expected a list of tags, like [a, b]")
            clean = set()
            for i, tag in enumerate(tags):
                try:
                    clean.add(clean_tag(tag))
                except ValueError as error:
                    message = "expected text" if not isinstance(tag, str) else str(error)
                    raise parsed.error((*where, key, i), message) from None
            if clean:
                result[key] = sorted_tags(clean)
        return result

    def changed_ids(self, old: Tags, new: Tags) -> set[str]:
        return _changed_keys(old, new)

    def encode(self, data: Tags) -> object:
        return {key: tags for key, tags in data.items() if tags}  # kept sorted by every change

    def canonical(self, data: Tags, resolve: Resolve) -> Tags:
        """Tags come in sorted and unique (decode and every change keep them so); only
        entries that fold into one id need merging."""
        result: Tags = {}
        for key, tags in data.items():
            current = safe_resolve(resolve, key)
            known = result.get(current)
            result[current] = tags if known is None else sorted_tags({*known, *tags})
        return result


class SearchesFormat(Format):
    """searches.yaml: name -> {query, sort, created}."""

    def empty(self) -> Searches:
        return {}

    def decode(self, parsed: Parsed, value: Value, where: KeyPath) -> Searches:
        result: Searches = {}
        for name, entry in _mapping(parsed, value, where).items():
            here = (*where, name)
            try:
                clean = clean_name(name)
            except ValueError as error:
                raise parsed.error(here, str(error)) from None
            fields = _mapping(parsed, entry, here)
            unknown = set(fields) - {"query", "sort", "created"}
            if unknown:
                raise parsed.error(here, f"unknown field {sorted(unknown)[0]!r}")
            if "query" not in fields:
                raise parsed.error(here, "a saved search needs a query")
            result[clean] = {
                "query": _text(parsed, fields["query"], (*here, "query"), clean_query),
                "sort": _text(parsed, fields.get("sort", "relevance"), (*here, "sort"), clean_sort),
                "created": _text_or_none(parsed, fields.get("created"), (*here, "created")),
            }
        return result

    def encode(self, data: Searches) -> object:
        return {
            name: {key: value for key, value in entry.items() if value is not None}
            for name, entry in data.items()
        }

    def canonical(self, data: Searches, resolve: Resolve) -> Searches:
        return data


class SearchStateFormat(Format):
    """search-state.yaml: when each saved search was last opened and which ids it showed."""

    def empty(self) -> SearchState:
        return {}

    def decode(self, parsed: Parsed, value: Value, where: KeyPath) -> SearchState:
        result: SearchState = {}
        for name, entry in _mapping(parsed, value, where).items():
            here = (*where, name)
            _text(parsed, name, here, clean_name)
            fields = _mapping(parsed, entry, here)
            seen = fields.get("seen") or []
            if not isinstance(seen, list):
                raise parsed.error((*here, "seen"), "expected a list of paper ids")
            result[name] = {
                "last_opened": _text_or_none(parsed, fields.get("last_opened"), here),
                "seen": sorted(
                    {_text(parsed, v, (*here, "seen", i), check_id) for i, v in enumerate(seen)}
                ),
            }
        return result

    def encode(self, data: SearchState) -> object:
        return {
            name: {"last_opened": entry["last_opened"], "seen": sorted(entry["seen"])}
            for name, entry in data.items()
        }

    def canonical(self, data: SearchState, resolve: Resolve) -> SearchState:
        return data  # seen ids are compared, not looked up: resolving thousands would be slow


class QueriesFormat(Format):
    """follows.yaml, mutes.yaml: query -> when added. By hand, a plain list of queries will do."""

    def empty(self) -> Queries:
        return {}

    def decode(self, parsed: Parsed, value: Value, where: KeyPath) -> Queries:
        if isinstance(value, list):  # written by hand: one query per line, no times
            pairs = [((*where, i), item, None) for i, item in enumerate(value)]
        else:
            entries = _mapping(parsed, value, where).items()
            pairs = [((*where, query), query, when) for query, when in entries]
        result: Queries = {}
        for here, query, when in pairs:
            clean = _text(parsed, query, here, clean_watch_query)
            result[clean] = _text_or_none(parsed, when, here)
        return result

    def encode(self, data: Queries) -> object:
        return dict(data)

    def canonical(self, data: Queries, resolve: Resolve) -> Queries:
        return data


class QueueFormat(Format):
    """queue.yaml: paper ids in reading order, one per line, the next first."""

    def empty(self) -> Queue:
        return []

    def decode(self, parsed: Parsed, value: Value, where: KeyPath) -> Queue:
        if value is None:
            return []
        if not isinstance(value, list):
            raise parsed.error(where, "expected a list of paper ids, one '- id' per line")
        ids = [_text(parsed, item, (*where, i), check_id) for i, item in enumerate(value)]
        return list(dict.fromkeys(ids))

    def encode(self, data: Queue) -> object:
        return list(data)

    def canonical(self, data: Queue, resolve: Resolve) -> Queue:
        return list(dict.fromkeys(safe_resolve(resolve, pid) for pid in data))


class MomentsFormat(Format):
    """digest-state.yaml: a name -> a time (when the last digest was made)."""

    def empty(self) -> Moments:
        return {}

    def decode(self, parsed: Parsed, value: Value, where: KeyPath) -> Moments:
        entries = _mapping(parsed, value, where)
        return {key: _text_or_none(parsed, v, (*where, key)) for key, v in entries.items()}

    def encode(self, data: Moments) -> object:
        return dict(data)

    def canonical(self, data: Moments, resolve: Resolve) -> Moments:
        return data


BOOKMARKS = TimesFormat("bookmarks.yaml", "bookmarks", "bookmarks: paper id -> when bookmarked")
READ = TimesFormat("read.yaml", "read", "read state: paper id -> when marked read")
DISMISSED = TimesFormat(
    "dismissed.yaml", "dismissed", "not for me (hidden from For you): paper id -> when"
)
TAGS = TagsFormat("tags.yaml", "tags", "tags: paper id -> its tags")
SEARCHES = SearchesFormat("searches.yaml", "searches", "saved searches: name -> query and sort")
SEARCH_STATE = SearchStateFormat(
    "search-state.yaml",
    "searches",
    "saved search state: when each was last opened, and the ids it showed then",
    flow_lists=False,
)
FOLLOWS = QueriesFormat("follows.yaml", "follows", "follows: query -> when followed")
MUTES = QueriesFormat("mutes.yaml", "mutes", "mutes: query -> when muted")
QUEUE = QueueFormat(
    "queue.yaml", "queue", "reading queue: paper ids, the next first", flow_lists=False
)
DIGEST_STATE = MomentsFormat("digest-state.yaml", "digest", "digest state: when the last was made")
