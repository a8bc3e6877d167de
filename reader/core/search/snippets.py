"""Snippets: the part of an abstract around the matched words, the words marked «like this».

The marks are U+00AB and U+00BB, plain characters: no markup is ever produced or interpreted,
so an abstract containing "[b]" or "<i>" shows exactly that. Matching is by analysed term, so
a search for "pruning" marks "pruned" and "Pruning" too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from itertools import compress
from operator import itemgetter

from reader.core.index import TOKEN, lead, term_of

OPEN, CLOSE = "\u00ab", "\u00bb"
ELLIPSIS = "\u2026"
WIDTH = 240  # characters of abstract in a snippet (marks and ellipses not counted)
_MEMO_LIMIT = 200_000
_FEW_TERMS = 32  # up to this many terms, match_spans analyses only the words that can match
_HEADS_OF = 256  # in ASCII text, up to this many terms, match_spans works from their heads
_FEW_HEADS = 32  # up to this many heads, a str.find pass each costs less than tokenising
_first = itemgetter(0)
_TOKEN_CHAR = re.compile(r"[\w*]")  # what TOKEN's tokens are made of
_ASCII_TOKEN_MARKS = "_*"  # with letters and digits, what they are made of in ASCII


class _Terms(dict[str, str | None]):
    """Token -> term (None for a stop word). A hit is a plain dict lookup, so mapping
    `__getitem__` over a text's tokens runs in C: a search checks dozens of abstracts."""

    def __missing__(self, word: str) -> str | None:
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        term = self[word] = term_of(word)
        return term


_TERMS = _Terms()


def match_spans(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    """(start, end) of every word of `text` whose analysed term is one of `terms`."""
    if not terms or not text:
        return []
    if len(terms) <= _HEADS_OF and text.isascii():
        starts = heads(terms)
        if len(starts) <= _FEW_HEADS:
            return _ascii_spans(text, terms, starts)
        return _ascii_token_spans(text, terms, starts)
    words = set(TOKEN.findall(text))
    if len(terms) <= _FEW_TERMS:  # a fuzzy term's thousand spellings lead with every letter
        leads = {term[:1] for term in terms} | {""}
        words = set(compress(words, map(leads.__contains__, map(lead, map(_first, words)))))
    hits = set(compress(words, map(terms.__contains__, map(_TERMS.__getitem__, words))))
    return _whole_tokens(text, hits, _starts_token)


def _whole_tokens(
    text: str, words: Iterable[str], starts_token: Callable[[str, int], bool]
) -> list[tuple[int, int]]:
    """(start, end) of every place the words stand as whole tokens in `text`, found with
    str.find: matching every token again cost as much again."""
    spans = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if starts_token(text, at) and TOKEN.match(text, at).end() == end:
                spans.append((at, end))
            at = text.find(word, at + 1)
    return sorted(spans)


def _starts_token(text: str, at: int) -> bool:
    """Whether TOKEN, scanning `text`, begins a token at `at` rather than running through it
    (a token character before it, or a dot joining the token before: "a.b" is one token)."""
    if at == 0:
        return True
    if _TOKEN_CHAR.match(text, at - 1):
        return False
    return not (text[at - 1] == "." and at >= 2 and _TOKEN_CHAR.match(text, at - 2))


def heads(terms: Collection[str]) -> set[str]:
    """Strings one of which begins the lowercased word of each of `terms`, in ASCII text.

    An ASCII word's term is the Porter stem of the word lowercased. The stemmer rewrites
    endings only, and a rewrite reaches the third letter only in a word left three letters
    long or less (a suffix it replaces keeps two letters before it, and its replacement the
    suffix's first letter; "ays" -> "ay" -> "ai" is the one rewrite of a second letter). So a
    term of four letters or more begins with the word's first three, a shorter one with the
    word's first two, and a two-letter term ending in "i" may come from a word with "y" there
    (tests/core/search/test_snippets.py checks every word of up to three letters, many of
    four, and every word of the sample)."""
    found = {term[:3] if len(term) > 3 else term[:2] for term in terms}
    found.update([term[0] + "y" for term in terms if len(term) == 2 and term[1] == "i"])
    return found


def _ascii_spans(text: str, terms: Collection[str], heads: set[str]) -> list[tuple[int, int]]:
    """match_spans for ASCII text: the words beginning with one of the terms' `heads`, found
    with str.find in the lowercased text (same offsets in ASCII), instead of tokenising it."""
    low = text.lower()
    starts: set[int] = set()
    for head in heads:
        at = low.find(head)
        while at >= 0:
            if _starts_ascii_token(text, at):
                starts.add(at)
            at = low.find(head, at + 1)
    spans = []
    for at in sorted(starts):
        end = TOKEN.match(text, at).end()
        if _TERMS[text[at:end]] in terms:
            spans.append((at, end))
    return spans


def _ascii_token_spans(text: str, terms: Collection[str], heads: set[str]) -> list[tuple[int, int]]:
    """match_spans for ASCII text and many heads: one tokenising pass of the lowercased text
    (an ASCII word's term is its lowercased word's), only the words with a head analysed."""
    low = text.lower()
    words = [
        w for w in set(TOKEN.findall(low)) if w[:3] in heads or w[:2] in heads or w[:1] in heads
    ]
    hits = set(compress(words, map(terms.__contains__, map(_TERMS.__getitem__, words))))
    return _whole_tokens(low, hits, _starts_ascii_token)


def _starts_ascii_token(text: str, at: int) -> bool:
    """_starts_token for ASCII text, where TOKEN's characters are letters, digits, _ and *."""
    if at == 0:
        return True
    before = text[at - 1]
    if before.isalnum() or before in _ASCII_TOKEN_MARKS:
        return False
    if before != "." or at < 2:
        return True
    joined = text[at - 2]
    return not (joined.isalnum() or joined in _ASCII_TOKEN_MARKS)


def snippet(abstract: str, terms: Collection[str], width: int = WIDTH) -> str:
    """About `width` characters of the abstract around its best cluster of matched words."""
    text = " ".join(abstract.split())
    if not text:
        return ""
    spans = match_spans(text, terms)
    if len(text) <= width:
        return mark(text, spans)
    start = _best_start(text, spans, width)
    end = min(len(text), start + width)
    # Cut at word boundaries, never inside a marked word.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    inside = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    body = mark(text[start:end], inside)
    return (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(text) else "")


def _best_start(text: str, spans: list[tuple[int, int]], width: int) -> int:
    """Where the window with the most distinct matched words (then the most matches) starts,
    a little before its first match; the abstract's start if nothing matched."""
    if not spans:
        return 0
    best, best_key = 0, (-1, -1)
    for i, (first, _) in enumerate(spans):
        window = [s for s in spans[i:] if s[1] <= first + width]
        words = {text[s:e].casefold() for s, e in window}
        key = (len(words), len(window))
        if key > best_key:
            best, best_key = first, key
    lead = width // 6
    return max(0, min(best - lead, len(text) - width))


def mark(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    last = 0
    for start, end in spans:
        out += [text[last:start], OPEN, text[start:end], CLOSE]
        last = end
    out.append(text[last:])
    return "".join(out)
