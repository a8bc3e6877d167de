"""The benchmark's queries: drawn (seeded) from the head of the corpus, so both engines and every
N answer the very same ones. A query is kept as structure and rendered into each engine's syntax.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

HEAD_PAPERS = 2000  # queries come from the first papers, the same at every N
MIX = (("plain", 200), ("fuzzy", 50), ("phrase", 50), ("field", 50), ("long", 50))
LONG_WORDS = (6, 12)  # a description: reader searches it by meaning too
# Whoosh's default stop list: neither side is asked for words one of them throws away.
# fmt: off
STOP = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in",
    "is", "it", "may", "not", "of", "on", "or", "tbd", "that", "the", "this", "to", "us", "we",
    "when", "will", "with", "yet", "you", "your",
})
# fmt: on
_WORD = re.compile(r"[a-z]{3,}")


@dataclass(slots=True)
class Query:
    kind: str  # plain | fuzzy | phrase | field | long
    words: list[str]
    field: str = ""  # title | author | date (kind "field" only)
    years: tuple[int, int] | None = None  # inclusive, for field "date"

    def reader_text(self) -> str:
        """The query as a reader user types it."""
        if self.kind == "fuzzy":
            return f"{self.words[0]}~1"
        if self.kind == "phrase":
            return '"' + " ".join(self.words) + '"'
        if self.field == "title":
            return f"title:{self.words[0]}"
        if self.field == "author":
            return f"author:{self.words[0]}"
        if self.field == "date" and self.years:
            low, high = self.years
            return f"{' '.join(self.words)} date:[{low}-01-01 to {high}-12-31]"
        return " ".join(self.words)


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOP]


def _typo(word: str, rand: random.Random) -> str:
    """One substituted letter (never the first: fuzzy engines often pin the prefix)."""
    at = rand.randrange(1, len(word))
    letter = rand.choice([c for c in "aeioustnrl" if c != word[at]])
    return word[:at] + letter + word[at + 1 :]


def head(corpus: Path, count: int = HEAD_PAPERS) -> list[dict[str, object]]:
    papers: list[dict[str, object]] = []
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            papers.append(json.loads(line))
            if len(papers) >= count:
                break
    return papers


def draw(corpus: Path, seed: int = 11) -> list[Query]:
    """The query mix of the brief: 200 of 1-3 words, 50 fuzzy, 50 phrases, 50 by field/date,
    and 50 long ones: 6 to 12 words of one paper's abstract in another order, as a person
    describing a paper would type them (reader searches those by meaning too). The long ones
    are drawn last, so the others are the same as before they were added."""
    papers = head(corpus)
    rand = random.Random(seed)
    tokens: list[str] = []
    for paper in papers:
        tokens += _words(f"{paper['title']} {paper['abstract']}")
    counts = Counter(tokens)
    types = sorted(counts)
    common = sorted(w for w, c in counts.items() if c >= 2 and len(w) >= 5)

    def word() -> str:  # half weighted by use (common words, big result sets), half by type
        return rand.choice(tokens) if rand.random() < 0.5 else rand.choice(types)

    queries: list[Query] = []
    for _ in range(MIX[0][1]):
        queries.append(
            Query("plain", list(dict.fromkeys(word() for _ in range(rand.randint(1, 3)))))
        )
    for i in range(MIX[1][1]):
        term = rand.choice(common)
        queries.append(Query("fuzzy", [_typo(term, rand) if i % 2 else term]))
    phrases = 0
    while phrases < MIX[2][1]:
        paper = rand.choice(papers)
        run = str(paper["abstract"]).lower().split()
        size = rand.randint(2, 3)
        at = rand.randrange(len(run) - size)
        words = run[at : at + size]
        if all(_WORD.fullmatch(w) and w not in STOP for w in words):
            queries.append(Query("phrase", words))
            phrases += 1
    for i in range(MIX[3][1]):
        paper = rand.choice(papers)
        if i % 3 == 0:
            title_words = _words(str(paper["title"])) or [word()]
            queries.append(Query("field", [rand.choice(title_words)], field="title"))
        elif i % 3 == 1:
            family = rand.choice(paper["authors_parsed"])[0]  # type: ignore[index]
            queries.append(Query("field", [str(family).lower()], field="author"))
        else:
            start = rand.randint(2008, 2023)
            years = (start, start + rand.randint(0, 2))
            queries.append(Query("field", [word()], field="date", years=years))
    for _ in range(MIX[4][1]):
        paper = rand.choice(papers)
        own = list(dict.fromkeys(_words(str(paper["abstract"]))))
        queries.append(Query("long", rand.sample(own, min(len(own), rand.randint(*LONG_WORDS)))))
    return queries


def tui_word(corpus: Path, rank: int = 50) -> str:
    """A common word, but not the most common: what the TUI probe types."""
    counts = Counter(w for p in head(corpus) for w in _words(f"{p['title']} {p['abstract']}"))
    ranked = [w for w, _ in counts.most_common() if len(w) >= 5]
    return ranked[min(rank, len(ranked) - 1)]


def save(queries: list[Query], path: Path) -> None:
    path.write_text(json.dumps([asdict(q) for q in queries], indent=1), encoding="utf-8")


def load(path: Path) -> list[Query]:
    out = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        years = item.pop("years")
        out.append(Query(**item, years=tuple(years) if years else None))
    return out
