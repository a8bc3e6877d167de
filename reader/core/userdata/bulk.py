"""Changes to many papers at once, each file saved once: what importing a library needs.

Bookmarking 50,000 papers one at a time would rewrite bookmarks.yaml 50,000 times. Here the
change to each file is one operation over all the papers, so the file is read, changed and
written once (and, like every edit, applied again on top of the file as it is on disk when the
save takes the lock). Both are idempotent: what is there already stays as it is, bookmark
times included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from reader.core.userdata.files import UserFile
from reader.core.userdata.formats import Tags, Times, clean_tag, sorted_tags
from reader.core.userdata.notes import joined
from reader.core.userdata.values import has_surrogates


def gather(
    current: Callable[[str], str],
    bookmarks: Iterable[str],
    tags: Mapping[str, Iterable[str]],
    notes: Mapping[str, str],
) -> tuple[set[str], dict[str, set[str]], dict[str, str]]:
    """What an import adds, checked and by current id (each id resolved once): the ids to
    bookmark, the clean tags and the notes of each. ValueError before anything is saved."""
    resolved: dict[str, str] = {}

    def id_of(pid: str) -> str:
        if pid not in resolved:
            resolved[pid] = current(pid)
        return resolved[pid]

    marked = {id_of(pid) for pid in bookmarks}
    tagged: dict[str, set[str]] = {}
    for pid, names in tags.items():
        clean = {clean_tag(name) for name in names}
        if clean:
            tagged.setdefault(id_of(pid), set()).update(clean)
    noted: dict[str, str] = {}
    for pid, text in notes.items():
        if not isinstance(text, str) or has_surrogates(text):
            raise ValueError("a note must be text (it holds bytes that are not UTF-8)")
        if text.strip():
            key = id_of(pid)
            noted[key] = joined(noted[key], text) if key in noted else text
    return marked, tagged, noted


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
