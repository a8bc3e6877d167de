"""BibTeX out, made to be read again: by BibTeX, biber, bibtexparser, pybtex, Zotero, and by
reader itself (an export imported into an empty library gives the same papers, tags and notes).

- Keys are unique and stable (citation_keys.py, the Better BibTeX convention).
- A paper whose journal is known is an `@article` with `journal` (and its DOI); any other is a
  `@misc`, an arXiv paper's with `eprint`, `archiveprefix = {arXiv}` and `primaryclass`, as
  arXiv's own BibTeX has it; each has its `url` (unless that is only the DOI's link) and its
  abstract.
- Authors are joined with `and`; a name BibTeX would split wrongly (a comma, a lone "and",
  "others") is braced whole, and "Jr."-like endings are written "Last, Jr., First".
- Text fields go through tex_text (special characters as commands, case kept in titles);
  doi, url and file are verbatim fields and are written as they are (a value with a brace or
  backslash in it cannot be, and is left out).
- The user's tags are `keywords`, their note `annote` (Zotero's and JabRef's field for it; no
  BibTeX style prints it), their files `file` (paths, `;` between them, `:` and `;` escaped).
- BibTeX keeps a date as `year` and `month` (`month = jan`, the macro): a day is not kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reader.core.exporters.annotated import Annotated
from reader.core.exporters.citation_keys import NAME_SUFFIXES, citation_keys
from reader.core.exporters.tex_text import tex_text

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_AND = re.compile(r"\band\b", re.IGNORECASE)
_NOT_VERBATIM = re.compile(r"[{}\\\n]")


def render_bibtex(items: Sequence[Annotated]) -> str:
    keys = citation_keys([item.paper for item in items])
    return "\n".join(bibtex_entry(item, key) for item, key in zip(items, keys, strict=True))


def bibtex_entry(item: Annotated, key: str) -> str:
    paper = item.paper
    fields = [("title", tex_text(paper.title, protect_case=True))]
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_name(name) for name in paper.authors)))
    if paper.journal:
        fields.append(("journal", tex_text(paper.journal)))
    year, month = paper.date[:4], paper.date[5:7]
    if year.isdigit():
        fields.append(("year", year))
        if month.isdigit() and 1 <= int(month) <= 12:
            fields.append(("month", MONTHS[int(month) - 1]))  # a macro: written unbraced
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.is_arxiv:
        fields += [("eprint", paper.id), ("archiveprefix", "arXiv")]
        if paper.categories:
            fields.append(("primaryclass", paper.categories[0]))
    if item.url and not item.url.lower().endswith(f"doi.org/{paper.doi}"):
        fields.append(("url", item.url))  # (the DOI's own link says no more than the DOI)
    if paper.abstract:
        paragraphs = (tex_text(line) for line in paper.abstract.split("\n") if line.strip())
        fields.append(("abstract", "\n\n".join(paragraphs)))
    if item.tags:
        fields.append(("keywords", ", ".join(tex_text(tag) for tag in item.tags)))
    files = [_file_path(path) for path in paper.files if not _NOT_VERBATIM.search(path)]
    if files:
        fields.append(("file", ";".join(files)))
    if item.note.strip():
        fields.append(("annote", "\n" + tex_text(item.note.strip()) + "\n"))
    body = ",\n".join(
        f"  {name} = {_value(name, value)}"
        for name, value in fields
        if name not in ("doi", "url") or not _NOT_VERBATIM.search(value)
    )
    kind = "article" if paper.journal else "misc"
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _value(name: str, value: str) -> str:
    return value if name == "month" else f"{{{value}}}"


def bibtex_name(name: str) -> str:
    """One author as BibTeX reads names: "First von Last", or "Last, Jr., First"."""
    words = name.split()
    if not words or "," in name or _AND.search(name) or name.lower() == "others":
        return "{" + tex_text(name) + "}"  # braced: one name, read as written
    if len(words) > 2 and words[-1].lower() in NAME_SUFFIXES:
        first, last, suffix = " ".join(words[:-2]), words[-2], words[-1]
        return ", ".join(tex_text(part) for part in (last, suffix, first))
    return tex_text(name)


def _file_path(path: str) -> str:
    """A path as the `file` field lists them (JabRef's escapes: `\\:` and `\\;`)."""
    return path.replace(":", "\\:").replace(";", "\\;")
