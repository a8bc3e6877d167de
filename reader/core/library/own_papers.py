"""The user's own library coming in: each paper of a .bib, Zotero or papis import becomes
theirs, bookmarked (what For you learns from) with the tags and note it had there.

An import's records are grouped here per paper (two entries of one .bib can be one paper)
and handed to UserData.add_many once per batch, after the batch's papers are in the store and
before they are indexed, so `tag:`, `note:` and `is:bookmarked` find them as soon as the import
ends. Importing the same library again changes nothing: bookmarks and tags are sets, and a note
already holding the imported text is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.core.model import Paper, Record, Warning_
from reader.core.userdata import SaveError, UserData


@dataclass(slots=True)
class OwnPapers:
    """One batch's papers of the user's own, by the id each record merged into."""

    papers: dict[str, Paper] = field(default_factory=dict)
    tags: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, paper: Paper, record: Record) -> None:
        pid = paper.id
        self.papers[pid] = paper
        if record.tags:
            self.tags.setdefault(pid, []).extend(record.tags)
        if record.note and record.note not in self.notes.setdefault(pid, []):
            self.notes[pid].append(record.note)

    def save(self, user: UserData) -> tuple[list[Paper], Warning_ | None]:
        """Bookmark, tag and annotate the batch's papers; the papers whose user data changed
        (to index again), and a warning if a user file could not be saved."""
        notes = {pid: "\n\n".join(texts) for pid, texts in self.notes.items() if texts}
        try:
            changed = user.add_many(bookmarks=self.papers, tags=self.tags, notes=notes)
        except SaveError as error:  # the edits wait in memory for the next save
            reason = f"your bookmarks, tags or notes could not be saved: {error.reason}"
            return list(self.papers.values()), Warning_(str(error.path), 0, reason)
        return [self.papers[pid] for pid in changed if pid in self.papers], None
