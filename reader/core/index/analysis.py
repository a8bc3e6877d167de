"""Text analysis for the index: one definition of "a term", used by Whoosh and by our fast path.

Whoosh analyses a field through a chain of generators (tokenizer | lowercase | accents | stop
words | stemmer) at about 10 us a token, which made indexing the bottleneck. The bulk segment
builder calls `text_positions` instead: the same steps with a per-word memo, giving the same
terms and positions as `text_analyzer()` (a test checks them on the seeds), about 20x faster.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

# Whoosh's default token pattern r"[\w\*]+(\.?[\w\*]+)*" matches exactly these tokens ("*" stays
# inside words so `transform*` reaches the parser); this spelling is 30% faster and its group
# does not capture, so findall() returns whole matches.
TOKEN_PATTERN = r"[\w*]+(?:\.[\w*]+)*"
TOKEN = re.compile(TOKEN_PATTERN)
_MIN_SIZE = 2
# Positions between two authors, so a phrase never spans two names ("lovelace alan").
NAME_GAP = 100
# Words remembered (with their terms), then the memo starts again. Each index worker keeps
# its own, and a segment's builder memoises its chunks itself: this memo only spares the
# stemmer the common words of each new segment (bench/RESULTS.md, "Import memory at 1M").
_MEMO_LIMIT = 50_000


def text_analyzer() -> Analyzer:
    """Titles, abstracts and notes: stemmed, so "pruning" finds "pruned"; accents folded."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(STOP_WORDS, minsize=_MIN_SIZE)
        | StemFilter(stem, cachesize=50_000)
    )


def name_analyzer() -> Analyzer:
    """Author names: whole words, lowercased and accent-folded, never stemmed or stopped."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


_text_memo: dict[str, str | None] = {}


def fold(word: str) -> str:
    """A word lowercased and accent-folded: what every analyzer here does first."""
    return word.lower().translate(accent_map)


@cache
def lead(char: str) -> str:
    """The first character of the term of a word that begins with `char`: folding keeps a
    word's first letter first, and stemming rewrites endings only, so only words with the
    right lead can be a given term (tests/core/search/test_snippets.py checks every word of the
    sample). "" (a character that folds away) can lead to any term."""
    return fold(char)[:1]


def _text_term(word: str) -> str | None:
    """The term a raw token indexes as, or None for a stop word (memoised)."""
    term = _text_memo.get(word, "")
    if term != "":
        return term
    low = fold(word)
    term = None if len(low) < _MIN_SIZE or low in STOP_WORDS else stem(low)
    if len(_text_memo) >= _MEMO_LIMIT:
        _text_memo.clear()
    _text_memo[word] = term
    return term


def term_of(word: str) -> str | None:
    """The analysed term of one word, or None if the word is not indexed (stop word)."""
    return _text_term(word)


def chunk_terms(chunk: str) -> tuple[str | None, ...]:
    """The terms (None for a stop word) of one whitespace-free chunk such as "(SciML),"."""
    if chunk.isalnum():  # the common case: one plain word
        return (_text_term(chunk),)
    return tuple(_text_term(word) for word in TOKEN.findall(chunk))


ChunkMemo = dict[str, tuple[str | None, ...]]
_chunk_memo: ChunkMemo = {}


def text_positions(text: str, memo: ChunkMemo | None = None) -> dict[str, list[int]]:
    """Term -> positions, exactly as `text_analyzer()` indexes `text`.

    Tokens never contain whitespace, so the text is split on it first and each chunk's terms
    are memoised ("model," recurs as often as "model"). Whoosh's StopFilter renumbers: the
    first kept token keeps its position, the kept tokens after it follow one by one.

    A caller's own `memo` is never cleared: its keys are every chunk it has analysed (the
    segment builder's words of a segment, for its vocabulary); the shared one is, when full.
    """
    out: dict[str, list[int]] = {}
    if memo is None:
        memo = _chunk_memo
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
    index = -1
    pos = -1
    started = False
    for chunk in text.split():
        terms = memo.get(chunk)
        if terms is None:
            terms = memo[chunk] = chunk_terms(chunk)
        for term in terms:
            index += 1
            if term is None:
                continue
            pos = pos + 1 if started else index
            started = True
            if term in out:
                out[term].append(pos)
            else:
                out[term] = [pos]
    return out


def surface_words(chunks: Iterable[str]) -> set[str]:
    """The indexed words of whitespace-split text, lowercased but not stemmed: what a
    "did you mean" may offer (stop words and single letters left out)."""
    out: set[str] = set()
    for chunk in chunks:
        for word in TOKEN.findall(chunk):
            low = word.lower()
            if len(low) >= _MIN_SIZE and low not in STOP_WORDS and "*" not in low:
                out.add(low)
    return out


def word_spans(text: str) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, term) for every token of `text`; term is None for stop words."""
    for match in TOKEN.finditer(text):
        yield match.start(), match.end(), _text_term(match.group(0))


def keyword(value: str) -> str:
    """A tag, category or source as one lowercase token (inner spaces become "-")."""
    return "-".join(value.lower().split())
