"""What a value in the user's files may be: tags, ids, names and queries are checked (and
cleaned) by one set of rules, whether they come from a file or from the app; and how a file's
ids become current ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Resolve = Callable[[str], str]
ResolveAll = Callable[[list[str]], dict[str, str]]  # ids -> current ids, unknown ids left out

MAX_TAG = 64
MAX_ID = 512
MAX_NAME = 100
MAX_QUERY = 500


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACE_OR_COMMA = re.compile(r"[\s,]")


def _has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def has_surrogates(text: str) -> bool:
    """Lone surrogates (undecodable bytes smuggled in by surrogateescape) are not text: no
    UTF-8 file and no YAML escape can hold them."""
    return _SURROGATE.search(text) is not None


def clean_tag(tag: str) -> str:
    """A tag as stored; ValueError says what is wrong with it."""
    if not isinstance(tag, str):
        raise ValueError("a tag must be text")
    tag = tag.strip()
    if not tag:
        raise ValueError("a tag cannot be empty")
    if _has_control(tag):
        raise ValueError(f"a tag cannot contain control characters: {tag!r}")
    if _SPACE_OR_COMMA.search(tag):
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


def clean_watch_query(query: str) -> str:
    """A followed or muted query as stored; ValueError says what is wrong with it."""
    query = clean_query(query)
    if not query:
        raise ValueError("the query is empty")
    if len(query) > MAX_QUERY:
        raise ValueError(f"a query is at most {MAX_QUERY} characters")
    return query


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


def resolver_for(keys: Iterable[str], resolve: Resolve, resolve_all: ResolveAll | None) -> Resolve:
    """How the ids of one file become current ids: with resolve_all, all of them in one go
    when the first is asked for (one store query for a file, not one per line)."""
    if resolve_all is None:
        return resolve
    found: dict[str, str] | None = None

    def current(paper_id: str) -> str:
        nonlocal found
        if found is None:
            found = resolve_all(list(keys))
        return found.get(paper_id, paper_id)

    return current
