"""BibTeX that survives the trip: unique Better BibTeX keys, the right entry types, every
special character escaped, and every file parsing in bibtexparser and pybtex without a word,
from the whole sample to titles made to break it."""

from __future__ import annotations

import io

import pytest

from reader.core.exporters import Annotated, annotate, render
from reader.core.exporters.citation_keys import base_key, citation_keys
from reader.core.importers import bibtex as bibtex_reader
from reader.core.library.facade import Library
from reader.core.model import Paper, Record

STAMP = "2025-01-01T00:00:00+00:00"

# Titles, names, tags and notes made to break a BibTeX file or its reading back.
HOSTILE_TITLES = [
    "Unbalanced { brace",
    "Closing } first {",
    "}{",
    "A \\ backslash and \\textbf{fake} commands \\",
    "100% of #1 & co_op $5 ~ ^ costs",
    "Math $\\mathcal{O}(n^2)$ kept and $broken math",
    "$a}{b$ is not math",
    "Dashes -- and --- and `` quotes '' stay",
    '@misc{evil, title = {x}} "quoted" , = @',
    "\\end{document} %comment",
    "Ünïcödé 中文 emoji 😀 and ligatures ﬁ",
    "and",
    "BERT, GPT-4 and ImageNet keep their CAPITALS",
    "Ends with a backslash \\",
]
HOSTILE_AUTHORS = [
    "Google, Inc.",
    "others",
    "Jean and Marie",
    "{Braced} Name",
    "Martin Luther King Jr.",
    "Ludwig van Beethoven",
    "100% Human_Being",
    "北京 大学",
    "Back\\slash",
]
HOSTILE_TAGS = ["c++", "a_b", "50%", "#hash", "x{y", "~home", "^up", "a$b", "back\\slash"]
HOSTILE_NOTE = (
    "First line with 100% and {unbalanced\n\n"
    "@misc{x, title = {y}}\n"
    "  @indented at sign\n"
    "- a list with $math$ and $lonely\n"
    "    indented code \\end{document}\n"
    "}"
)


def paper(title: str, **fields: object) -> Paper:
    pid = str(fields.pop("id", f"t:{sum(map(ord, title)):x}"))
    return Paper(id=pid, title=title, added_at=STAMP, updated_at=STAMP, **fields)  # type: ignore[arg-type]


def item(p: Paper, tags: list[str] | None = None, note: str = "") -> Annotated:
    return Annotated(paper=p, tags=tags or [], note=note, bookmarked=False, read=False)


def read_back(text: str) -> list[Record]:
    items = bibtex_reader.read(io.BytesIO(text.encode("utf-8")), "export.bib")
    return [entry for entry in items if isinstance(entry, Record)]


# -- keys ------------------------------------------------------------------------------------


def test_keys_follow_better_bibtex() -> None:
    attention = paper("Attention Is All You Need", authors=["Ashish Vaswani"], published="2017")
    assert base_key(attention) == "vaswani2017attention"
    on = paper("On the Müller Effect", authors=["Jörg Müller Jr."], published="2020-05-01")
    assert base_key(on) == "muller2020muller"  # little words skipped, accents folded
    assert base_key(paper("Scaling Laws")) == "anonscaling"  # no author, no date
    assert base_key(paper("GPT-4 Technical Report", authors=["OpenAI"])) == "openaigpt4"


def test_clashing_keys_take_a_b_in_the_order_papers_joined_the_library() -> None:
    def scaling(n: int, added: str) -> Paper:
        return Paper(id=f"t:{n}", title=f"Scaling {n}", added_at=added, updated_at=added)

    papers = [scaling(3, "2025-03"), scaling(1, "2025-01"), scaling(2, "2025-02")]
    assert citation_keys(papers) == ["anonscalingb", "anonscaling", "anonscalinga"]
    later = [*papers, scaling(4, "2025-04")]  # a paper added later takes the next suffix
    assert citation_keys(later)[:3] == citation_keys(papers)
    assert citation_keys(later)[3] == "anonscalingc"
    # A suffixed key never takes another paper's own key.
    own = Paper(id="t:9", title="Scalinga", added_at=STAMP, updated_at=STAMP)
    assert citation_keys([scaling(1, "1"), scaling(2, "2"), own]) == [
        "anonscaling",
        "anonscalingb",
        "anonscalinga",
    ]


def test_the_sample_exports_with_unique_keys_and_parses_without_a_warning(
    sample_library: Library, parse_strictly
) -> None:
    papers = [sample_library.get(pid) for pid in sample_library.store.ids()]
    text = render(annotate(papers, sample_library.user), "bibtex")  # type: ignore[arg-type]
    entries = parse_strictly(text)
    assert len(entries) == len(papers) == 406
    assert len({key.lower() for key in entries}) == 406
    assert {record.title for record in read_back(text)} == {p.title for p in papers}  # type: ignore[union-attr]


