"""An open index as a whole-library reader sees it (For you): papers by docnum, which are live,
their vectors, how common a term is, and every paper's score by a set of weighted terms.

Bulk reads only: ids through their posting lists (or, for thousands, a scan of the id
columns), terms' posting lists read whole, vectors through reader.core.vectors.
"""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher

from reader.core.index import TITLE_BOOST, segment_data, vector_parts
from reader.core.vectors import Part


class IndexView:
    """One searcher's index, held by the caller (PaperIndex.reading()) while it is used."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self.parts: list[Part] = vector_parts(self._reader)
        self.size = searcher.doc_count_all()  # docnums run from 0 to size - 1
        self.papers = searcher.doc_count()  # live ones
        self.live = np.zeros(self.size, dtype=bool)
        for part in self.parts:
            section = self.live[part.base : part.base + part.file.count]
            section[:] = True if part.live is None else part.live

    def paper_id(self, docnum: int) -> str:
        return self._searcher.stored_fields(int(docnum))["id"]

    def frequency(self, term: str) -> int:
        """Papers holding an index term in their abstract (titles add little, at twice the
        cost of a look-up)."""
        return self._reader.doc_frequency("abstract", term)

    def docnums(self, wanted: set[str]) -> dict[str, int]:
        """The live document of each wanted paper id that is indexed."""
        found = {}
        keys = {paper_id.encode("utf-8") for paper_id in wanted}
        for leaf, base in self._reader.leaf_readers():
            if leaf.segment() is None or not leaf.doc_count_all():
                continue
            for docnum, key in segment_data(leaf).holding_ids(leaf, keys):
                if self.live[base + docnum]:
                    found[key.decode("utf-8")] = base + docnum
        return found

    def term_scores(self, terms: dict[str, float]) -> np.ndarray:
        """Each docnum's score: the weights of the terms it holds, a title hit counting
        TITLE_BOOST times (deleted documents included: the caller leaves them out)."""
        scores = np.zeros(self.size, dtype=np.float64)
        for leaf, base in self._reader.leaf_readers():
            if leaf.segment() is None or not leaf.doc_count_all():
                continue
            data = segment_data(leaf)
            for term, weight in terms.items():
                key = term.encode("utf-8")
                for fieldname, factor in (("abstract", 1.0), ("title", TITLE_BOOST)):
                    found = data.postings(leaf, fieldname, key)
                    if found is not None:
                        docs = np.frombuffer(found[0], dtype=np.uint32).astype(np.int64) + base
                        scores[docs] += weight * factor
        return scores
