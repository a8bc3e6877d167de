"""The search index: reader's own engine on top of Whoosh's file format (see FORMAT.md).

Documents are papers plus the user's data about them (fields.py); their text is analysed once,
by one definition of a term (analysis.py). Segments are built, written, merged and read in
bulk by reader itself (segment_*.py, postings.py), and PaperIndex (paper_index.py) opens,
rebuilds, updates and checks an index folder; intake.py is its record of its format version
and of what it has taken in; whoosh_seam.py is the one module using Whoosh's private names.
Search reads an index through these names.
"""

from typing import TYPE_CHECKING

from reader.core.index.errors import IndexBusy, IndexDamaged, IndexFormat
from reader.core.index.intake import FORMAT_VERSION, Intake
from reader.core.index.user_fields import UserFields
from reader.core.lazy import later
from reader.core.vectors import VectorFileError

if TYPE_CHECKING:
    from reader.core.index.analysis import TOKEN, lead, term_of, word_spans
    from reader.core.index.fields import (
        AUTHOR_SEPARATOR,
        DIGEST_KINDS,
        TITLE_BOOST,
        digest_differences,
        digest_of,
    )
    from reader.core.index.paper_index import PaperIndex, Papers
    from reader.core.index.postings import WORDS, TermPositions
    from reader.core.index.segment_read import SegmentData, live_holders, segment_data
    from reader.core.index.segment_vectors import vector_parts
    from reader.core.index.worker_start import StartedWorkers, start_workers

__all__ = [
    "AUTHOR_SEPARATOR",
    "DIGEST_KINDS",
    "FORMAT_VERSION",
    "TITLE_BOOST",
    "TOKEN",
    "WORDS",
    "IndexBusy",
    "IndexDamaged",
    "IndexFormat",
    "Intake",
    "PaperIndex",
    "Papers",
    "SegmentData",
    "StartedWorkers",
    "TermPositions",
    "UserFields",
    "VectorFileError",
    "digest_differences",
    "digest_of",
    "lead",
    "live_holders",
    "segment_data",
    "start_workers",
    "term_of",
    "vector_parts",
    "word_spans",
]

# Everything that reads or writes an index imports Whoosh (about a tenth of a second): the
# app paints its first page from the store before any of it loads. The errors, the intake
# record and the user's fields are plain Python, for the code that only names them.
_WHOOSH = {
    "TOKEN": "analysis",
    "lead": "analysis",
    "term_of": "analysis",
    "word_spans": "analysis",
    "AUTHOR_SEPARATOR": "fields",
    "DIGEST_KINDS": "fields",
    "TITLE_BOOST": "fields",
    "digest_differences": "fields",
    "digest_of": "fields",
    "PaperIndex": "paper_index",
    "Papers": "paper_index",
    "WORDS": "postings",
    "TermPositions": "postings",
    "SegmentData": "segment_read",
    "live_holders": "segment_read",
    "segment_data": "segment_read",
    "vector_parts": "segment_vectors",  # numpy's too: a search by meaning and For you only
}
# Starting index workers needs multiprocessing only, and only a big write starts them.
_WORKERS = {"StartedWorkers": "worker_start", "start_workers": "worker_start"}
__getattr__ = later(
    __name__,
    {name: (f"{__name__}.{module}", name) for name, module in {**_WHOOSH, **_WORKERS}.items()},
)
