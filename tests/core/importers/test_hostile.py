"""Hostile text in every format: terminal escapes stripped at import, markup kept as text."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

import pytest

from reader.core.importers import UnreadableFile, read_bytes
from reader.core.model import Record

ESCAPES = "\x1b]52;c;ZWNobyBwd25lZA==\x07" + "\x1b[2J" + "\x9b31m" + "\u202e" + "\x1b[?1049h"
MARKUP = "[/] [bold]x [@click=app.quit]q[/] [link=https://evil.example]y[/link]"
TITLE = f"Safe {ESCAPES}Title {MARKUP}"
ABSTRACT = (
    f"An abstract{ESCAPES} that tries hard. It has several sentences. {MARKUP} stays as text."
)
CLEAN_TITLE = f"Safe Title {MARKUP}"
CLEAN_ABSTRACT = f"An abstract that tries hard. It has several sentences. {MARKUP} stays as text."


def daily_text() -> bytes:
    return f"Daily Papers\n\nSep 8\n\n{TITLE}\n\n{ABSTRACT}\n".encode()


def hf_json() -> bytes:
    papers = [{"paper": {"id": "2409.00001", "title": TITLE, "summary": ABSTRACT}}]
    return json.dumps(papers).encode()


def jsonl() -> bytes:
    return (json.dumps({"id": "2409.00001", "title": TITLE, "abstract": ABSTRACT}) + "\n").encode()


def atom() -> bytes:
    # XML 1.0 cannot carry ESC or BEL at all (not even as &#27;), so the feed holds the C1
    # CSI and the bidi override, which it can.
    title, summary = (escape("".join(c for c in t if c >= " ")) for t in (TITLE, ABSTRACT))
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        f"<id>http://arxiv.org/abs/2409.00001</id><title>{title}</title>"
        f"<summary>{summary}</summary></entry></feed>"
    ).encode()


@pytest.mark.parametrize("make", [daily_text, hf_json, jsonl], ids=lambda f: f.__name__)
def test_escapes_are_stripped_and_markup_is_kept_literally(make, parse) -> None:
    parsed = parse(read_bytes(make(), "hostile"))
    assert parsed.rejections == []
    (record,) = parsed.records
    assert record.title == CLEAN_TITLE
    assert record.abstract == CLEAN_ABSTRACT
    for text in (record.title, record.abstract):
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text)
        assert "\u202e" not in text and "[2J" not in text and "ZWNob" not in text


def test_atom_c1_and_bidi_controls_are_stripped(parse) -> None:
    (record,) = parse(read_bytes(atom(), "hostile.xml")).records
    assert "\x9b" not in record.title and "\u202e" not in record.title
    assert "[bold]x [@click=app.quit]q[/]" in record.title
    assert record.title.startswith("Safe ")


def test_a_raw_escape_byte_in_xml_is_refused_not_passed_through() -> None:
    data = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id>'
        b"<title>a\x1b[2Jb</title></entry></feed>"
    )
    with pytest.raises(UnreadableFile, match="not well-formed XML"):
        list(read_bytes(data, "esc.xml"))


def test_authors_and_listed_text_are_cleaned_too(parse) -> None:
    data = json.dumps(
        [
            {
                "paper": {
                    "title": "T",
                    "summary": "S.",
                    "authors": [{"name": f"Eve{ESCAPES} [red]Mallory[/red]"}],
                },
                "publishedAt": "2024-09-05T00:00:00Z",
            }
        ]
    ).encode()
    record = parse(read_bytes(data, "a.json")).records[0]
    assert isinstance(record, Record)
    assert record.authors == ["Eve [red]Mallory[/red]"]


def test_links_are_only_http_and_keep_markup_characters_literal(parse) -> None:
    abstract = (
        "Code at javascript:alert(1) and https://github.com/a/b[bold] and "
        "https://x.org/\x1b[2Jpath. It has two sentences. Yes it does, really truly."
    )
    data = json.dumps([{"paper": {"title": "T", "summary": abstract}}]).encode()
    record = parse(read_bytes(data, "l.json")).records[0]
    assert record.links == ["https://github.com/a/b", "https://x.org/path"]
