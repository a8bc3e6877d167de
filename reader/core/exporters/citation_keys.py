"""Citation keys: the one a paper came with, else one made as Better BibTeX makes them: the
first author's last name, the year and the first word of the title that is not a little word,
in lower-case ASCII ("vaswani2017attention").

Keys are unique in an export (BibTeX compares them without case). A paper keeps the key of
the user's .bib, Zotero or papis library (Paper.citekey), so their documents' \\cite commands
still work, unless a paper that joined the library before it has that key already. Papers that
would share a made key take `a`, `b`, ... in the order they joined the library (added_at, then
id), the first keeping the bare key. So exporting the same papers again gives the same keys, a
paper added later takes the next suffix instead of moving the others', and a library imported
from reader's own export (which keeps each key as the paper's) exports with the same keys.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from itertools import chain, count, product
from string import ascii_lowercase

from reader.core.model import Paper

ANONYMOUS = "anon"
# Better BibTeX's skip words (the English ones and the commonest of other languages).
SKIP_WORDS = frozenset(
    (
        "a", "about", "above", "across", "after", "against", "al", "along", "among", "an", "and",
        "as", "at", "before", "behind", "below", "between", "beyond", "but", "by", "de", "del",
        "der", "des", "di", "die", "do", "down", "du", "during", "el", "en", "et", "for", "from",
        "in", "into", "is", "it", "its", "la", "le", "les", "near", "nor", "of", "off", "on",
        "onto", "or", "over", "per", "since", "so", "than", "that", "the", "their", "this",
        "through", "to", "toward", "towards", "un", "una", "und", "under", "une", "until", "up",
        "upon", "versus", "via", "von", "was", "were", "what", "when", "where", "which", "while",
        "who", "why", "with", "within", "without", "yet", "zu",
    )
)  # fmt: skip
# The endings of a name that follow the last name ("Martin Luther King Jr.").
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_NOT_ASCII_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def citation_keys(papers: Sequence[Paper]) -> list[str]:
    """A key for each paper, in the order given, each different from the others."""
    order = sorted(range(len(papers)), key=lambda n: (papers[n].added_at, papers[n].id))
    keys: dict[int, str] = {}
    taken: set[str] = set()  # lower case
    for place in order:
        kept = papers[place].citekey
        if kept and kept.lower() not in taken:
            keys[place] = kept
            taken.add(kept.lower())
    groups: dict[str, list[int]] = {}
    for place in order:
        if place not in keys:
            groups.setdefault(base_key(papers[place]), []).append(place)
    reserved = taken | groups.keys()  # a suffixed key never takes another group's bare key
    for base, places in groups.items():
        candidates = chain([base], (base + suffix for suffix in _suffixes()))
        for place in places:
            key = next(candidates)
            while key in taken or (key != base and key in reserved):
                key = next(candidates)
            keys[place] = key
            taken.add(key)
    return [keys[place] for place in range(len(papers))]


def base_key(paper: Paper) -> str:
    """The key before clashes are told apart."""
    author = ascii_word(surname(paper.authors[0])) if paper.authors else ""
    year = paper.date[:4] if paper.date[:4].isdigit() else ""
    return (author or ANONYMOUS) + year + first_word(paper.title)


def surname(name: str) -> str:
    """The last name in a "First Last" name (before a Jr. or a III)."""
    words = name.replace(",", " ").split()
    while len(words) > 1 and words[-1].lower() in NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def first_word(title: str) -> str:
    """The title's first word that says something ("attention" in "On Attention...")."""
    for word in title.split():
        folded = ascii_word(word)
        if folded and folded not in SKIP_WORDS:
            return folded
    return ""


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits only: "Müller" is "muller", "GPT-4" is "gpt4"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_NOT_ASCII_LETTERS))
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


def _suffixes() -> Iterator[str]:
    """a, b, ..., z, aa, ab, ...: as Better BibTeX tells clashing keys apart."""
    for length in count(1):
        for letters in product(ascii_lowercase, repeat=length):
            yield "".join(letters)
