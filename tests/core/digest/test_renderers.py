"""The three ways out of a digest, fed hostile paper text: Atom that feedparser reads cleanly
with stable ids, one HTML page with no script and everything escaped, Markdown escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import feedparser

from reader.core.digest import Digest, Entry, Section, paper_entry_id, render

MADE = datetime(2024, 5, 2, 7, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> & [link](javascript:alert(1)) **bold** <!-- x --> ]]>"


def digest(*entries: Entry) -> Digest:
    sections = [Section("followed", "Followed", list(entries[:1]))]
    if entries[1:]:
        sections.append(Section("saved", "Saved search: <b>mine</b>", list(entries[1:]), more=3))
    return Digest(
        since=datetime(2024, 5, 1, 7, 0, tzinfo=UTC),
        made=MADE,
        feed_id="urn:uuid:00000000-0000-5000-8000-000000000000",
        new=7,
        hidden=2,
        sections=sections,
    )


def entry(pid: str, title: str = HOSTILE, link: str | None = "https://arxiv.org/abs/1") -> Entry:
    return Entry(
        id=pid,
        title=title,
        authors=["Ada <Lovelace>", "Émile Borel"],
        link=link,
        blurb=f"# Not a heading {HOSTILE}",
        added_at="2024-05-02T06:00:00+00:00",
        why=['follows author:"Ada <Lovelace>"'],
    )


SAMPLE = digest(entry("2401.00001"), entry("t:abc", "Plain title", None))


def test_atom_is_a_valid_feed_with_stable_ids_and_exact_text() -> None:
    text = render(SAMPLE, "atom")
    feed = feedparser.parse(text)

    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == SAMPLE.feed_id and feed.feed.updated == "2024-05-02T07:00:00Z"
    assert [e.id for e in feed.entries] == [paper_entry_id("2401.00001"), paper_entry_id("t:abc")]
    first = feed.entries[0]
    assert first.title == HOSTILE  # text, escaped in the XML, read back exactly
    assert first.link == "https://arxiv.org/abs/1"
    assert [a.name for a in first.authors] == ["Ada <Lovelace>", "Émile Borel"]
    assert first.updated == "2024-05-02T06:00:00Z"
    assert 'Why: follows author:"Ada <Lovelace>"' in first.summary
    assert first.tags[0].term == "followed"
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert paper_entry_id("2401.00001") == paper_entry_id("2401.00001")  # the same every run
    assert render(SAMPLE, "atom") == text


def test_an_empty_digest_is_still_a_valid_feed() -> None:
    feed = feedparser.parse(render(digest(), "atom"))
    assert not feed.bozo and feed.entries == []


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name in ("href", "src")]


def test_html_is_one_self_contained_page_with_everything_escaped() -> None:
    page = render(SAMPLE, "html")
    parsed = _Tags()
    parsed.feed(page)

    assert "script" not in parsed.tags and "b" not in parsed.tags  # text stays text
    assert parsed.hrefs == ["https://arxiv.org/abs/1"]  # no stylesheet, image or script to load
    assert set(parsed.tags) <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "section", "ol",
        "li", "div", "a",
    }  # fmt: skip
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "2 muted papers left out." in page and "…and 3 more." in page


def test_markdown_escapes_paper_text() -> None:
    text = render(SAMPLE, "markdown")

    assert text.startswith("# reader digest: 7 new papers since 2024-05-01 07:00 UTC\n")
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "\\[link\\](javascript:alert(1))" in text and "\\*\\*bold\\*\\*" in text
    assert "  \\# Not a heading" in text
    assert "[**" in text and "](https://arxiv.org/abs/1)" in text  # the one real link
    assert not re.search(r"(?<!\\)<script", text)
    assert "## Saved search: \\<b\\>mine\\</b\\> (4)" in text


def test_a_digest_with_nothing_new_says_so() -> None:
    empty = Digest(MADE, MADE, "urn:x", 0, 0, [])
    assert "Nothing new." in render(empty, "markdown")
    assert "<p>Nothing new.</p>" in render(empty, "html")
