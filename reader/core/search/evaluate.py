"""Evaluate a parsed Whoosh query with whole posting lists instead of Whoosh's matchers.

Whoosh walks matching documents one at a time through Python matcher objects. Here each term's
posting list is read in one go from its compact tail (reader.core.index.postings), and the
query tree is evaluated with dicts and sets, whose loops run in C. Scores are Whoosh's BM25F
(same idf, average lengths and quantised document lengths), so the ranking is the one Whoosh
would give. Whoosh cannot read reader's postings (format 5): a node type this module does not
know raises Unsupported, and the caller searches the query's plain words instead.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from itertools import repeat
from math import log
from operator import add, mul
from operator import sub as minus

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from reader.core.index import SegmentData, TermPositions, segment_data
from reader.core.search import bm25, fuzzy_terms
from reader.core.search.combine import Scores, boosted, intersect, intersection, union, without
from reader.core.search.query_cost import PROBE_RATIO
from reader.core.search.term_sightings import TermSightings

# One-value fields whose column answers prefixes and ranges (see SegmentData.sorted_column).
SORTED_FIELDS = ("date",)


class Unsupported(Exception):
    """A query node this evaluator does not handle."""


@dataclass
class Evaluation:
    # global docnum -> score, deleted documents excluded: a dict, or for a plain query over
    # big posting lists its arrays (DenseScores of reader.core.search.array_scores)
    scores: MutableMapping[int, float]
    terms: set[tuple[str, str]] = field(default_factory=set)  # (field, term) that matched
    note: str | None = None  # what the result should say about how it was searched
    sightings: TermSightings = field(default_factory=TermSightings)  # for marking hits


class Evaluator:
    """Evaluates one query against one searcher (one index generation)."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.schema = searcher.schema
        self.total_docs = searcher.doc_count_all()
        self.leaves = [
            (segment_data(r), r, base)
            for r, base in searcher.reader().leaf_readers()
            if r.doc_count_all()
        ]
        self.terms: set[tuple[str, str]] = set()
        self.sightings = TermSightings([base for _, _, base in self.leaves])
        self.spellings = fuzzy_terms.Spellings(self.leaves)
        self._dfs: dict[tuple[str, bytes], int] = {}
        self._base = 0  # the first global docnum of the segment being evaluated
        self._tables: dict[str, list[float]] = {}
        self._infos: dict[tuple[str, bytes], list[W3TermInfo | None]] = {}  # by leaf
        self._leaf_of = {data.segid: i for i, (data, _, _) in enumerate(self.leaves)}

    def run(self, q: wq.Query) -> Evaluation:
        """Scores by global docnum: each segment's postings are numbered globally as they are
        read, so segments merge by a plain update."""
        scores: Scores = {}
        for data, reader, base in self.leaves:
            self._base = base
            local = self._node(q, data, reader)
            if reader.has_deletions():
                for docnum in reader.segment().deleted_docs():
                    local.pop(docnum + base, None)
            if scores:
                scores.update(local)
            else:
                scores = local
        return self.result(scores)

    def result(self, scores: MutableMapping[int, float], note: str | None = None) -> Evaluation:
        return Evaluation(scores, self.terms, note, self.sightings)

    def _docnums(self, docs: array[int] | list[int]) -> list[int]:
        """Segment document numbers as global ones."""
        base = self._base
        return list(map(add, docs, repeat(base))) if base else list(docs)

    def expand(self, q: wq.Query) -> set[tuple[str, str]]:
        """The (field, term) pairs a query looks for, multi-term forms expanded, negated parts
        left out: what to highlight."""
        out: set[tuple[str, str]] = set()
        for data, reader, _ in self.leaves:
            out |= self._expand(q, data, reader)
        return out

    def _expand(
        self, q: wq.Query, data: SegmentData, reader: SegmentReader
    ) -> set[tuple[str, str]]:
        if isinstance(q, wq.Not):
            return set()
        if isinstance(q, wq.AndNot):
            return self._expand(q.a, data, reader)
        if isinstance(q, wq.Term):
            return {(q.fieldname, str(q.text))}
        if isinstance(q, wq.Phrase):
            return {(q.fieldname, w) for w in q.words}
        if isinstance(q, wq.FuzzyTerm):
            return {(q.fieldname, t) for t, _ in self.spellings.near(q)}
        if isinstance(q, (wq.Prefix, wq.Wildcard, wq.Regex)):
            from_bytes = self.schema[q.fieldname].from_bytes
            return {(q.fieldname, from_bytes(b)) for _, b in q.expanded_terms(reader)}
        out: set[tuple[str, str]] = set()
        for sub in q.children():
            out |= self._expand(sub, data, reader)
        return out

    # -- nodes ---------------------------------------------------------------------------

    def _node(self, q: wq.Query, data: SegmentData, reader: SegmentReader) -> Scores:
        if isinstance(q, wq.Term):
            return self._term(q.fieldname, q.text, q.boost, data, reader)
        if isinstance(q, wq.And):
            return self._and(q.subqueries, data, reader, q.boost)
        if isinstance(q, wq.Or):
            return boosted(union([self._node(s, data, reader) for s in q.subqueries]), q.boost)
        if isinstance(q, wq.Not):
            return self._everything_but(self._node(q.query, data, reader), data)
        if isinstance(q, wq.AndNot):
            return without(self._node(q.a, data, reader), self._node(q.b, data, reader))
        if isinstance(q, wq.Require):  # a's scores, of the documents b matches too
            scores, wanted = self._node(q.a, data, reader), self._node(q.b, data, reader)
            return {docnum: score for docnum, score in scores.items() if docnum in wanted}
        if isinstance(q, wq.AndMaybe):
            required = self._node(q.a, data, reader)
            optional = self._node(q.b, data, reader)
            required.update(intersect(required, optional))
            return required
        if isinstance(q, wq.Phrase):
            return self._phrase(q, data, reader)
        if isinstance(q, wq.FuzzyTerm):
            return self._fuzzy(q, data, reader)
        if isinstance(q, (wq.Prefix, wq.TermRange)) and q.fieldname in SORTED_FIELDS:
            return self._value_range(q, data, reader)
        if isinstance(q, (wq.Prefix, wq.Wildcard, wq.TermRange, wq.Regex)):
            return self._expanded(q, data, reader)
        if isinstance(q, wq.Every):
            return dict.fromkeys(range(self._base, self._base + data.doc_count), q.boost)
        if isinstance(q, type(wq.NullQuery)):
            return {}
        raise Unsupported(type(q).__name__)

    def _everything_but(self, matched: Scores, data: SegmentData) -> Scores:
        everything = range(self._base, self._base + data.doc_count)
        return dict.fromkeys(set(everything).difference(matched), 0.0)

    def _value_range(
        self, q: wq.Prefix | wq.TermRange, data: SegmentData, reader: SegmentReader
    ) -> Scores:
        """A prefix or range of a one-value field (the date) from its sorted column."""
        values, bounds, docs = data.sorted_column(reader, q.fieldname)
        if isinstance(q, wq.Prefix):
            low = q.text.encode("utf-8")
            start, end = bisect_left(values, low), bisect_left(values, low + b"\xff")
        else:
            start, end = 0, len(values)
            if q.start:
                low = q.start.encode("utf-8")
                start = (bisect_right if q.startexcl else bisect_left)(values, low)
            if q.end:
                high = q.end.encode("utf-8")
                end = (bisect_left if q.endexcl else bisect_right)(values, high)
        found = docs[bounds[start] : bounds[end]]
        if found:
            self.terms.add((q.fieldname, values[start].decode("utf-8")))
        boost = self.schema[q.fieldname].format.field_boost * q.boost
        return dict.fromkeys(self._docnums(found), boost)

    def _expanded(self, q: wq.MultiTerm, data: SegmentData, reader: SegmentReader) -> Scores:
        """Every term a prefix, wildcard or range stands for; in an unscored field (dates,
        ids, tags) just the union of their documents."""
        fieldobj = self.schema[q.fieldname]
        btexts = [btext for _, btext in q.expanded_terms(reader)]
        if fieldobj.scorable:
            texts = [fieldobj.from_bytes(b) for b in btexts]
            return union([self._term(q.fieldname, t, q.boost, data, reader) for t in texts])
        docs: set[int] = set()
        for btext in btexts:
            found = data.postings(reader, q.fieldname, btext)
            if found is not None:
                docs.update(found[0])
                self.terms.add((q.fieldname, btext.decode("utf-8", "replace")))
        return dict.fromkeys(self._docnums(list(docs)), fieldobj.format.field_boost * q.boost)

    def _term(
        self,
        fieldname: str,
        text: object,
        boost: float,
        data: SegmentData,
        reader: SegmentReader,
        within: list[int] | None = None,
    ) -> Scores:
        """A term's scores; with `within` (sorted segment docnums) only, if they are few,
        those of the documents among them (the others may be left in, or not)."""
        fieldobj = self.schema[fieldname]
        btext = fieldobj.to_bytes(text)
        if fieldobj.scorable:  # its idf looks the term up in every segment: once, here
            self.frequency(fieldname, btext)
            infos, leaf = self._infos[fieldname, btext], self._leaf_of[data.segid]
            found = data.postings(reader, fieldname, btext, infos[leaf]) if infos[leaf] else None
            if within is None:  # whole: which documents hold it is known, for marking hits
                text = btext.decode("utf-8", "replace")
                self.sightings.saw(fieldname, text, leaf, found[0] if found else (), infos)
        else:
            found = data.postings(reader, fieldname, btext)
        if found is None:
            return {}
        docs, freqs = found
        self.terms.add((fieldname, btext.decode("utf-8", "replace")))
        if within is not None and len(within) * PROBE_RATIO < len(docs):
            docs, freqs = bm25.among(docs, freqs, within)
        if not fieldobj.scorable:
            return dict.fromkeys(self._docnums(docs), fieldobj.format.field_boost * boost)
        weight = self._idf(fieldname, btext) * boost
        table = self.table(fieldname)
        keys = bm25.keys(docs, freqs, data.lengths(reader, fieldname))
        if len(docs) > len(table):  # cheaper to scale the table than every score
            scores = list(map(list(map(mul, table, repeat(weight))).__getitem__, keys))
        else:
            scores = list(map(mul, map(table.__getitem__, keys), repeat(weight)))
        return dict(zip(self._docnums(docs), scores, strict=True))

    def term_postings(
        self, fieldname: str, text: object
    ) -> Iterator[tuple[int, SegmentData, SegmentReader, array[int], bytes]]:
        """Each segment's postings of a scored term, as (base, data, reader, document numbers,
        frequencies), deleted documents included: for scoring them in bulk
        (reader.core.search.array_scores)."""
        btext = self.schema[fieldname].to_bytes(text)
        self.frequency(fieldname, btext)
        term, infos = btext.decode("utf-8", "replace"), self._infos[fieldname, btext]
        for leaf, ((data, reader, base), info) in enumerate(zip(self.leaves, infos, strict=True)):
            found = data.postings(reader, fieldname, btext, info) if info else None
            if found is not None:  # (a segment without the term is known not to hold it)
                self.sightings.saw(fieldname, term, leaf, found[0], infos)
                self.terms.add((fieldname, term))
                yield base, data, reader, *found

    def record(self, fieldname: str, btext: bytes, data: SegmentData) -> W3TermInfo | None:
        """A segment's record of a term, None if the segment lacks it (looked up once, with
        the term's frequency)."""
        self.frequency(fieldname, btext)
        return self._infos[fieldname, btext][self._leaf_of[data.segid]]

    def weight(self, fieldname: str, text: object, boost: float) -> float:
        """What a term's BM25 table row is multiplied by: its idf times its boost."""
        return self._idf(fieldname, self.schema[fieldname].to_bytes(text)) * boost

    def _idf(self, fieldname: str, btext: bytes) -> float:
        """Whoosh's BM25 idf, from the document frequency over all segments."""
        return log(self.total_docs / (self.frequency(fieldname, btext) + 1)) + 1

    def frequency(self, fieldname: str, btext: bytes) -> int:
        """Documents holding a term, over all segments (asked once per term and query). The
        segments' records of the term are kept for reading its postings next: a fuzzy term's
        many rare spellings are absent from most segments, and each lookup costs."""
        found = self._dfs.get((fieldname, btext))
        if found is None:
            infos = [data.term_info(reader, fieldname, btext) for data, reader, _ in self.leaves]
            self._infos[fieldname, btext] = infos
            found = sum(info.doc_frequency() for info in infos if info is not None)
            self._dfs[fieldname, btext] = found
        return found

    def estimate(self, q: wq.Query) -> float:
        """At most how many documents a term, or an Or of terms, matches (inf for others)."""
        terms = _terms_of(q)
        if terms is None:
            return float("inf")
        return sum(
            self.frequency(t.fieldname, self.schema[t.fieldname].to_bytes(t.text)) for t in terms
        )

    def run_within(self, q: wq.Query, within: Scores) -> Scores:
        """Scores of `q` at least for the documents of `within` that match it: for a term or
        an Or of terms (a plain word), the postings of common terms are probed for those few
        documents instead of scored whole. The caller intersects."""
        terms = _terms_of(q)
        if terms is None or len(within) * PROBE_RATIO >= self.estimate(q):
            return self.run(q).scores  # too many candidates for probing to pay
        wanted = sorted(within)
        scores: Scores = {}
        for data, reader, base in self.leaves:
            lo = bisect_left(wanted, base)
            hi = bisect_left(wanted, base + data.doc_count)
            if lo == hi:
                continue
            self._base = base
            local = list(map(minus, wanted[lo:hi], repeat(base))) if base else wanted[lo:hi]
            parts = [self._term(t.fieldname, t.text, t.boost, data, reader, local) for t in terms]
            found = boosted(union(parts), q.boost)
            if scores:
                scores.update(found)
            else:
                scores = found
        return scores

    def table(self, fieldname: str) -> list[float]:
        """BM25 without the idf, at (frequency * 256 + length byte); frequencies above
        MAX_FREQ count as MAX_FREQ (BM25 has long saturated there). Kept per field: the
        average length sums every segment's, and a fuzzy term's spellings ask in each."""
        found = self._tables.get(fieldname)
        if found is None:
            boost = self.schema[fieldname].format.field_boost
            average = self.searcher.avg_field_length(fieldname) or 1
            found = self._tables[fieldname] = bm25.table(boost, average)
        return found

    def _and(
        self, subqueries: list[wq.Query], data: SegmentData, reader: SegmentReader, boost: float
    ) -> Scores:
        positive = [s for s in subqueries if not isinstance(s, wq.Not)]
        negative = [s.query for s in subqueries if isinstance(s, wq.Not)]
        if not positive:
            return self._everything_but(
                union([self._node(s, data, reader) for s in negative]), data
            )
        result = intersection([self._node(s, data, reader) for s in positive])
        for sub in negative:
            if not result:
                break
            result = without(result, self._node(sub, data, reader))
        return boosted(result, boost)

    def _fuzzy(self, q: wq.FuzzyTerm, data: SegmentData, reader: SegmentReader) -> Scores:
        """Every indexed term within `maxdist` edits (sharing `prefixlength` letters), found
        over the whole index's vocabulary rather than by Whoosh's term walk. Most of a rare
        word's spellings are in a segment or two: the others are passed over."""
        to_bytes = self.schema[q.fieldname].to_bytes
        terms = self.spellings.terms(q)
        held = [t for t in terms if self.record(t.fieldname, to_bytes(t.text), data)]
        return union([self._node(term, data, reader) for term in held])

    def fuzzy_groups(self, q: wq.Query) -> tuple[list[wq.Or], float] | None:
        """A query of one fuzzy word (fuzzy_terms.one_fuzzy_word) as an Or of its spellings
        per field, in the order `_fuzzy` adds them, and the boost of their sum; else None."""
        if (found := fuzzy_terms.one_fuzzy_word(q)) is None:
            return None
        parts, boost = found
        return [wq.Or(self.spellings.terms(part)) for part in parts], boost

    def _phrase(self, q: wq.Phrase, data: SegmentData, reader: SegmentReader) -> Scores:
        """Documents with every word, the rarest word's first, then positions checked for the
        words in order, each within the slop of the one before (search.phrase_check)."""
        if len(q.words) < 2:
            return self._term(q.fieldname, q.words[0], q.boost, data, reader)
        from reader.core.search import phrase_check  # numpy's: loaded by the first phrase

        field = q.fieldname
        btexts = [self.schema[field].to_bytes(w) for w in q.words]
        ranked = sorted(range(len(btexts)), key=lambda i: self.frequency(field, btexts[i]))
        tails: dict[int, TermPositions] = {}
        held = None
        for i in ranked:
            info = self.record(field, btexts[i], data)
            found = data.positions(reader, field, btexts[i], info) if info else None
            if found is None:
                return {}
            tails[i] = found
            self.terms.add((field, btexts[i].decode("utf-8", "replace")))
            held = phrase_check.common(held, found)
            if not len(held):
                return {}
        matched = phrase_check.in_order([tails[i] for i in range(len(btexts))], held, q.slop)
        weighted = [(tails[i], self._idf(field, btexts[i]) * q.boost) for i in ranked]
        lengths = data.lengths(reader, field)
        found_scores = phrase_check.scores(weighted, matched, self.table(field), lengths)
        return dict(zip(self._docnums(matched.tolist()), found_scores, strict=True))


def _terms_of(q: wq.Query) -> list[wq.Term] | None:
    """The terms of a Term or of an Or of Terms (what a plain word is); else None."""
    if isinstance(q, wq.Term):
        return [q]
    if isinstance(q, wq.Or) and all(isinstance(s, wq.Term) for s in q.subqueries):
        return list(q.subqueries)
    return None
