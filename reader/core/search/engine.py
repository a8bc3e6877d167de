"""Searching the paper index: what the library (and through it the CLI and TUI) calls.

Snippets are abstract excerpts with the matched words wrapped in « and » (U+00AB, U+00BB):
plain characters, never markup. Queries use Whoosh's language (see reader.core.search.query); a
malformed one is searched as its plain words and `note` says so. The bare words of a query
forgive typos and missing words (reader.core.search.plain_words), and a misspelled word brings a
`suggestion` even when there are results. Nothing here raises on what a user types; a
damaged index raises IndexDamaged.
"""

from __future__ import annotations

import heapq
import pickle
import re
import struct
import threading
import time
import zlib
from collections.abc import Callable, MutableMapping
from functools import partial
from importlib import import_module
from itertools import compress

from whoosh.query import NullQuery, Query, QueryError
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from reader.core.index import AUTHOR_SEPARATOR, WORDS, IndexDamaged, PaperIndex, segment_data
from reader.core.model import SORTS
from reader.core.search.evaluate import Evaluation, Evaluator, Unsupported
from reader.core.search.gathered_words import index_words
from reader.core.search.plain_words import PlainQuery, split
from reader.core.search.query import ALIASES, MALFORMED, ParsedQuery, QueryParser
from reader.core.search.query_cost import dense_pays
from reader.core.search.results import Allow, Hit, RankedIds, SearchResult, SegmentedColumn
from reader.core.search.snippets import match_spans, snippet
from reader.core.search.spelling import Vocabulary, suggest_text

SNIPPET_FIELDS = ("title", "abstract")
Read = dict[int, tuple[dict[str, str], str]]  # docnum -> (stored fields, abstract)
# What a query Whoosh parsed but cannot run raises (bad regex, a value a field cannot take).
_UNRUNNABLE = (QueryError, ValueError, TypeError, re.error)
# What reading a damaged index file raises (rather than a query problem).
_DAMAGE = (OSError, EOFError, zlib.error, pickle.UnpicklingError, struct.error)
# A bare word, fuzzy or not: corrected, it is a word of a title or an abstract, which a bare
# word searches, so it finds something without searching it (at 1M papers `word~1` costs
# 0.4 s to search again).
_ONE_WORD = re.compile(r"\s*\w+(?:~\d*)?\s*")
# Matches search_ids ranks at once by relevance (a list's first screens; the rest when read).
FIRST_RANKED = 1000


Upvotes = Callable[[], dict[str, int]]  # paper id -> upvotes, for the papers that have any
Column = tuple[bytes, ...]  # one value per document of a searcher


