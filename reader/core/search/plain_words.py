"""Plain words forgive: a misspelled word, a word the paper does not have, a pasted title.

The bare words of a query (those outside `field:value` clauses, in a query with no quotes,
operators or wildcards) are what people type from memory, so they are matched word by word
rather than parsed:

- a word no paper has is searched as its nearest spellings (reader.core.search.spelling),
  weighted below an exact match; a word with no near spelling at all is left out;
- every remaining word must match (AND, as in the query language), and papers holding the
  words as a phrase, in the title or the abstract, rank higher;
- if no paper has them all, papers with some of them are ranked, by BM25 times the share of
  the query's words they hold, rather than showing nothing.

A query of LONG_QUERY words or more with no clause is a description, not a name: it is
searched by words and by meaning (reader.core.search.meaning), papers holding some of the
words ranked by whole-paper BM25 and fused with the papers nearest in meaning.

`field:value` clauses (`tag:survey`, `date:2024`, `title:pruning`) keep the query language's
meaning exactly: the papers must match them, and their scores add to the words'.

Punctuation that the query language would read as syntax is taken as punctuation here: the
"?" ending "What's in a Prior?", the ":" of "MMGP: a Mesh ..." (MMGP is no field) and the
parentheses of "How to (re)warm your model" (they only group operators).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container
from dataclasses import dataclass
from itertools import repeat
from operator import add, mul
from typing import TYPE_CHECKING

from whoosh import query as wq

from reader.core.index import TOKEN, term_of
from reader.core.search.combine import Scores, best, intersect
from reader.core.search.evaluate import Evaluation, Evaluator
from reader.core.search.phrase_bonus import fields_holding
from reader.core.search.query_cost import PROBE_RATIO, dense_pays
from reader.core.search.spelling import Frequency, Rewrite, Vocabulary, rewrite, suggestion
from reader.core.vectors import preload

if TYPE_CHECKING:
    from reader.core.search.array_scores import DenseScores

TEXT_FIELDS = ("title", "abstract")
PHRASE_BOOST = 1.0
PHRASE_DEPTH = 50  # papers checked for the query's words as a phrase
# Query words (stop words aside) from which a plain query without clauses is searched by
# meaning too: fewer are names typed from memory (bench/SEMANTIC.md measured where).
LONG_QUERY = 6
_SYNTAX_CHARS = set('"[]{}*~^')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
_CLAUSE = re.compile(r'(?<!\S)(\w+):("[^"]*"|\[[^\]]*\]|\{[^}]*\}|\([^)]*\)|\S+)')
_INNER_QUESTION = re.compile(r"\?\w")  # "transf?rmer" is a wildcard; "Prior?" is a question


@dataclass(frozen=True, slots=True)
class Split:
    words: str  # the bare words, searched forgivingly
    clauses: str  # the field:value clauses, searched in the query language ("" if none)


def split(text: str, fields: Container[str]) -> Split | None:
    """The query's bare words and its `field:value` clauses (fields named in `fields`), or
    None when the words use the query language (quotes, operators, wildcards, ranges) or
    there are no words: such a query is parsed as a whole."""
    clauses = [m.group(0) for m in _CLAUSE.finditer(text) if m.group(1).lower() in fields]
    words = text
    for clause in clauses:
        words = words.replace(clause, " ", 1)
    if _SYNTAX_CHARS.intersection(words) or _INNER_QUESTION.search(words):
        return None
    if any(chunk in _OPERATORS for chunk in words.split()) or not TOKEN.search(words):
        return None
    return Split(" ".join(words.split()), " ".join(clauses))


@dataclass(slots=True)
class PlainQuery:
    text: str  # the whole query, as typed
    rewrites: list[Rewrite]

    @classmethod
    def build(
        cls, text: str, words: str, vocabulary: Callable[[], Vocabulary], frequency: Frequency
    ) -> PlainQuery:
        return cls(text, rewrite(TOKEN.findall(words), vocabulary, term_of, frequency))

    def suggestion(self) -> str | None:
        """The query with its misspelled words corrected, if it had any."""
        return suggestion(self.text, self.rewrites)

    def evaluate(self, evaluator: Evaluator, clauses: wq.Query | None = None) -> Evaluation:
        """BM25F scores (reader.core.search.evaluate) of the matching papers. Papers must match
        `clauses` (the query's field:value part), whose scores add to the words'."""
        groups = [_group(r.searched) for r in self.searched]
        if not groups:
            return evaluator.result({})
        if clauses is None and len(groups) >= LONG_QUERY:
            return self._by_meaning(evaluator)
        within = evaluator.run(clauses).scores if clauses is not None else None
        if not dense_pays(_dict_cost(evaluator, groups, within)):
            scores = _every(evaluator, groups, within)
            if scores and len(groups) > 1:
                self._favour_phrases(evaluator, scores)
            if scores or len(groups) == 1:
                return evaluator.result(scores)
            # No paper has every word: papers with some are scored, every posting of each word.
            if not dense_pays(sum(map(evaluator.estimate, groups))):
                parts = [evaluator.run(g).scores for g in groups]
                scores = _some_of([_only(part, within) for part in parts])
                if within is not None:
                    scores = {docnum: score + within[docnum] for docnum, score in scores.items()}
                return evaluator.result(scores)
        from reader.core.search.array_scores import (
            plain_scores,  # loads numpy: only big queries get here
        )

        dense, every = plain_scores(evaluator, groups, within)
        if every and dense and len(groups) > 1:
            self._favour_phrases(evaluator, dense)
        return evaluator.result(dense)

    def _by_meaning(self, evaluator: Evaluator) -> Evaluation:
        preload()  # the model loads while numpy does and the words are searched
        from reader.core.search.meaning import meaning_scores  # numpy, vectors and the model

        words = [r.searched for r in self.searched]
        text = self.text  # as typed: a word the papers lack may still carry its meaning
        scores, note = meaning_scores(
            evaluator, words, text, lambda lexical: self._favour_phrases(evaluator, lexical)
        )
        return evaluator.result(scores, note)

    @property
    def searched(self) -> list[Rewrite]:
        return [r for r in self.rewrites if r.searched]

    def _favour_phrases(self, evaluator: Evaluator, scores: Scores | DenseScores) -> None:
        """Multiply the score of each of the best PHRASE_DEPTH papers by 1 + PHRASE_BOOST for
        each of its title and abstract holding the words in the query's order (read from the
        index's positions of the words in those papers alone)."""
        words = [r.corrected for r in self.searched]
        top = best(scores, PHRASE_DEPTH) if isinstance(scores, dict) else scores.top(PHRASE_DEPTH)
        for docnum, held in fields_holding(evaluator, words, top, TEXT_FIELDS).items():
            scores[docnum] *= 1 + PHRASE_BOOST * held


def _dict_cost(evaluator: Evaluator, groups: list[wq.Query], within: Scores | None) -> float:
    """What _every costs, in scored postings: the first word's all, then each next word's all,
    or if the papers still in are fewer, a probe for each (which costs PROBE_RATIO postings)."""
    sizes = sorted(map(evaluator.estimate, groups))
    first = len(within) if within is not None else sizes.pop(0)
    return first + sum(min(size, first * PROBE_RATIO) for size in sizes)


def _every(evaluator: Evaluator, groups: list[wq.Query], within: Scores | None) -> Scores:
    """Papers matching every group (and `within`, if given), scores summed. The rarest word
    goes first; each next word is looked up only for the papers still in (a common word's
    postings are probed, not all scored: "detail dofibe models" has one paper)."""
    ordered = sorted(groups, key=evaluator.estimate)
    scores = within if within is not None else evaluator.run(ordered.pop(0)).scores
    for group in ordered:
        if not scores:
            break
        scores = intersect(scores, evaluator.run_within(group, scores))
    return scores


def _group(terms: list[tuple[str, float]]) -> wq.Query:
    """One query word: any of its spellings, in the title or the abstract."""
    return wq.Or(
        [wq.Term(field, term, boost=weight) for term, weight in terms for field in TEXT_FIELDS]
    )


def _only(scores: Scores, within: Scores | None) -> Scores:
    if within is None:
        return scores
    return {docnum: scores[docnum] for docnum in scores.keys() & within.keys()}


def _some_of(parts: list[Scores]) -> Scores:
    """Papers in any part: summed scores times the share of the parts they are in."""
    total: Scores = {}
    count: Counter[int] = Counter()
    for part in parts:
        both = list(total.keys() & part.keys())
        summed = map(add, map(total.__getitem__, both), map(part.__getitem__, both))
        overlap = dict(zip(both, summed, strict=True))
        total.update(part)
        total.update(overlap)
        count.update(part.keys())
    shares = map(mul, map(count.__getitem__, total), repeat(1 / len(parts)))
    return dict(zip(total, map(mul, total.values(), shares), strict=True))
