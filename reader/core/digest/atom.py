"""A digest as an Atom feed (RFC 4287), for a feed reader subscribed to a file or a cron job.

The feed's id is the library's (the same every run) and each entry's id is the paper's, so a
paper in two digests is one entry, and an entry's `updated` is when the paper came into the
library, so it does not change from one run to the next. ElementTree writes the XML, so
every text and attribute is escaped; text was cleaned of control characters on import, which
XML 1.0 could not hold anyway.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from reader.core.digest.model import Digest, Entry, Section

ATOM = "http://www.w3.org/2005/Atom"


def paper_entry_id(paper_id: str) -> str:
    """A stable URN for a paper: what makes it the same entry in every digest."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"reader:paper:{paper_id}").urn


def render_atom(digest: Digest) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", digest.feed_id)
    _text(feed, "title", digest.headline)
    _text(feed, "updated", _rfc3339(digest.made))
    _text(feed, "generator", "reader")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "reader")
    for section in digest.sections:
        for entry in section.entries:
            _entry(feed, section, entry)
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def _entry(feed: ET.Element, section: Section, entry: Entry) -> None:
    item = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(item, "id", paper_entry_id(entry.id))
    _text(item, "title", entry.title or entry.id)
    _text(item, "updated", _rfc3339(_parse(entry.added_at)))
    if entry.link:
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=entry.link)
    for name in entry.authors or ["unknown"]:
        author = ET.SubElement(item, f"{{{ATOM}}}author")
        _text(author, "name", name)
    ET.SubElement(item, f"{{{ATOM}}}category", term=section.key, label=section.title)
    summary = entry.blurb
    if entry.why:
        summary = f"{summary}\n\nWhy: {'; '.join(entry.why)}".strip()
    _text(item, "summary", summary or entry.title).set("type", "text")


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = value
    return element


def _parse(moment: str) -> datetime:
    """An ISO time from the store; the epoch if it has none (Atom needs some time)."""
    try:
        parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return datetime(1970, 1, 1, tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
