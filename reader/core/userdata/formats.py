"""The shape of each YAML file in the user folder: how it reads, checks, writes and merges.

Each file is `version: 1` plus one section keyed by paper id (or search name). Reading checks
the shape and reports the first wrong value by key path, line and column; keys that are old
ids (aliases) fold into the current id, merging their values, so a bookmark survives a merge
or a re-import. Inputs from the app are checked with the same rules (`clean_tag`, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reader.core.userdata.yamlio import KeyPath, Parsed, Value

Resolve = Callable[[str], str]
Times = dict[str, str | None]  # paper id -> ISO time (None: not known, e.g. written by hand)
Tags = dict[str, list[str]]
Searches = dict[str, dict[str, str | None]]  # name -> query, sort, created
SearchState = dict[str, dict[str, Any]]  # name -> last_opened, seen (ids)

MAX_TAG = 64
MAX_ID = 512
MAX_NAME = 100
_HEADER_TAIL = (
    "Written by reader on every change. You may edit it by hand (keep the shape); comments\n"
    "other than these lines are not kept: before a save drops them, a copy goes to kept/."
)


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029" for c in text) or (
        has_surrogates(text)
    )


def has_surrogates(text: str) -> bool:
    """Lone surrogates (undecodable bytes smuggled in by surrogateescape) are not text: no
    UTF-8 file and no YAML escape can hold them."""
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def clean_tag(tag: str) -> str:
    """A tag as stored; ValueError says what is wrong with it."""
    if not isinstance(tag, str):
        raise ValueError("a tag must be text")
    tag = tag.strip()
    if not tag:
        raise ValueError("a tag cannot be empty")
    if _has_control(tag):
        raise ValueError(f"a tag cannot contain control characters: {tag!r}")
    if any(c.isspace() for c in tag) or "," in tag:
        raise ValueError(f"a tag cannot contain spaces or commas (use - instead): {tag!r}")
    if len(tag) > MAX_TAG:
        raise ValueError(f"a tag is at most {MAX_TAG} characters: {tag[:20]!r}...")
    return tag


def sorted_tags(tags: set[str]) -> list[str]:
    return sorted(tags, key=lambda tag: (tag.casefold(), tag))


def clean_name(name: str) -> str:
    """A saved search name as stored; ValueError says what is wrong with it."""
    if not isinstance(name, str):
        raise ValueError("a saved search name must be text")
    name = name.strip()
    if not name:
        raise ValueError("a saved search name cannot be empty")
    if _has_control(name):
        raise ValueError(f"a saved search name cannot contain control characters: {name!r}")
    if len(name) > MAX_NAME:
        raise ValueError(f"a saved search name is at most {MAX_NAME} characters")
    return name


def clean_query(query: str) -> str:
    if not isinstance(query, str) or _has_control(query):
        raise ValueError("a query must be one line of text")
    return query.strip()


def clean_sort(sort: str) -> str:
    if not isinstance(sort, str) or not sort.strip().replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"not a sort order: {sort!r}")
    return sort.strip()


def check_id(paper_id: str) -> str:
    if not isinstance(paper_id, str) or not paper_id:
        raise ValueError("a paper id cannot be empty")
    if len(paper_id) > MAX_ID or has_surrogates(paper_id):
        raise ValueError(f"not a paper id: {paper_id[:40]!r}")
    return paper_id


def safe_resolve(resolve: Resolve, paper_id: str) -> str:
    """resolve(paper_id), or paper_id itself when resolve has nothing better."""
    current = resolve(paper_id)
    return current if isinstance(current, str) and current else paper_id


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


class TimesFormat(Format):
    """bookmarks.yaml, read.yaml: paper id -> when (UTC, ISO 8601)."""

    def empty(self) -> Times:
        return {}

    def decode(self, parsed: Parsed, value: Value, where: KeyPath) -> Times:
        entries = _by_id(parsed, value, where)
        return {key: _text_or_none(parsed, v, (*where, key)) for key, v in entries.items()}

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
            clean = {_text(parsed, t, (*where, key, i), clean_tag) for i, t in enumerate(tags)}
            if clean:
                result[key] = sorted_tags(clean)
        return result

    def encode(self, data: Tags) -> object:
        return {key: tags for key, tags in data.items() if tags}  # kept sorted by every change

    def canonical(self, data: Tags, resolve: Resolve) -> Tags:
        merged: dict[str, set[str]] = {}
        for key, tags in data.items():
            merged.setdefault(safe_resolve(resolve, key), set()).update(tags)
        return {key: sorted_tags(tags) for key, tags in merged.items()}


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
