"""The user's own data: bookmarks, read state, tags, notes and saved searches.

Plain files in the user folder (DataPaths.user_dir), readable and mergeable by git or
Syncthing: bookmarks.yaml, read.yaml, tags.yaml, dismissed.yaml ("not for me"),
searches.yaml, search-state.yaml, notes/<safe id>.md, and for the daily loop follows.yaml,
mutes.yaml, queue.yaml, digest-state.yaml and summaries/<safe id>.md (a summary is kept as a
note is). Every save is atomic (durable.py) and every read-modify-write holds an OS lock
(locking.py), so nothing typed is lost to a crash or to a second reader running at once.
A file that cannot be read is reported (load_errors), kept byte for byte, and never saved
over; the rest of the data loads as usual. Each file is read when first needed.

Another process (the CLI beside the app, a second app, Syncthing) may change the files at any
time. Every save re-reads its file first, under the file's lock; `refresh` re-reads whatever
changed (a stat per file tells) and says which papers' data changed; and before re-indexing a
paper after an edit, the other files are brought up to date, so the index never gets this
process's stale copy of them.

Ids are resolved through `resolve` when a file is read and when data is changed, so entries
under an old id (an alias after a merge) count for the current id and are rewritten under it
on the next save. Queries (is_bookmarked, tags, note, ...) take current ids as they are: they
run per row of the TUI and must not cost a store lookup each.
"""

from reader.core.userdata.errors import NotIndexed, SaveError, UserFileError
from reader.core.userdata.files import Signature
from reader.core.userdata.formats import BOOKMARKS, DISMISSED, READ, SEARCH_STATE, SEARCHES, TAGS
from reader.core.userdata.saved import SavedSearch
from reader.core.userdata.user_data import UserData
from reader.core.userdata.watchlists import WatchedQuery

__all__ = [
    "BOOKMARKS",
    "DISMISSED",
    "READ",
    "SEARCHES",
    "SEARCH_STATE",
    "TAGS",
    "NotIndexed",
    "SaveError",
    "SavedSearch",
    "Signature",
    "UserData",
    "UserFileError",
    "WatchedQuery",
]
