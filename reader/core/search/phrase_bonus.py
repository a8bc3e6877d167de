"""Which of a few papers hold a query's words as a phrase, from the index's positions.

A plain query favours the best papers holding its words in order (plain_words). Only a few
dozen papers are checked, so each word's positions are read for those papers alone (a few
small reads from its postings, however common the word) and compared in plain Python:
no tokenising of their texts, no numpy.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

from reader.core.search.evaluate import Evaluator


def fields_holding(
    evaluator: Evaluator, words: Sequence[str], docnums: list[int], fields: Sequence[str]
) -> Counter[int]:
    """For each of `docnums` (global) that holds the terms `words` one after the other in
    some of `fields`, in how many of them."""
    held: Counter[int] = Counter()
    wanted = sorted(docnums)
    for data, reader, base in evaluator.leaves:
        lo = bisect_left(wanted, base)
        hi = bisect_left(wanted, base + data.doc_count)
        if lo == hi:
            continue
        local = [docnum - base for docnum in wanted[lo:hi]]
        for field in fields:
            to_bytes = evaluator.schema[field].to_bytes
            found: list[dict[int, array[int]]] = []
            candidates = local
            for word in words:
                btext = to_bytes(word)
                info = evaluator.record(field, btext, data)
                if info is None:
                    break
                positions = data.positions_among(reader, field, btext, info, candidates)
                candidates = [docnum for docnum in candidates if docnum in positions]
                if not candidates:
                    break
                found.append(positions)
            else:
                for docnum in candidates:
                    if in_order([positions[docnum] for positions in found]):
                        held[docnum + base] += 1
    return held


def in_order(positions: list[array[int]]) -> bool:
    """True if some position p of the first word has word i at p + i."""
    later = [set(p) for p in positions[1:]]
    return any(all(start + i in s for i, s in enumerate(later, 1)) for start in positions[0])