class SearchEngine:
    def __init__(
        self,
        index: PaperIndex,
        abstracts: Callable[[list[str]], dict[str, str]],
        upvotes: Upvotes | None = None,
    ) -> None:
        self.index = index
        self.abstracts = abstracts
        self.upvotes = upvotes or dict  # upvotes live in the store, not in the index
        self._parser = QueryParser(index.schema)
        self._columns: tuple[tuple[str, ...], dict[str, Column]] = ((), {})
        self._typo: tuple[tuple[str, ...] | None, Vocabulary] = (None, Vocabulary(()))
        self._typo_lock = threading.Lock()  # one build, however many threads need it
        self._fields = set(index.schema.names()) | {a for names in ALIASES.values() for a in names}

    # -- public API ----------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int | None = 20,
        offset: int = 0,
        sort: str = "relevance",
        allow: Allow = None,
    ) -> SearchResult:
        _check(sort, limit, offset)
        started = time.perf_counter()
        with self.index.reading() as searcher:
            parsed, found, hint, _ = self._run(query, searcher)
            need = None if limit is None else offset + limit
            order, total = self._order(found, searcher, sort, allow, need)
            page = order[offset:need]
            read = self._read(searcher, page)
        terms = {term for name, term in found.terms if name in SNIPPET_FIELDS}
        held = found.sightings.holders(terms, SNIPPET_FIELDS)
        hits = [_hit(read[d][0], found.scores[d], read[d][1], held(d)) for d in page]
        return SearchResult(
            query=query,
            total=total,
            took_ms=(time.perf_counter() - started) * 1000,
            suggestion=hint or (self._suggestion(parsed) if total == 0 else None),
            results=hits,
            note=parsed.note,
            sort=sort,
        )

    def search_ids(
        self, query: str, *, sort: str = "relevance", allow: Allow = None
    ) -> tuple[RankedIds, SearchResult]:
        """Every matching id in order (no hits, no snippets): the TUI's virtual list. By
        relevance only the first FIRST_RANKED are ranked here; the rest when they are read."""
        _check(sort, None, 0)
        started = time.perf_counter()
        with self.index.reading() as searcher:
            parsed, found, hint, plain = self._run(query, searcher)
            terms = self._terms(query, searcher, plain)
            first = FIRST_RANKED if sort == "relevance" else None
            order, total = self._order(found, searcher, sort, allow, first)
            rank_all = partial(_ranked, found.scores) if len(order) < total else None
            ids = RankedIds(order, _ids(searcher), rank_all, total)
        result = SearchResult(
            query=query,
            total=total,
            took_ms=(time.perf_counter() - started) * 1000,
            suggestion=hint or (self._suggestion(parsed) if total == 0 else None),
            results=[],
            note=parsed.note,
            sort=sort,
            terms=terms,
        )
        return ids, result

    def terms(self, query: str) -> list[str]:
        """The analysed title/abstract terms a query matches (expansions of `word~` and
        `prefix*` included): give them to snippets.match_spans() to mark words in a text.
        (search_ids gives them too, in its result's `terms`.)"""
        with self.index.reading() as searcher:
            return self._terms(query, searcher)

    def _terms(self, query: str, searcher: Searcher, plain: PlainQuery | None = None) -> list[str]:
        """terms(query); `plain` is its words as a search just built them (a misspelt word's
        nearest spellings are looked up once, not again)."""
        parts = split(query, self._fields)
        words: set[str] = set()
        try:
            if parts is not None:
                plain = plain or self._plain(query, parts.words, searcher)
                words = {term for r in plain.searched for term, _ in r.searched}
            rest = query if parts is None else parts.clauses
            expanded = Evaluator(searcher).expand(self._parser.parse(rest).query)
        except _DAMAGE as exc:
            raise self.index.damaged(exc) from exc
        return sorted(words | {term for name, term in expanded if name in SNIPPET_FIELDS})

    def suggest(self, query: str) -> str | None:
        """The query with unknown words replaced by the nearest indexed words, if that finds
        something; else None."""
        with self.index.reading() as searcher:
            corrected = suggest_text(
                query, self._typo_vocabulary(searcher), lambda term: _frequency(searcher, term)
            )
            if corrected is None or corrected == query:
                return None
            if _ONE_WORD.fullmatch(corrected):  # a word of the index (or word~N) finds papers
                return corrected
            _, found = self._evaluate(self._parser.parse(corrected), searcher)
            return corrected if found.scores else None

    # -- internals -----------------------------------------------------------------------

    def _run(
        self, query: str, searcher: Searcher
    ) -> tuple[ParsedQuery, Evaluation, str | None, PlainQuery | None]:
        """Evaluate a query: its bare words forgivingly, unless it is written in the query
        language throughout; also the "did you mean" of its misspelled words, if any, and its
        words as searched (None if Whoosh searched it all)."""
        parts = split(query, self._fields)
        clauses = self._parser.parse(parts.clauses) if parts and parts.clauses else None
        if parts is not None and (clauses is None or clauses.note is None):
            try:
                evaluator = Evaluator(searcher)
                plain = self._plain(query, parts.words, searcher, evaluator)
                found = plain.evaluate(evaluator, clauses and clauses.query)
                parsed = ParsedQuery(query, NullQuery, found.note)
                return parsed, found, plain.suggestion(), plain
            except (Unsupported, *_UNRUNNABLE):
                pass  # a clause the plain words' path does not take: the query as written
            except _DAMAGE as exc:
                raise self.index.damaged(exc) from exc
        parsed, found = self._evaluate(self._parser.parse(query), searcher)
        return parsed, found, None, None

    def _plain(
        self, query: str, words: str, searcher: Searcher, evaluator: Evaluator | None = None
    ) -> PlainQuery:
        """The query's words as searched. With the `evaluator` that will search them, their
        frequencies come from it: it keeps each segment's record of a term for reading its
        postings (a lookup costs, 38 segments and two fields for each word at 1M papers)."""
        if evaluator is None:
            frequency = partial(_frequency, searcher)
        else:
            to_bytes = [(name, self.index.schema[name].to_bytes) for name in SNIPPET_FIELDS]

            def frequency(term: str) -> int:
                return sum(evaluator.frequency(name, encode(term)) for name, encode in to_bytes)

        return PlainQuery.build(query, words, lambda: self._typo_vocabulary(searcher), frequency)

    def _read(self, searcher: Searcher, docnums: list[int]) -> Read:
        """Stored fields and abstracts of papers."""
        rows = {docnum: searcher.stored_fields(docnum) for docnum in docnums}
        abstracts = self.abstracts([row["id"] for row in rows.values()]) if rows else {}
        return {docnum: (row, abstracts.get(row["id"], "")) for docnum, row in rows.items()}

    def _evaluate(self, parsed: ParsedQuery, searcher: Searcher) -> tuple[ParsedQuery, Evaluation]:
        try:
            try:
                return parsed, _scored(Evaluator(searcher), parsed.query)
            except _DAMAGE:
                raise
            except (Unsupported, *_UNRUNNABLE) as exc:  # Whoosh parsed it; it cannot be run
                name = str(exc) if isinstance(exc, Unsupported) else type(exc).__name__
                plain = self._parser.plain(
                    parsed.text, MALFORMED.format(f"it could not be run: {name}")
                )
                return plain, Evaluator(searcher).run(plain.query)
        except _DAMAGE as exc:
            raise self.index.damaged(exc) from exc

    def _order(
        self,
        found: Evaluation,
        searcher: Searcher,
        sort: str,
        allow: Allow,
        need: int | None,
    ) -> tuple[list[int], int]:
        """Matching docnums in result order (only the first `need` for relevance) and the
        total after the `allow` filter."""
        scores = found.scores
        if allow is not None and scores:
            ids = self._column(searcher, "id")
            keys = list(scores)
            if callable(allow):
                keep = map(allow, map(bytes.decode, map(ids.__getitem__, keys)))
            else:
                allowed = {pid.encode("utf-8") for pid in allow}
                keep = map(allowed.__contains__, map(ids.__getitem__, keys))
            if isinstance(scores, dict):
                kept = list(compress(keys, keep))
                scores = dict(zip(kept, map(scores.__getitem__, kept), strict=True))
            else:
                scores = scores.where(list(keep))
            found.scores = scores
        total = len(scores)
        if sort == "relevance" and need is not None and need < total:
            if not need:
                return [], total
            if not isinstance(scores, dict):
                return scores.top(need), total
            # The need-th best score, then every paper scoring at least that (found in C),
            # in the full order: of papers tied at the edge, the first by docnum.
            edge = heapq.nlargest(need, scores.values())[-1]
            above = compress(scores, map(edge.__lt__, scores.values()))
            tied = sorted(compress(scores, map(edge.__eq__, scores.values())))
            top = sorted(above, key=lambda d: (-scores[d], d))
            return top + tied[: need - len(top)], total
        order = _ranked(scores)
        if sort == "date":
            order.sort(key=self._column(searcher, "date").__getitem__, reverse=True)
        elif sort == "title":
            order.sort(key=self._column(searcher, "title_sort").__getitem__)
        elif sort == "upvotes":
            order.sort(key=self._upvote_key(searcher))
        return order, total

    def _upvote_key(self, searcher: Searcher) -> Callable[[int], int]:
        """Most upvoted first, papers without upvotes last; a stable sort keeps relevance
        order among equals."""
        votes = {pid.encode("utf-8"): count for pid, count in self.upvotes().items()}
        ids = self._column(searcher, "id")
        return lambda docnum: -votes.get(ids[docnum], -1)

    def _column(self, searcher: Searcher, name: str) -> Column:
        """A column's values for every document of the searcher (cached per generation). A
        tuple, not a list: the collector stops tracking a tuple of bytes, where every full
        collection walked a list of a million ids (tens of ms, often in a keystroke's frame)."""
        leaves = _leaves(searcher)
        key = tuple(r.segment().segment_id() for r in leaves)
        if key != self._columns[0]:
            self._columns = (key, {})
        columns = self._columns[1]
        if name not in columns:
            values: list[bytes] = []
            for reader in leaves:
                values += segment_data(reader).column(reader, name)
            columns[name] = tuple(values)
        return columns[name]

    def _typo_vocabulary(self, searcher: Searcher) -> Vocabulary:
        """The index's unstemmed title and abstract words bucketed by length for typo lookups
        and "did you mean" (kept in step with the segments, and in a file for the next
        process: gathered_words.py; no answer depends on their order)."""
        leaves = _leaves(searcher)
        key = tuple(r.segment().segment_id() for r in leaves)
        with self._typo_lock:
            if key != self._typo[0]:
                self._typo = (key, Vocabulary(index_words(leaves, (WORDS,))))
            return self._typo[1]

    def warm(self) -> None:
        """Load what the first misspelled word needs (the typo vocabulary and its letter
        masks, long to make for a big library) and the first big query (numpy) now, in the
        caller's thread, rather than in the middle of a search."""
        import_module("reader.core.search.array_scores")
        with self.index.reading() as searcher:
            self._typo_vocabulary(searcher).lengths.prepare()

    def _suggestion(self, parsed: ParsedQuery) -> str | None:
        return self.suggest(parsed.text) if parsed.text.strip() else None


