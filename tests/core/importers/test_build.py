"""The one rule every importer's fields go through: cleaning, caps, dates, ids and links."""

from __future__ import annotations

import pytest

from reader.core.importers.build import Draft, finish, iso_date
from reader.core.model import Record, Rejection, Warning_


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-09-04", "2024-09-04"),
        ("2024-09-04T17:25:47.000Z", "2024-09-04"),
        ("2003-07-07T13:46:39-04:00", "2003-07-07"),
        (" 2008-11-13 ", "2008-11-13"),
        ("Mon, 2 Apr 2007 19:18:42 GMT", "2007-04-02"),
        ("Tue, 24 Jul 2007 20:10:27 GMT", "2007-07-24"),
        ("2 Apr 2007", "2007-04-02"),
        ("2 April 2007", "2007-04-02"),
        ("2024-02-30", None),
        ("Mon, 31 Feb 2007 10:00:00 GMT", None),
        ("someday", None),
        ("Apr 2 2007", None),
        ("12:00", None),
        ("2024-09-04" + "x" * 100, None),  # over-long: no date, and never cached
        ("", None),
    ],
)
def test_iso_date(text: str, day: str | None) -> None:
    assert iso_date(text) == day


def test_a_clean_draft_becomes_one_record() -> None:
    draft = Draft(
        title="  A  Title\n  wrapped ",
        abstract="  First line\nsecond line.\n  New paragraph\nhere.\n",
        wrapped=True,
        authors=["Ada  Lovelace", "", "Ada Lovelace", "Alan\tTuring"],
        arxiv_id="arXiv:2401.00001v2",
        published="Mon, 1 Jan 2024 10:00:00 GMT",
        updated="2024-01-05",
        categories=["cs.LG", "cs.LG", "stat.ML"],
        links=["https://github.com/a/b", "javascript:alert(1)", "https://x.org/a b"],
    )
    (record,) = finish(draft, "f.jsonl", 7)
    assert isinstance(record, Record)
    assert record.title == "A Title wrapped"
    assert record.abstract == "First line second line.\nNew paragraph here."
    assert record.authors == ["Ada Lovelace", "Alan Turing"]
    assert (record.arxiv_id, record.published, record.updated) == (
        "2401.00001",
        "2024-01-01",
        "2024-01-05",
    )
    assert record.categories == ["cs.LG", "stat.ML"]
    assert record.links == [
        "https://arxiv.org/abs/2401.00001",
        "https://arxiv.org/pdf/2401.00001",
        "https://github.com/a/b",
    ]
    assert record.source == "f.jsonl:7"


def test_unwrapped_abstracts_keep_blank_line_paragraphs() -> None:
    (record,) = finish(Draft(title="T", abstract="One  para.\n\n\n\nTwo\tpara."), "s", 1)
    assert isinstance(record, Record)
    assert record.abstract == "One para.\n\nTwo para."


def test_dirty_fields_are_stripped_before_folding() -> None:
    draft = Draft(
        title="Bad\x1b[2J title",
        abstract="Text\x1b]52;c;eA==\x07 here.",
        authors=["Eve\u202e Doe"],
        categories=["cs.\x00LG"],
        listed="Sep\x9b1m 8",
    )
    (record,) = finish(draft, "s", 1)
    assert isinstance(record, Record)
    assert (record.title, record.abstract) == ("Bad title", "Text here.")
    assert (record.authors, record.categories, record.listed) == (["Eve Doe"], ["cs.LG"], "Sep 8")


@pytest.mark.parametrize(
    ("draft", "reason"),
    [
        (Draft(title=" \n\t"), "no title"),
        (Draft(title="\x1b[2J"), "no title"),
        (Draft(title="x" * 2001), "title is 2001 characters; too long to be one"),
        (Draft(title="T", abstract="y" * 200_001), "abstract is 200001 characters; too long"),
    ],
)
def test_unusable_drafts_are_rejections(draft: Draft, reason: str) -> None:
    assert finish(draft, "s", 3) == [Rejection("s", 3, reason)]


def test_odd_but_usable_fields_come_with_warnings() -> None:
    draft = Draft(title="T", arxiv_id="not-an-id", published="soon", updated="2024-13-01")
    record, *warnings = finish(draft, "s", 4)
    assert isinstance(record, Record)
    assert (record.arxiv_id, record.published, record.updated, record.links) == (None, "", "", [])
    assert all(isinstance(w, Warning_) and w.line == 4 for w in warnings)
    assert [w.message for w in warnings if isinstance(w, Warning_)] == [
        "no abstract for 'T'; kept without",
        "'not-an-id' is not an arXiv id",
        "published date 'soon' is unreadable",
        "updated date '2024-13-01' is unreadable",
    ]
