"""The query language (Whoosh's): parse, reject what is malformed, rewrite ids and dates.

Whoosh's parser never complains: `title:(` becomes a search for the word "title" and
`[red]x[/red]` silently drops the "x". So the text is checked first (quotes, parentheses,
ranges, operators, fields with no value); a malformed query is searched as its plain words and
the result says so. Markup-looking text is only ever words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from whoosh import query as wq
from whoosh.fields import Schema

from reader.core.ids import arxiv_id

if TYPE_CHECKING:
    from whoosh.qparser import MultifieldParser

DEFAULT_FIELDS = ("title", "abstract")
ALIASES = {
    "author": ["authors", "by"],
    "tag": ["tags"],
    "category": ["categories", "cat"],
    "abstract": ["abs"],
}
MALFORMED = "malformed query ({}): searched the plain words instead"
_BINARY = {"AND", "OR", "ANDNOT", "ANDMAYBE"}
_OPERATORS = _BINARY | {"NOT", "TO"}
_RANGE_BODY = re.compile(r"^\s*(?:[^\s\[\]{}]+\s+)?to(?:\s+[^\s\[\]{}]+)?\s*$", re.IGNORECASE)
_FIELD = re.compile(r"(\w+):")
_WORD = re.compile(r"\w+")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2})?$")
# Sorts after any "YYYY-..." text with the same start, so "2025~" ends the year 2025.
_AFTER = "~"


@dataclass(slots=True)
class ParsedQuery:
    text: str
    query: wq.Query
    note: str | None = None


class QueryParser:
    """Parses query text for the paper schema; never raises on bad syntax."""

    def __init__(self, schema: Schema) -> None:
        self._schema = schema
        self._fields = set(schema.names())
        self._aliases = {alias for names in ALIASES.values() for alias in names}
        self._parse = lru_cache(maxsize=256)(self._parse_uncached)

    @cached_property
    def _parser(self) -> MultifieldParser:
        """Whoosh's parser, made for the first query that needs it: plain words never do, and
        loading it costs a cold search 8 ms."""
        from whoosh.qparser import (
            AndGroup,
            FieldAliasPlugin,
            FuzzyTermPlugin,
            GtLtPlugin,
            MultifieldParser,
        )

        parser = MultifieldParser(list(DEFAULT_FIELDS), self._schema, group=AndGroup)
        parser.add_plugin(FuzzyTermPlugin())
        parser.add_plugin(GtLtPlugin())
        parser.add_plugin(FieldAliasPlugin(ALIASES))
        return parser

    def parse(self, text: str) -> ParsedQuery:
        """The query for `text`; a malformed one is its plain words, with a note. The result
        is shared (the same text parses to the same object): do not change it."""
        return self._parse(text)

    def _parse_uncached(self, text: str) -> ParsedQuery:
        problem = self.problem(text)
        if problem is None:
            try:
                return ParsedQuery(text, rewrite(self._parser.parse(text)))
            except Exception as exc:  # whoosh's parser has crashes of its own ("<b>")
                problem = f"the parser failed: {type(exc).__name__}"
        return self.plain(text, MALFORMED.format(problem))

    def plain(self, text: str, note: str | None = None) -> ParsedQuery:
        """The words of `text` as a plain search (operators and field names dropped)."""
        words = plain_words(text)
        if not words:
            return ParsedQuery(text, wq.NullQuery, note)
        return ParsedQuery(text, rewrite(self._parser.parse(" ".join(words))), note)

    def problem(self, text: str) -> str | None:
        """Why `text` is not a well-formed query, or None."""
        depth = 0
        tokens: list[str] = []
        i = 0
        while i < len(text):
            char = text[i]
            if char == '"':
                end = text.find('"', i + 1)
                if end < 0:
                    return "unclosed quote"
                tokens.append("WORD")
                i = end + 1
                continue
            if char in "[{":
                end = min((j for j in (text.find("]", i), text.find("}", i)) if j >= 0), default=-1)
                if end < 0:
                    return "unclosed range"
                if not _RANGE_BODY.match(text[i + 1 : end]):
                    return "a bracket that is not a range [a TO b]"
                tokens.append("WORD")
                i = end + 1
                continue
            if char in "]}":
                return "a stray closing bracket"
            if char == "(":
                depth += 1
                tokens.append("(")
            elif char == ")":
                depth -= 1
                if depth < 0:
                    return "a stray closing parenthesis"
                tokens.append(")")
            elif not char.isspace():
                j = i
                while j < len(text) and not text[j].isspace() and text[j] not in '()"[]{}':
                    j += 1
                word = text[i:j]
                field = _FIELD.match(word)
                if field and field.end() == len(word) and self._known(field.group(1)):
                    if j >= len(text) or text[j].isspace() or text[j] == ")":
                        return f"{field.group(1)}: has no value"
                    i = j
                    continue
                tokens.append(word if word in _OPERATORS else "WORD")
                i = j
                continue
            i += 1
        if depth:
            return "unclosed parenthesis"
        return _operator_problem(tokens)

    def _known(self, name: str) -> bool:
        return name in self._fields or name in self._aliases


def _operator_problem(tokens: list[str]) -> str | None:
    previous = "("
    for token in [*tokens, ")"]:
        if token in _BINARY and (previous in _BINARY or previous in ("(", "NOT")):
            return f"{token} has nothing before it"
        if token == ")" and (previous in _BINARY or previous == "NOT"):
            return f"{previous} has nothing after it"
        if token == ")" and previous == "(" and tokens:
            return "empty parentheses"
        previous = token
    return None


def plain_words(text: str) -> list[str]:
    text = _FIELD.sub(" ", text)
    return [w for w in _WORD.findall(text) if w not in _OPERATORS]


def rewrite(q: wq.Query) -> wq.Query:
    """`id:` takes versioned ids and URLs; `date:2024` means the year (a prefix); date ranges
    with partial dates cover whole years and months."""
    if isinstance(q, wq.Term) and q.fieldname == "id" and isinstance(q.text, str):
        return wq.Term("id", arxiv_id(q.text) or q.text, boost=q.boost)
    if isinstance(q, wq.Term) and q.fieldname == "date" and isinstance(q.text, str):
        if _PARTIAL_DATE.match(q.text):
            return wq.Prefix("date", q.text, boost=q.boost)
        return q
    if isinstance(q, wq.TermRange) and q.fieldname == "date":
        start, end = q.start, q.end
        if start and q.startexcl and not _FULL_DATE.match(start):
            start += _AFTER
        if end and not q.endexcl and not _FULL_DATE.match(end):
            end += _AFTER
        return wq.TermRange("date", start, end, q.startexcl, q.endexcl, boost=q.boost)
    return q.apply(rewrite)
