"""BibTeX / BibLaTeX: fields mapped, LaTeX to text, bad entries rejected alone with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.importers import UnreadableFile, bibtex, detect, read_bytes, read_path
from reader.core.model import Record


@pytest.fixture
def library(fixtures_dir: Path, parse):
    return parse(read_path(fixtures_dir / "bibtex" / "library.bib"))


def by_title(records: list[Record], start: str) -> Record:
    (record,) = [record for record in records if record.title.startswith(start)]
    return record


def test_the_library_is_detected_by_content(fixtures_dir: Path) -> None:
    assert detect((fixtures_dir / "bibtex" / "library.bib").read_bytes()) == "bibtex"


def test_fields_are_mapped(library, fixtures_dir: Path) -> None:
    record = by_title(library.records, "Attention Is All You Need")
    assert record.authors[:2] == ["Ashish Vaswani", "Noam Shazeer"]
    assert "Łukasz Kaiser" in record.authors
    assert record.arxiv_id == "1706.03762"  # eprint + archivePrefix
    assert record.published == "2017-12"  # year + month macro
    assert record.tags == ["transformers", "attention", "seq2seq"]  # keywords, "," and ";"
    assert record.note == "The transformer paper. Read twice."
    pdf = (fixtures_dir / "bibtex" / "papers" / "vaswani2017.pdf").absolute().as_uri()
    assert pdf in record.links  # a relative `file` path, from the .bib's folder
    assert record.own is True
    assert record.source.endswith("library.bib:11")


def test_doi_url_abstract_and_annote(library) -> None:
    record = by_title(library.records, "BERT: Pre-training")  # the title was "{BERT}: ..."
    assert record.doi == "10.18653/v1/n19-1423"
    assert "https://doi.org/10.18653/v1/n19-1423" in record.links
    assert "https://aclanthology.org/N19-1423" in record.links
    assert record.published == "2019-05-24"  # BibLaTeX date
    assert record.arxiv_id == "1810.04805"  # from "journal = {arXiv preprint arXiv:...}"
    assert record.abstract.startswith(
        "We introduce a new language representation model called BERT,"
    )
    assert "\n" not in record.abstract  # TeX: a single line break is a space
    assert record.note == "Masked LM; compare with ELMo."


def test_accents_and_escapes_become_text(library) -> None:
    record = by_title(library.records, "Über die")
    assert record.title == (
        "Über die Komplexität von Schätzverfahren – eine Übersicht für Praktiker & Theoretiker: "
        "50% schneller"
    )
    assert record.authors == [
        "Jörg Müller",
        "José García",
        "Clément François",
        "Renée Straßer",
        "Jiří Škoda",
        "Søren Østergaard",
        "Iñigo Mañana",
    ]
    assert record.published == "2020"


def test_math_corporate_authors_and_eprinttype(library) -> None:
    record = by_title(library.records, "Scaling laws")
    assert record.title == r"Scaling laws for $\alpha$-divergences in $O(n^2)$ time"
    assert record.authors == ["The LIGO Scientific Collaboration", "B. P. Abbott"]
    assert record.arxiv_id == "2103.00020"  # eprinttype = {arxiv}, version dropped
    who = by_title(library.records, "Global Report")
    assert who.authors == ["World Health Organization"]
    assert who.tags == ["public-health"]  # a keyword with a space, as a reader tag
    old = by_title(library.records, "String Theory")
    assert old.arxiv_id == "hep-th/9901001"


def test_names_with_particles_and_suffixes_and_crossref(library) -> None:
    record = by_title(library.records, "A Paper in Proceedings")
    assert record.authors == [
        "John Smith",
        "Jean de la Fontaine",
        "Hans van der Berg",
        "John Doe Jr.",
    ]
    assert record.published == "2015"  # from its crossref parent, which comes after it


def test_strings_quotes_and_file_paths(library) -> None:
    record = by_title(library.records, "Quoted Title With Braced Part")
    assert (record.authors, record.published) == (["First Last"], "2016-03")
    blog = by_title(library.records, "Notes on Diffusion Models")
    assert blog.published == "2024-03"
    assert "file:///home/user/Zotero/storage/ABCD1234/weng.pdf" in blog.links


def test_bad_entries_are_rejected_alone_with_line_and_reason(library) -> None:
    rejected = {r.line: r.reason for r in library.rejections}
    assert rejected == {
        68: "no title",
        97: "key 'vaswani2017attention' was used before, at line 11; skipped",
        103: rejected[103],
    }
    assert rejected[103].startswith("@article{brokenbraces is not valid BibTeX (")
    assert all(r.source.endswith("library.bib") for r in library.rejections)
    (escaped,) = read_bytes(b"@misc{e, title={T}, doi={10.1000/a\\_b}}", "e.bib")
    assert isinstance(escaped, Record) and escaped.doi == "10.1000/a_b"
    survivor = by_title(library.records, "The Entry After The Broken One")
    assert survivor.doi == "10.1000/xyz.123"  # from a doi.org link
    assert len(library.records) == 12
    assert library.warnings == []  # a library entry without an abstract is nothing odd


def test_hostile_titles_are_cleaned_like_every_import(library) -> None:
    record = by_title(library.records, "Safe")
    assert record.title == "Safe [bold]x[/bold] [@click=app.quit]q[/] Bold Title"
    data = (
        b"@article{x, title = {Safe\x1b[2J Title\xe2\x80\xae [b]y[/b]},"
        b" author = {A\x1b]52;c;ZZ\x07 B}}"
    )
    (record,) = read_bytes(data, "hostile.bib")
    assert isinstance(record, Record)
    assert record.title == "Safe Title [b]y[/b]"
    assert record.authors == ["A B"]


def test_a_latin1_bib_is_read_with_a_warning(parse) -> None:
    data = "@article{k, title = {Caf\u00e9 Society}, author = {M\u00fcller, J\u00f6rg}}\n"
    parsed = parse(read_bytes(data.encode("latin-1"), "old.bib"))
    (record,) = parsed.records
    assert (record.title, record.authors) == ("Café Society", ["Jörg Müller"])
    assert "Windows-1252" in parsed.warnings[0].message


def test_chunks_keep_line_numbers_macros_and_keys(monkeypatch, parse) -> None:
    monkeypatch.setattr(bibtex, "CHUNK_LINES", 10)
    lines = ["@string{venue = {The Venue}}"]
    for number in range(30):
        lines += [
            f"@inproceedings{{k{number},",
            f"  title = {{Paper {number}}},",
            "  booktitle = venue,",
            "}",
        ]
    lines += ["@article{k3,", "  title = {Same key, in a later chunk},", "}", "@article{late,", "}"]
    parsed = parse(read_bytes("\n".join(lines).encode(), "big.bib"))
    assert len(parsed.records) == 30
    assert [(r.line, r.reason[:30]) for r in parsed.rejections] == [
        (122, "key 'k3' was used before, at l"),
        (125, "no title"),
    ]


def test_a_bib_with_free_text_before_its_entries_is_detected() -> None:
    head = (
        b"This file was written by hand.\nIt has notes before the entries.\n\n@book{b, title={T}}\n"
    )
    assert detect(head) == "bibtex"
    assert detect(b"% comment\n\n@Article{a,\n title = {T}\n}\n") == "bibtex"


def test_a_file_that_only_claims_to_be_bibtex_is_refused_in_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "refs.bib"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(UnreadableFile) as caught:
        read_path(fake)
    assert str(caught.value) == f"{fake}: is binary, not text"
    prose = tmp_path / "notes.bib"
    prose.write_text("Just some notes about papers I want to read.\n")
    with pytest.raises(UnreadableFile, match="unknown format"):
        read_path(prose)
