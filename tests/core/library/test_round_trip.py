"""The round trip: a library with the user's tags and notes, exported as BibTeX and as CSL-JSON
and imported into an empty library, comes back as the same papers with the same tags and
notes. Real formats in: the sample, a .bib, a papis library and a Zotero database; the user's
own edits on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.exporters import annotate, render
from reader.core.library.facade import Library
from reader.core.model import Paper, Record

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "importers"
ARXIV = [
    Record(
        title="Attention Is All You Need",
        arxiv_id="1706.03762",
        abstract="The dominant sequence transduction models.\nWe propose the Transformer.",
        authors=["Ashish Vaswani", "Łukasz Kaiser", "Martin Luther King Jr."],
        published="2017-06-12",
        categories=["cs.CL", "cs.LG"],
        source="listing.json:1",
    ),
    Record(
        title="Deep Residual Learning for Image Recognition",
        authors=["Kaiming He"],
        published="2016",
        doi="10.1109/cvpr.2016.90",
        journal="Proceedings of CVPR",
        links=[  # as an importer makes them
            "https://doi.org/10.1109/cvpr.2016.90",
            Path("/home/me/papers/resnet (v2).pdf").as_uri(),
        ],
        source="refs.bib:1",
        own=True,
    ),
]


def filled(library: Library, extra: list[Path]) -> Library:
    library.import_sample()
    library.import_items(ARXIV)
    library.import_paths([FIXTURES / "bibtex" / "library.bib", FIXTURES / "papis", *extra])
    user = library.user
    ids = library.store.ids()
    for n, pid in enumerate(ids[::37]):  # the user's own tags and notes, here and there
        user.add_tags(pid, ["reread", f"topic-{n % 3}"])
        user.set_note(pid, f"Note {n}: 100% worth it {{or not}}.\n\n- check $x^2$\n- #{n}\n")
    user.append_note("1706.03762", "A second thought, after the imported note.")
    return library


def export(library: Library, fmt: str) -> str:
    papers = library.papers(library.store.ids())
    return render(annotate(papers.values(), library.user), fmt)


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def assert_same_papers(before: Library, after: Library, fmt: str) -> None:
    assert sorted(after.store.ids()) == sorted(before.store.ids())
    old, new = before.papers(before.store.ids()), after.papers(after.store.ids())
    for pid, paper in old.items():
        again: Paper = new[pid]
        assert (again.title, again.authors, again.doi, again.journal) == (
            paper.title,
            paper.authors,
            paper.doi,
            paper.journal,
        ), pid
        assert lines(again.abstract) == lines(paper.abstract), pid
        if fmt == "bibtex":  # BibTeX has a year and a month, not a day; and the primary class
            assert again.published == paper.published[:7], pid
            assert again.categories == paper.categories[:1], pid
            assert again.files == paper.files, pid
        else:
            assert again.published == paper.published, pid
    user, other = before.user, after.user
    assert other.tagged() == user.tagged()
    notes = {pid: user.note(pid).strip() for pid in user.ids_with_notes()}
    assert {pid: other.note(pid) for pid in other.ids_with_notes()} == notes
    assert other.bookmarks() == set(old)  # all of them the user's own now


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json"])
def test_export_then_import_into_an_empty_library_gives_the_same_library(
    tmp_path: Path, fmt: str
) -> None:
    before = filled(Library.open(tmp_path / "before"), [])
    exported = tmp_path / ("library.bib" if fmt == "bibtex" else "library.json")
    exported.write_text(export(before, fmt), encoding="utf-8")
    after = Library.open(tmp_path / "after")
    report = after.import_paths([exported])
    assert report.rejected == [] and report.added == before.count()
    assert_same_papers(before, after, fmt)
    # And the export imported into the library it came from changes nothing.
    again = before.import_paths([exported])
    assert (again.added, again.updated) == (0, 0)
    assert export(before, fmt) == exported.read_text(encoding="utf-8")
    before.close()
    after.close()


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json"])
def test_a_zotero_library_survives_the_round_trip(tmp_path: Path, fmt: str, zotero_db) -> None:
    before = filled(Library.open(tmp_path / "before"), [zotero_db.path])
    exported = tmp_path / "library.out"
    exported.write_text(export(before, fmt), encoding="utf-8")
    after = Library.open(tmp_path / "after")
    assert after.import_paths([exported]).rejected == []
    assert_same_papers(before, after, fmt)
    before.close()
    after.close()
