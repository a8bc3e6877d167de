"""Zotero's JSON exports: CSL-JSON and Better BibTeX JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core.importers import UnreadableFile, detect, read_bytes, read_path


def test_both_exports_are_detected_by_content(fixtures_dir: Path) -> None:
    assert detect((fixtures_dir / "csl" / "zotero_export.json").read_bytes()) == "csl-json"
    assert detect((fixtures_dir / "csl" / "better_bibtex.json").read_bytes()) == "bbt-json"
    assert detect(b'[{"id": "x", "type": "book", "title": "T"}]') == "csl-json"
    assert detect(b'[{"paper": {"id": "2409.00001"}, "title": "T"}]') == "hf-json"
    assert detect(b'[{"id": "2409.1", "title": "T", "summary": "S", "type": "x"}]') == "hf-json"
    assert detect(b"[]") == "hf-json"  # empty either way


def test_csl_items_are_mapped(fixtures_dir: Path, parse) -> None:
    parsed = parse(read_path(fixtures_dir / "csl" / "zotero_export.json"))
    attention, olson, webpage = parsed.records
    assert attention.title == "Attention Is All You Need"
    assert attention.authors == ["Ashish Vaswani", "Noam Shazeer"]
    assert (attention.arxiv_id, attention.published) == ("1706.03762", "2017-06-12")
    assert attention.doi == "10.48550/arxiv.1706.03762"
    assert attention.abstract.startswith("The dominant sequence transduction models")
    assert attention.own and attention.source.endswith("zotero_export.json:2")
    assert olson.title == (
        "Codes, costs, and critiques: The organization of information in Library Quarterly, "
        "1931–2004"
    )  # CSL's <i> markup is not text
    assert olson.authors == ["Hope A. Olson", "Library of Congress", "Hans van der Berg"]
    assert (olson.published, olson.doi) == ("2006", "10.1086/504343")
    assert webpage.title == "Safe Title [bold]x[/bold]"  # escapes and bidi controls gone
    assert webpage.published == "2021-03"  # from "raw": "March 2021"


def test_bad_csl_items_are_rejected_alone_at_their_line(fixtures_dir: Path, parse) -> None:
    parsed = parse(read_path(fixtures_dir / "csl" / "zotero_export.json"))
    assert [(r.line, r.reason) for r in parsed.rejections] == [
        (73, "item http://zotero.org/users/local/kQ3xYz9A/items/NOTITLE1: no title"),
        (90, "item http://zotero.org/users/local/kQ3xYz9A/items/BADTYPES: 'title' must be "
             "text, not a list"),
    ]  # fmt: skip


def test_better_bibtex_items_carry_tags_collections_notes_and_files(
    fixtures_dir: Path, parse
) -> None:
    parsed = parse(read_path(fixtures_dir / "csl" / "better_bibtex.json"))
    bert, attention, case = parsed.records
    assert bert.authors == ["Jacob Devlin", "Ming-Wei Chang", "Google AI Language"]  # no editor
    assert (bert.arxiv_id, bert.published) == ("1810.04805", "2019-05-24")
    assert bert.tags == [
        "nlp",
        "Computer-Science-Computation-and-Language",
        "Reading",
        "Reading/Transformers",
    ]
    assert bert.note == (
        "## Summary\n\nMasked LM and **next sentence** prediction.\n\n---\n\nCompare with *ELMo*."
    )
    assert (
        "file:///home/me/Zotero/storage/ZX81QWER/Devlin%20et%20al.%20-%202019%20-%20BERT.pdf"
        in bert.links
    )
    assert attention.doi == "10.5555/3295222.3295349"  # from Extra
    assert attention.published == "2017-12"  # "December 2017"
    assert attention.tags == ["transformers", "Reading/Transformers"]
    assert case.title == "Brown v. Board of Education"  # caseName is its title
    assert (case.published, case.tags) == ("1954-05-17", ["Law-Policy"])
    assert [(r.line, r.reason) for r in parsed.rejections] == [
        (5, "item NOTITLE1: no title"),
        (6, "item BADCREAT: 'creators' must be a list of objects"),
    ]


def test_broken_better_bibtex_json_is_refused_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "export.json"
    broken.write_text('{"config": {"label": "BetterBibTeX JSON"}, "items": [{"title": "T",')
    with pytest.raises(UnreadableFile) as caught:
        list(read_path(broken))
    assert str(caught.value).startswith(f"{broken}: is not valid Better BibTeX JSON: ")
    with pytest.raises(UnreadableFile, match="without an 'items' list"):
        list(read_bytes(json.dumps({"config": {}, "items": 3}).encode(), "x.json"))
