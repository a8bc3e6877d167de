"""The user's own library (BibTeX, Zotero, papis) imported: each entry merges into the paper
already there (arXiv id, then DOI, then title), and becomes theirs: bookmarked, with its tags and
note, searchable at once, and never doubled by importing the same file again."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.library import importing
from reader.core.library.facade import Library
from reader.core.model import Record

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "importers"
BIB = FIXTURES / "bibtex" / "library.bib"
PAPIS = FIXTURES / "papis"
BERT_DOI = "10.18653/v1/n19-1423"


def own(title: str, **fields: object) -> Record:
    return Record(title=title, own=True, source="refs.bib:1", **fields)  # type: ignore[arg-type]


def test_matching_takes_the_arxiv_id_then_the_doi_then_the_title(library: Library) -> None:
    library.import_items(
        [
            Record(title="Attention Is All You Need", arxiv_id="1706.03762", source="a:1"),
            Record(title="BERT: Pre-training", doi=BERT_DOI, source="a:2"),
            Record(title="Deep Residual Learning for Image Recognition", source="a:3"),
            Record(title="Mistral 7B", arxiv_id="2310.06825", doi="10.1/m", source="a:4"),
        ]
    )
    report = library.import_items(
        [
            own("A title a .bib gives it", arxiv_id="1706.03762v5", doi="10.1/other"),  # the id
            own("BERT, as Zotero names it", doi=BERT_DOI),  # the DOI
            own("Deep residual learning for image recognition."),  # the normalized title
            own("Mistral 7B", arxiv_id="2401.00001", doi="10.1/m"),  # two arXiv ids, two papers
        ]
    )
    assert (report.added, report.updated + report.duplicates) == (1, 3)
    assert library.count() == 5
    assert library.get("1706.03762").doi == "10.1/other"  # type: ignore[union-attr]
    assert library.get("2401.00001") is not None


def test_an_arxiv_record_with_a_doi_takes_over_a_paper_known_by_doi_only(
    library: Library,
) -> None:
    library.import_items([own("BERT", doi=BERT_DOI)])
    (old_id,) = library.store.ids()
    report = library.import_items([own("Some other title", arxiv_id="1810.04805", doi=BERT_DOI)])
    assert report.updated == 1 and library.count() == 1
    assert library.resolve(old_id) == "1810.04805"
    assert library.user.is_bookmarked("1810.04805")  # the bookmark followed the paper


def test_own_papers_are_bookmarked_tagged_and_annotated_and_searchable_at_once(
    sample_library: Library,
) -> None:
    library = sample_library
    assert library.index.doc_count() == library.count()  # the import must keep it up to date
    report = library.import_paths([BIB])
    assert report.bookmarked == report.added + report.updated + report.duplicates == 12
    assert report.to_dict()["bookmarked"] == 12
    attention = library.get("1706.03762")
    assert attention is not None
    user = library.user
    assert user.is_bookmarked(attention.id)
    assert user.tags(attention.id) == ["attention", "seq2seq", "transformers"]
    assert user.note(attention.id) == "The transformer paper. Read twice."
    assert [hit.id for hit in library.search("tag:seq2seq").results] == [attention.id]
    assert [hit.id for hit in library.search("note:twice").results] == [attention.id]
    assert library.count_matching("is:bookmarked") == 12
    assert library.count_matching("is:bookmarked tag:survey") == 1


def test_importing_the_same_library_again_doubles_nothing(library: Library) -> None:
    first = library.import_paths([BIB])
    notes = {pid: library.user.note(pid) for pid in library.user.ids_with_notes()}
    tags = library.user.tagged()
    again = library.import_paths([BIB])
    assert (again.added, again.updated, again.duplicates) == (0, 0, first.added)
    assert again.bookmarked == first.bookmarked
    assert {pid: library.user.note(pid) for pid in library.user.ids_with_notes()} == notes
    assert library.user.tagged() == tags


def test_a_note_is_added_after_the_users_own_and_their_tags_are_kept(library: Library) -> None:
    library.import_items([Record(title="Attention Is All You Need", arxiv_id="1706.03762")])
    library.user.set_note("1706.03762", "My own note.")
    library.user.add_tags("1706.03762", ["mine"])
    library.import_paths([BIB])
    assert library.user.note("1706.03762") == ("My own note.\n\nThe transformer paper. Read twice.")
    assert library.user.tags("1706.03762") == ["attention", "mine", "seq2seq", "transformers"]
    assert [hit.id for hit in library.search("note:own note:twice").results] == ["1706.03762"]


def test_papis_and_bibtex_meet_in_one_paper_each(library: Library) -> None:
    library.import_paths([BIB])
    count = library.count()
    report = library.import_paths([PAPIS])
    # The BERT of papis has the DOI only, the .bib's the arXiv id too: one paper.
    bert = library.get("1810.04805")
    assert bert is not None and bert.doi == BERT_DOI
    assert set(library.user.tags(bert.id)) >= {"nlp", "pretraining"}
    attention = library.user.note("1706.03762")
    assert attention.startswith("The transformer paper. Read twice.\n\n# Notes on the transformer")
    assert library.count() == count + report.added
    assert report.bookmarked == report.added + report.updated + report.duplicates


def test_zotero_tags_collections_and_notes_come_in(library: Library, zotero_db) -> None:
    report = library.import_paths([zotero_db.path])
    assert report.bookmarked == zotero_db.importable
    assert library.count_matching("is:bookmarked") == zotero_db.importable
    tags = library.user.tags("1706.03762")
    assert "Reading/Transformers" in tags and "Machine-Learning" in tags
    assert library.user.note("1706.03762").startswith("# Why it matters")
    hits = library.search('tag:"Reading/Transformers"').results
    assert "1706.03762" in [hit.id for hit in hits]
    assert library.search("note:multi-head").total >= 1


def test_a_tags_file_that_cannot_be_saved_is_one_warning_and_the_papers_still_go_in(
    library: Library,
) -> None:
    tags_file = library.paths.user_dir / "tags.yaml"
    tags_file.parent.mkdir(parents=True, exist_ok=True)
    tags_file.write_text("version: 1\ntags: [unclosed\n", encoding="utf-8")
    library.user.refresh()
    report = library.import_paths([BIB])
    assert report.added == 12
    (warning,) = [w for w in report.warnings if "could not be saved" in w.message]
    assert warning.source == str(tags_file) and warning.line == 0
    assert library.count_matching("is:bookmarked") == 12  # the bookmarks file was fine
    assert tags_file.read_text(encoding="utf-8") == "version: 1\ntags: [unclosed\n"


@pytest.mark.parametrize("count", [3, 5])
def test_a_paper_given_twice_in_one_import_is_bookmarked_once(library: Library, count) -> None:
    records = [own("Attention Is All You Need", tags=[f"t{n}"], note="Same note.") for n in
               range(count)]  # fmt: skip
    report = library.import_items(records)
    assert report.bookmarked == 1 and report.added == 1
    (pid,) = library.user.bookmarks()
    assert library.user.tags(pid) == [f"t{n}" for n in range(count)]
    assert library.user.note(pid) == "Same note."


def test_an_empty_librarys_big_import_indexes_what_the_user_had(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into an empty library, the index is built while the store fills (importing._stream):
    the user's tags and notes must be in it, including those a later entry adds to a paper
    already sent to the index."""
    monkeypatch.setattr(importing, "BATCH", 5)
    records = [own(f"Paper number {n} on sparse models", tags=[f"group{n % 3}"]) for n in
               range(40)]  # fmt: skip
    records[7].note = "Read the appendix."
    records.append(own("Paper number 2 on sparse models", tags=["late"], note="Later note."))
    report = library.import_items(records)
    assert (report.added, report.duplicates, report.bookmarked) == (40, 1, 40)
    assert library.search("tag:group1").total == 13
    assert [hit.title for hit in library.search("note:appendix").results] == [
        "Paper number 7 on sparse models"
    ]
    assert [hit.title for hit in library.search("tag:late note:later").results] == [
        "Paper number 2 on sparse models"
    ]
    assert library.check_index().ok
