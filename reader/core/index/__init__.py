"""The search index: reader's own engine on top of Whoosh's file format (see FORMAT.md).

Documents are papers plus the user's data about them (fields.py); their text is analysed once,
by one definition of a term (analysis.py). Segments are built, written, merged and read in
bulk by reader itself (segment_*.py, postings.py), and PaperIndex (paper_index.py) opens,
rebuilds, updates and checks an index folder. Search reads an index through these names.
"""

from reader.core.index.analysis import TOKEN, lead, term_of, word_spans
from reader.core.index.fields import AUTHOR_SEPARATOR, TITLE_BOOST, UserFields
from reader.core.index.paper_index import IndexBusy, IndexDamaged, PaperIndex
from reader.core.index.postings import WORDS
from reader.core.index.segment_read import SegmentData, segment_data

__all__ = [
    "AUTHOR_SEPARATOR",
    "TITLE_BOOST",
    "TOKEN",
    "WORDS",
    "IndexBusy",
    "IndexDamaged",
    "PaperIndex",
    "SegmentData",
    "UserFields",
    "lead",
    "segment_data",
    "term_of",
    "word_spans",
]
