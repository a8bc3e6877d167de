"""What an export needs from the user's library besides DOI, tags and notes: the journal (a
journal article is an @article again), the citation key (the user's \\cite keys survive), the
arXiv primary class, and the lines of a note as written."""

from __future__ import annotations

import io
from pathlib import Path

from reader.core.importers import bibtex, read_path
from reader.core.importers.own_fields import clean_citekey, clean_journal
from reader.core.model import Record


def records(items) -> dict[str, Record]:
    return {item.title: item for item in items if isinstance(item, Record)}


def bib(text: str) -> dict[str, Record]:
    return records(bibtex.read(io.BytesIO(text.encode()), "refs.bib"))


def test_bibtex_journal_key_and_primary_class(fixtures_dir: Path) -> None:
    found = records(read_path(fixtures_dir / "bibtex" / "library.bib"))
    attention = found["Attention Is All You Need"]
    assert (attention.citekey, attention.categories, attention.journal) == (
        "vaswani2017attention",
        ["cs.CL"],
        "",  # a booktitle is no journal
    )
    accents = next(r for title, r in found.items() if title.startswith("Über"))
    assert accents.journal == "Journal of Machine Learning Research"  # an @string macro
    bert = next(r for title, r in found.items() if title.startswith("BERT"))
    assert bert.journal == ""  # "arXiv preprint arXiv:1810.04805" names no journal
    assert found["Scaling laws for $\\alpha$-divergences in $O(n^2)$ time"].categories == [
        "hep-th"
    ]  # BibLaTeX's eprintclass


def test_a_note_keeps_its_lines_less_the_indent_an_editor_gave_them() -> None:
    found = bib(
        "@misc{a, title = {A}, annote = {First line.\n"
        "               Continued, as Emacs fills it.\n\n"
        "               - a list\n               - item}}\n"
        "@misc{b, title = {B}, annote = {\n- as reader writes\n  - nested\n}}\n"
    )
    assert found["A"].note == "First line.\nContinued, as Emacs fills it.\n\n- a list\n- item"
    assert found["B"].note == "- as reader writes\n  - nested"


def test_other_libraries_give_journal_and_key(fixtures_dir: Path) -> None:
    papis = records(read_path(fixtures_dir / "papis"))
    attention = papis["Attention Is All You Need"]
    assert (attention.citekey, attention.journal) == ("Vaswani2017Attention", "")
    bert = papis["BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"]
    assert bert.journal == "NAACL"
    better = records(read_path(fixtures_dir / "csl" / "better_bibtex.json"))
    assert "devlin2019" in {record.citekey for record in better.values()}
    zotero_csl = records(read_path(fixtures_dir / "csl" / "zotero_export.json"))
    assert {record.citekey for record in zotero_csl.values()} == {""}  # item URIs, no keys


def test_zotero_database_journal_and_key(zotero_db) -> None:
    found = records(read_path(zotero_db.path))
    bert = found["BERT: Pre-training of Deep Bidirectional Transformers"]
    assert bert.journal == "NAACL"


def test_keys_and_journals_are_cleaned() -> None:
    assert clean_citekey(" vaswani2017attention ") == "vaswani2017attention"
    assert clean_citekey("DBLP:journals/corr/abs-1810-04805") == "DBLP:journals/corr/abs-1810-04805"
    assert [clean_citekey(bad) for bad in ("has space", "a{b", "x,y", "", "%x")] == [""] * 5
    assert clean_journal("  Nature\n Physics ") == "Nature Physics"
    assert clean_journal("CoRR") == clean_journal("arXiv e-prints") == ""


def test_arxiv_listings_carry_their_doi(fixtures_dir: Path) -> None:
    found = records(read_path(fixtures_dir / "arxiv_snapshot.jsonl"))
    diphoton = next(r for title, r in found.items() if title.startswith("Calculation of prompt"))
    assert diphoton.doi == "10.1103/physrevd.76.013009"
    assert diphoton.links.count("https://doi.org/10.1103/PhysRevD.76.013009") == 1
    atom = records(read_path(fixtures_dir / "arxiv_api.xml"))
    assert any(record.doi == "10.1103/physrevd.76.013009" for record in atom.values())
