"""CSL-JSON out: the bibliography format of Zotero, Pandoc, citeproc and most managers.

One item per paper, with the same citation key as the BibTeX export (`id` and
`citation-key`). A paper with a journal is an `article-journal` (`container-title`); any
other is an `article`, CSL's type for preprints, an arXiv paper's with `number`
"arXiv:<id>" and `publisher` "arXiv" as Zotero writes preprints. Names are split into
`given`, `non-dropping-particle` ("van"), `family` and `suffix`; a one-word or
comma-holding name is a `literal`. The date is `issued` at the precision known.

The user's tags are `keyword` (comma-separated) and their note `annote`; reader reads both
back. CSL has no field for arXiv categories or for local files, so those stay out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from reader.core.exporters.annotated import Annotated
from reader.core.exporters.citation_keys import NAME_SUFFIXES, citation_keys

_PARTICLES = frozenset(
    (
        "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "la", "le", "ten",
        "ter", "van", "von", "zu",
    )
)  # fmt: skip


def render_csl_json(items: Sequence[Annotated]) -> str:
    keys = citation_keys([item.paper for item in items])
    data = [csl_item(item, key) for item, key in zip(items, keys, strict=True)]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def csl_item(item: Annotated, key: str) -> dict[str, object]:
    paper = item.paper
    data: dict[str, object] = {
        "id": key,
        "citation-key": key,
        "type": "article-journal" if paper.journal else "article",
        "title": paper.title,
    }
    if paper.authors:
        data["author"] = [csl_name(name) for name in paper.authors]
    parts = _date_parts(paper.date)
    if parts:
        data["issued"] = {"date-parts": [parts]}
    if paper.journal:
        data["container-title"] = paper.journal
    elif paper.is_arxiv:
        data["publisher"] = "arXiv"
    if paper.is_arxiv:
        data["number"] = f"arXiv:{paper.id}"
    if paper.doi:
        data["DOI"] = paper.doi
    if item.url:
        data["URL"] = item.url
    if paper.abstract:
        data["abstract"] = paper.abstract
    if item.tags:
        data["keyword"] = ", ".join(item.tags)
    if item.note.strip():
        data["annote"] = item.note.strip()
    return data


def csl_name(name: str) -> dict[str, str]:
    """ "Ludwig van Beethoven" as given "Ludwig", non-dropping-particle "van", family
    "Beethoven"; a one-word name, or one with a comma (an institution), as a literal."""
    words = name.split()
    if len(words) < 2 or "," in name:
        return {"literal": name}
    suffix = words.pop() if len(words) > 2 and words[-1].lower() in NAME_SUFFIXES else ""
    family = words.pop()
    particles: list[str] = []
    while len(words) > 1 and words[-1].lower() in _PARTICLES:
        particles.insert(0, words.pop())
    parts = {
        "given": " ".join(words),
        "non-dropping-particle": " ".join(particles),
        "family": family,
        "suffix": suffix,
    }
    return {part: value for part, value in parts.items() if value}


def _date_parts(date: str) -> list[int]:
    """ "2024-03-15" as [2024, 3, 15], "2024-03" as [2024, 3], "2024" as [2024]."""
    parts = []
    for piece in date.split("-")[:3]:
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return parts if parts and len(date.split("-")[0]) == 4 else []
