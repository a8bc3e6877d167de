"""CSL-JSON as Zotero, Pandoc and citeproc read it, and as reader reads it back."""

from __future__ import annotations

import io
import json

from reader.core.exporters import Annotated, render
from reader.core.exporters.csl_json import csl_name
from reader.core.importers import csl_json as csl_reader
from reader.core.model import Paper, Record

STAMP = "2025-01-01T00:00:00+00:00"


def item(paper: Paper, tags: list[str], note: str) -> Annotated:
    return Annotated(paper=paper, tags=tags, note=note, bookmarked=True, read=False)


JOURNAL = Paper(
    id="t:0123456789ab",
    title="Deep Residual Learning for Image Recognition",
    abstract="Deeper neural networks are more difficult to train.\nWe present a framework.",
    authors=["Kaiming He", "Ludwig van Beethoven", "Martin Luther King Jr.", "OpenAI"],
    published="2016-06",
    doi="10.1109/cvpr.2016.90",
    journal="Proceedings of CVPR",
    links=["https://doi.org/10.1109/cvpr.2016.90", "file:///home/me/resnet.pdf"],
    added_at=STAMP,
    updated_at=STAMP,
)
PREPRINT = Paper(
    id="1706.03762",
    title="Attention Is All You Need <i>really</i>",
    authors=["Ashish Vaswani", "Google, Inc."],
    published="2017-06-12",
    categories=["cs.CL"],
    added_at=STAMP,
    updated_at=STAMP,
)


def test_items_have_the_fields_zotero_and_pandoc_read() -> None:
    text = render([item(JOURNAL, ["vision", "c++"], "Read it.\n\n- twice"), item(PREPRINT, [], "")],
                  "csl-json")  # fmt: skip
    journal, preprint = json.loads(text)
    assert journal == {
        "id": "he2016deep",
        "citation-key": "he2016deep",
        "type": "article-journal",
        "title": "Deep Residual Learning for Image Recognition",
        "author": [
            {"given": "Kaiming", "family": "He"},
            {"given": "Ludwig", "non-dropping-particle": "van", "family": "Beethoven"},
            {"given": "Martin Luther", "family": "King", "suffix": "Jr."},
            {"literal": "OpenAI"},
        ],
        "issued": {"date-parts": [[2016, 6]]},
        "container-title": "Proceedings of CVPR",
        "DOI": "10.1109/cvpr.2016.90",
        "URL": "https://doi.org/10.1109/cvpr.2016.90",
        "abstract": "Deeper neural networks are more difficult to train.\nWe present a framework.",
        "keyword": "vision, c++",
        "annote": "Read it.\n\n- twice",
    }
    assert preprint["type"] == "article" and preprint["publisher"] == "arXiv"
    assert preprint["number"] == "arXiv:1706.03762"
    assert preprint["URL"] == "https://arxiv.org/abs/1706.03762"
    assert preprint["issued"] == {"date-parts": [[2017, 6, 12]]}
    assert preprint["author"][1] == {"literal": "Google, Inc."}
    assert "keyword" not in preprint and "annote" not in preprint


def test_reader_reads_its_csl_json_back() -> None:
    text = render([item(JOURNAL, ["vision"], "Read it.\n\n- twice"), item(PREPRINT, [], "")],
                  "csl-json")  # fmt: skip
    items = csl_reader.read(io.BytesIO(text.encode()), "export.json")
    journal, preprint = [entry for entry in items if isinstance(entry, Record)]
    assert (journal.title, journal.authors, journal.published) == (
        JOURNAL.title,
        JOURNAL.authors,
        JOURNAL.published,
    )
    assert (journal.doi, journal.journal, journal.abstract) == (
        JOURNAL.doi,
        JOURNAL.journal,
        JOURNAL.abstract,
    )
    assert (journal.tags, journal.note, journal.own) == (["vision"], "Read it.\n\n- twice", True)
    assert (preprint.arxiv_id, preprint.published) == ("1706.03762", "2017-06-12")
    # CSL's rich text: <i> in a title is markup, read as such by every CSL reader.
    assert preprint.title == "Attention Is All You Need really"


def test_names_split_as_csl_has_them() -> None:
    assert csl_name("Jean de la Fontaine") == {
        "given": "Jean",
        "non-dropping-particle": "de la",
        "family": "Fontaine",
    }
    assert csl_name("Plato") == {"literal": "Plato"}
