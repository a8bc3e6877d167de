"""Searching the index: the query language, forgiving plain words, scoring, snippets, results,
"did you mean" and papers like a given one.

engine.py is the way through: it parses a query (query.py), answers its bare words forgivingly
(plain_words.py, spelling.py), evaluates the rest over whole posting lists (evaluate.py,
combine.py, bm25.py; array_scores.py for big lists, query_cost.py choosing between them,
fuzzy_terms.py for `word~N`) and returns a SearchResult (results.py) with snippets (snippets.py;
term_sightings.py says which terms each hit may hold). words_by_length.py finds the words near a
typed word, for spelling.py and fuzzy_terms.py. similar.py finds papers like one paper.
"""

from typing import TYPE_CHECKING

from reader.core.lazy import later
from reader.core.search.results import (
    Allow,
    Hit,
    RankedIds,
    SearchResult,
    SimilarHit,
    SimilarResult,
)

if TYPE_CHECKING:
    from reader.core.search.engine import SearchEngine
    from reader.core.search.index_view import IndexView
    from reader.core.search.similar import similar_papers
    from reader.core.search.snippets import match_spans

__all__ = [
    "Allow",
    "Hit",
    "IndexView",
    "RankedIds",
    "SearchEngine",
    "SearchResult",
    "SimilarHit",
    "SimilarResult",
    "match_spans",
    "similar_papers",
]

# The results are plain data, for the code that only names them. The engine and the snippets
# read the index (Whoosh), and papers like one paper and For you's whole-library reads need
# numpy: each loads when first asked for.
__getattr__ = later(
    __name__,
    {
        "SearchEngine": ("reader.core.search.engine", "SearchEngine"),
        "match_spans": ("reader.core.search.snippets", "match_spans"),
        "IndexView": ("reader.core.search.index_view", "IndexView"),
        "similar_papers": ("reader.core.search.similar", "similar_papers"),
    },
)