def _check(sort: str, limit: int | None, offset: int) -> None:
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    if offset < 0:
        raise ValueError(f"offset must be 0 or more, not {offset}")


def _scored(evaluator: Evaluator, q: Query) -> Evaluation:
    """A parsed query's evaluation: a fuzzy word with big posting lists as numpy vectors (the
    dict path's scores to the bit), anything else as dicts."""
    fuzzy = evaluator.fuzzy_groups(q)
    if fuzzy is not None and dense_pays(sum(map(evaluator.estimate, fuzzy[0]))):
        from reader.core.search.array_scores import fuzzy_scores  # numpy's: big queries only

        return evaluator.result(fuzzy_scores(evaluator, *fuzzy))
    return evaluator.run(q)


def _ranked(scores: MutableMapping[int, float]) -> list[int]:
    """Every matching docnum, best first; of equal scores the lowest docnum first."""
    if isinstance(scores, dict):
        return sorted(sorted(scores), key=scores.__getitem__, reverse=True)
    return scores.ranked()


def _leaves(searcher: Searcher) -> list[SegmentReader]:
    """The searcher's segments that hold documents, in docnum order."""
    return [r for r, _ in searcher.reader().leaf_readers() if r.doc_count_all()]


def _ids(searcher: Searcher) -> SegmentedColumn:
    """Every document's paper id, for a page of results (no joined copy to make)."""
    return SegmentedColumn([segment_data(r).column(r, "id") for r in _leaves(searcher)])


def _frequency(searcher: Searcher, term: str) -> int:
    return sum(searcher.doc_frequency(name, term) for name in SNIPPET_FIELDS)


def _hit(row: dict[str, str], score: float, abstract: str, terms: set[str]) -> Hit:
    title = row.get("title", "")
    authors = row.get("author", "")
    return Hit(
        id=row["id"],
        title=title,
        authors=authors.split(AUTHOR_SEPARATOR) if authors else [],
        date=row.get("date", ""),
        score=float(score),
        snippet=snippet(abstract, terms),
        highlights=match_spans(title, terms),
    )


__all__ = ["SORTS", "Hit", "IndexDamaged", "SearchEngine", "SearchResult"]
