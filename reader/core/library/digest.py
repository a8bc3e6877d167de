"""What goes into a digest: the papers added since the last one, grouped by why they matter.

Sections, in order: papers a follow finds; each saved search with its new papers (in the
search's own order); the top of For you, once it has learned from the user's signals; then
the other new papers, most upvoted first.
Each paper is listed once, in the first section it belongs to, with every reason it is there.
Muted papers are left out (and counted) unless a follow keeps them. "Since the last digest"
is a time kept in the user's digest-state.yaml; `mark_made` moves it on.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from reader.core.digest import Digest, Entry, Section, one_line
from reader.core.model import Paper

if TYPE_CHECKING:
    from reader.core.library.parts import LibraryParts

DEFAULT_LIMIT = 20
FIRST_DIGEST = timedelta(days=1)  # what the first digest looks back over
_AGO = re.compile(r"(\d+)\s*([hdw])")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`1d`, `12h`, `2w`, a date (`2024-05-01`, midnight UTC) or an ISO time; ValueError."""
    now = now or datetime.now(UTC)
    text = text.strip()
    ago = _AGO.fullmatch(text.lower())
    if ago:
        return now - timedelta(**{_UNITS[ago[2]]: int(ago[1])})
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"not a time: {text!r} (use e.g. 1d, 12h, 2w, 2024-05-01 or 2024-05-01T07:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def last_made(library: LibraryParts) -> datetime | None:
    kept = library.user.last_digest()
    try:
        return parse_since(kept) if kept else None
    except ValueError:  # edited by hand into something else: as if there were none
        return None


def mark_made(library: LibraryParts, digest: Digest) -> None:
    """The next digest starts where this one ended."""
    library.user.set_last_digest(digest.made.strftime("%Y-%m-%dT%H:%M:%SZ"))


def make_digest(
    library: LibraryParts,
    *,
    since: datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    now: datetime | None = None,
) -> Digest:
    """The digest of papers added after `since` (default: the last digest, or a day ago)."""
    made = now or datetime.now(UTC)
    start = since or last_made(library) or made - FIRST_DIGEST
    new = library.store.ids_added_since(start.astimezone(UTC).isoformat(timespec="seconds"))
    watching = library.watching
    hide = watching.hidden_by_mutes() & new
    builder = _Builder(library, new - hide, limit)
    followed: dict[str, list[str]] = {}
    for query in library.user.follows.texts():
        for pid in watching.matches(query) & builder.eligible:
            followed.setdefault(pid, []).append(f"follows {query}")
    builder.add("followed", "Followed", builder.newest_first(followed), followed)
    for saved in library.user.saved_searches():
        ids = builder.in_order(library.search_ids(saved.query, sort=saved.sort, hide=hide)[0])
        builder.add("saved", f"Saved search: {saved.name}", ids, f"saved search {saved.name!r}")
    picked = library.for_you(limit * 5, hidden=hide.__contains__)
    if picked.learned:  # else it is only the newest papers, which "Also new" lists anyway
        reasons = {hit.id: [hit.reason] for hit in picked.results}
        builder.add("for-you", "For you", builder.in_order(reasons), reasons)
    builder.add("new", "Also new", builder.rest(), "")
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, library.paths.data_dir.as_uri()).urn
    return Digest(start, made, feed_id, len(new), len(hide), builder.sections())


class _Builder:
    """Sections filled in order; each paper placed once, its reasons gathered."""

    def __init__(self, library: LibraryParts, eligible: set[str], limit: int) -> None:
        self.library = library
        self.eligible = eligible
        self.limit = limit
        self.placed: dict[str, Entry] = {}
        self.counted: set[str] = set()  # past a section's limit: counted there, shown nowhere
        self._sections: dict[str, Section] = {}
        self._papers: dict[str, Paper] = {}

    def in_order(self, ids: Iterable[str]) -> list[str]:
        return [pid for pid in ids if pid in self.eligible]

    def rest(self) -> list[str]:
        """The new papers no section took, most upvoted first, then newest."""
        left = self.eligible - self.placed.keys() - self.counted
        papers = self._load(list(left))
        order = sorted(papers, key=lambda pid: (papers[pid].upvotes or 0, *_when(papers[pid])))
        return order[::-1]

    def newest_first(self, ids: Iterable[str]) -> list[str]:
        papers = self._load(list(ids))
        return sorted(papers, key=lambda pid: _when(papers[pid]), reverse=True)

    def add(
        self, key: str, title: str, ids: Iterable[str], why: str | dict[str, list[str]]
    ) -> None:
        """Place the eligible ids not placed yet (up to the limit); `why` is the reason for
        all of them, or each one's reasons."""
        section = self._sections.setdefault(title, Section(key, title))
        for pid in dict.fromkeys(ids):
            if pid not in self.eligible or pid in self.counted:
                continue
            reasons = [why] if isinstance(why, str) else why.get(pid, [])
            entry = self.placed.get(pid)
            if entry is not None:
                entry.why += [reason for reason in reasons if reason and reason not in entry.why]
            elif len(section.entries) >= self.limit:
                section.more += 1
                self.counted.add(pid)
            elif (entry := self._entry(pid, [r for r in reasons if r])) is not None:
                section.entries.append(entry)
                self.placed[pid] = entry

    def sections(self) -> list[Section]:
        return [section for section in self._sections.values() if section.entries]

    def _load(self, ids: list[str]) -> dict[str, Paper]:
        missing = [pid for pid in ids if pid not in self._papers]
        if missing:
            self._papers.update(self.library.papers(missing))
        return {pid: self._papers[pid] for pid in ids if pid in self._papers}

    def _entry(self, pid: str, why: list[str]) -> Entry | None:
        paper = self._load([pid]).get(pid)
        if paper is None:
            return None
        return Entry(
            id=paper.id,
            title=one_line(paper.title, 500),
            authors=list(paper.authors),
            link=paper_link(paper),
            blurb=one_line(paper.abstract),
            added_at=paper.added_at,
            date=paper.date,
            why=why,
        )


def paper_link(paper: Paper) -> str | None:
    """The paper's page: arXiv's abstract page for an arXiv id, else its first web link."""
    if paper.is_arxiv:
        return f"https://arxiv.org/abs/{paper.id}"
    return next((link for link in paper.links if link.startswith(("https://", "http://"))), None)


def _when(paper: Paper) -> tuple[str, str, str]:
    """Sorts by date, then time of addition, then id (reversed: newest first)."""
    return (paper.date, paper.added_at, paper.id)
