"""The searcher for a new commit, keeping open the segments it shares with the last one.

Whoosh opens every segment's reader again for each commit (its own reuse, in whoosh-reloaded
2.7.5, puts the old segments back in the new list), and opening one reads the hash tables of
its terms file: at a million papers (46 segments) the first search after any commit, an
edit's one-paper segment too, took about 35 ms more. A segment's files never change once
written; only its deleted documents do, and a reader reads those from the segment it was
opened with. So an open reader is kept when the new table of contents lists its segment
with the same deleted documents, and the others are opened anew.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Segment
from whoosh.index import TOC, FileIndex
from whoosh.reading import MultiReader, SegmentReader
from whoosh.searching import Searcher


def next_searcher(ix: FileIndex, toc: TOC, old: Searcher) -> Searcher:
    """A searcher over the segments `toc` lists (two or more). The old searcher's readers of
    the segments it keeps go to the new one and its others are closed: the old searcher is
    not to be used, nor closed, after. Should a segment fail to open (a commit meanwhile
    removed it), the readers opened here are closed, the old searcher is left whole, and the
    error raised."""
    leaves = [reader for reader, _ in old.reader().leaf_readers()]
    # (A reader of no segment, an empty index's, has nothing to keep.)
    kept = {r.segment().segment_id(): r for r in leaves if r.segment() is not None}
    taken: set[str] = set()
    opened: list[SegmentReader] = []
    readers = []
    try:
        for segment in toc.segments:
            segid = segment.segment_id()
            reader = kept.get(segid)
            if reader is not None and segid not in taken and _same(reader.segment(), segment):
                taken.add(segid)
            else:
                reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
                opened.append(reader)
            readers.append(reader)
    except BaseException:
        for reader in opened:
            reader.close()
        raise
    for reader in leaves:
        if reader.segment() is None or reader.segment().segment_id() not in taken:
            reader.close()
    return Searcher(MultiReader(readers, generation=toc.generation), fromindex=ix)


def _same(held: W3Segment, listed: W3Segment) -> bool:
    """Do two versions of a segment have the same documents deleted?"""
    if held.doc_count_all() != listed.doc_count_all():
        return False
    if held.deleted_count() != listed.deleted_count():
        return False
    return not held.deleted_count() or set(held.deleted_docs()) == set(listed.deleted_docs())
