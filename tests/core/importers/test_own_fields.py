"""The user's own fields (DOI, tags, note, file links) as every library format gives them."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.importers.build import Draft, finish, partial_date
from reader.core.importers.own_fields import clean_doi, clean_note, clean_tags, file_link
from reader.core.model import Record


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("10.18653/v1/N19-1423", "10.18653/v1/n19-1423"),
        ("https://doi.org/10.1000/XYZ.123", "10.1000/xyz.123"),
        ("doi:10.1000/abc.", "10.1000/abc"),
        ("10.1016/0307-904X(78)90008-2", "10.1016/0307-904x(78)90008-2"),
        ("(see 10.1000/abc)", "10.1000/abc"),
        ("not a doi", ""),
    ],
)
def test_clean_doi(text: str, doi: str) -> None:
    assert clean_doi(text) == doi


def test_tags_follow_the_tag_file_rule() -> None:
    tags, warnings = clean_tags(
        ["Machine Learning", "Peirce, Charles", "a - b", " to-read ", "x" * 65, "", "to-read"],
        "f.bib",
        3,
    )
    assert tags == ["Machine-Learning", "Peirce-Charles", "a-b", "to-read"]
    (warning,) = warnings
    assert (warning.line, "over 64 characters" in warning.message) == (3, True)


def test_notes_keep_their_lines() -> None:
    assert clean_note("# Title\r\n\r\n- a  \n    code\x1b[2J\n") == "# Title\n\n- a\n    code"


def test_file_links(tmp_path: Path) -> None:
    assert file_link("/papers/a b.pdf", None) == "file:///papers/a%20b.pdf"
    assert file_link("sub/../a.pdf", tmp_path) == (tmp_path / "a.pdf").as_uri()
    assert file_link("relative.pdf", None) == ""  # nowhere to take it from
    assert file_link(r"C:\Users\me\a.pdf", None) == "file:///C:/Users/me/a.pdf"


@pytest.mark.parametrize(
    ("text", "date"), [("2019", "2019"), ("2019-03", "2019-03"), ("2019-13", None), ("19", None)]
)
def test_partial_dates(text: str, date: str | None) -> None:
    assert partial_date(text) == date


def test_a_library_draft_becomes_a_record_with_the_users_own_fields() -> None:
    draft = Draft(
        title="T",
        published="2019",
        doi="https://doi.org/10.1000/ABC",
        tags=["to read", "x" * 70],
        note="  my note \n",
        files=["file:///p/a.pdf", "javascript:alert(1)"],
        links=["https://example.org"],
        own=True,
    )
    record, warning = finish(draft, "lib.bib", 5)
    assert isinstance(record, Record)
    assert (record.published, record.doi, record.tags, record.note) == (
        "2019",
        "10.1000/abc",
        ["to-read"],
        "my note",
    )
    assert record.links == ["https://doi.org/10.1000/abc", "https://example.org", "file:///p/a.pdf"]
    assert record.own
    assert "over 64 characters" in warning.message  # and no "no abstract": a library's entry