# -- entries ---------------------------------------------------------------------------------


def test_a_journal_paper_is_an_article_and_an_arxiv_preprint_a_misc(parse_strictly) -> None:
    journal = paper(
        "Deep Residual Learning",
        authors=["Kaiming He", "Xiangyu Zhang"],
        published="2016-06-27",
        doi="10.1109/cvpr.2016.90",
        journal="Proceedings of CVPR",
        links=["https://doi.org/10.1109/cvpr.2016.90", "file:///home/me/resnet%20v2.pdf"],
    )
    preprint = paper(
        "Attention Is All You Need",
        id="1706.03762",
        authors=["Ashish Vaswani", "Noam Shazeer"],
        published="2017-06-12",
        categories=["cs.CL", "cs.LG"],
    )
    text = render([item(journal, ["vision"]), item(preprint)], "bibtex")
    assert text.startswith("@article{he2016deep,\n")
    assert "\n@misc{vaswani2017attention,\n" in text
    entries = parse_strictly(text)
    assert entries["he2016deep"] == {  # values as bibtexparser gives them: outer braces gone
        "title": "Deep Residual Learning",
        "author": "Kaiming He and Xiangyu Zhang",
        "journal": "Proceedings of CVPR",
        "year": "2016",
        "month": "jun",
        "doi": "10.1109/cvpr.2016.90",
        "keywords": "vision",
        "file": "/home/me/resnet v2.pdf",  # a local file, not the paper's url
    }
    misc = entries["vaswani2017attention"]
    assert (misc["eprint"], misc["archiveprefix"], misc["primaryclass"]) == (
        "1706.03762",
        "arXiv",
        "cs.CL",
    )
    assert misc["url"] == "https://arxiv.org/abs/1706.03762"
    assert "journal" not in misc


def test_names_are_written_as_bibtex_reads_them() -> None:
    p = paper("Names", authors=HOSTILE_AUTHORS)
    text = render([item(p)], "bibtex")
    assert (
        "{Google, Inc.} and {others} and {Jean and Marie} and "
        "\\textbraceleft{}Braced\\textbraceright{} Name and King, Jr., Martin Luther and "
        "Ludwig van Beethoven"
    ) in text
    (record,) = read_back(text)
    assert record.authors == HOSTILE_AUTHORS


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_hostile_title_parses_everywhere_and_reads_back_as_itself(
    title: str, parse_strictly
) -> None:
    hostile = paper(title, authors=HOSTILE_AUTHORS, published="2024-02-30")
    text = render([item(hostile, HOSTILE_TAGS, HOSTILE_NOTE)], "bibtex")
    assert len(parse_strictly(text)) == 1
    (record,) = read_back(text)
    assert record.title == title
    assert record.authors == HOSTILE_AUTHORS
    assert record.tags == HOSTILE_TAGS
    assert record.note == HOSTILE_NOTE


def test_all_hostile_titles_in_one_file(parse_strictly) -> None:
    papers = [paper(t, abstract=f"{t}\n{t}") for t in HOSTILE_TITLES]
    text = render([item(p, HOSTILE_TAGS, HOSTILE_NOTE) for p in papers], "bibtex")
    assert len(parse_strictly(text)) == len(HOSTILE_TITLES)
    records = read_back(text)
    assert [r.title for r in records] == HOSTILE_TITLES
    assert [r.abstract for r in records] == [p.abstract for p in papers]


def test_values_that_cannot_be_written_verbatim_are_left_out(parse_strictly) -> None:
    odd = paper(
        "Odd links",
        doi="10.1000/a{b",
        links=["https://example.org/a_b%20c#frag", "file:///tmp/a%7Bb.pdf", "file:///tmp/ok.pdf"],
    )
    text = render([item(odd)], "bibtex")
    (fields,) = parse_strictly(text).values()
    assert "doi" not in fields
    assert fields["url"] == "https://example.org/a_b%20c#frag"
    assert fields["file"] == "/tmp/ok.pdf"


def test_a_paper_keeps_the_key_it_came_with_when_no_earlier_paper_has_it() -> None:
    def cited(n: int, key: str, title: str = "Scaling") -> Paper:
        added = f"2025-01-0{n}"
        return Paper(id=f"t:{n}", title=title, citekey=key, added_at=added, updated_at=added)

    papers = [
        cited(3, "Smith:2020"),  # came second with this key: a key made for it
        cited(1, "smith:2020"),  # BibTeX keys compare without case
        cited(2, "", "Scaling"),  # its made key is one no paper brought
        cited(4, "anonscaling"),  # a key another paper would have made: it keeps it
    ]
    assert citation_keys(papers) == ["anonscalingb", "smith:2020", "anonscalinga", "anonscaling"]
