"""Changes to many papers at once, each file saved once: what importing a library needs.

Bookmarking 50,000 papers one at a time would rewrite bookmarks.yaml 50,000 times. Here the
change to each file is one operation over all the papers, so the file is read, changed and
written once (and, like every edit, applied again on top of the file as it is on disk when the
save takes the lock). Both are idempotent: what is there already stays as it is, bookmark
times included.
"""

from __future__ import annotations

from reader.core.userdata.files import UserFile
from reader.core.userdata.formats import Tags, Times, sorted_tags


def bookmark_all(file: UserFile[Times], ids: set[str], stamp: str) -> set[str]:
    """Bookmark every id (its time: stamp); the ids that were not bookmarked before."""
    new = ids - file.view.keys()
    if not new:
        return set()

    def change(data: Times) -> None:
        for pid in new:
            data.setdefault(pid, stamp)

    file.edit(change)
    return new


def tag_all(file: UserFile[Tags], tags: dict[str, set[str]]) -> set[str]:
    """Add each paper's tags (already clean) to the ones it has; the ids that gained one."""
    view = file.view
    gaining = {pid: names for pid, names in tags.items() if not names <= set(view.get(pid, ()))}
    if not gaining:
        return set()

    def change(data: Tags) -> None:
        for pid, names in gaining.items():
            data[pid] = sorted_tags(set(data.get(pid, ())) | names)

    file.edit(change)
    return set(gaining)
