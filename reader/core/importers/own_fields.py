"""The user's own fields a reference manager keeps: DOI, tags, note and file links.

These come only from the user's libraries (BibTeX, Zotero, papis), never from listings, and
each is cleaned here once so every library format gives them alike.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path, PureWindowsPath

from reader.core.model import Warning_
from reader.core.text import fold_spaces, strip_controls

# The same rule as the user's tag file (reader.core.userdata.formats.clean_tag): at most
# MAX_TAG characters, no spaces or commas, no control characters. Spaces and commas become
# "-" here, so "Machine Learning" and "Peirce, Charles" stay one tag each (and a lone "-"
# between words goes: "Computer Science - Learning" is "Computer-Science-Learning").
MAX_TAG = 64
MAX_NOTE_CHARS = 1_000_000  # a note is the user's text: generous, but not a whole book
MAX_JOURNAL_CHARS = 500
_TAG_SEPARATORS = re.compile(r"[\s,]+")
_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_DOI_TRAIL = ".,;:)]}'"
_CITEKEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:./+-]{0,99}")
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def clean_doi(text: str) -> str:
    """The DOI inside text (bare, "doi:...", or a doi.org link), lower case; "" if none.

    DOIs are case-insensitive, so lower case makes one paper's DOI compare equal across
    sources."""
    match = _DOI.search(text)
    if match is None:
        return ""
    doi = match.group(0)
    while doi and doi[-1] in _DOI_TRAIL and not _balanced_tail(doi):
        doi = doi[:-1]
    return doi.lower()


def _balanced_tail(doi: str) -> bool:
    """A closing bracket that belongs to the DOI itself, as in 10.1016/0307-904X(78)90008-2."""
    pairs = {")": "(", "]": "[", "}": "{"}
    last = doi[-1]
    return last in pairs and doi.count(pairs[last]) >= doi.count(last)


def clean_journal(text: str) -> str:
    """A journal's name on one line; "" for a preprint server's name standing in for one
    ("arXiv preprint arXiv:1810.04805", DBLP's "CoRR"): such a paper has no journal yet."""
    name = fold_spaces(strip_controls(text))
    if "arxiv" in name.lower() or name.lower() == "corr":
        return ""
    return name[:MAX_JOURNAL_CHARS]


def clean_citekey(text: str) -> str:
    """A citation key as BibTeX can write it again (no spaces, braces, quotes, commas, or
    the characters TeX treats specially); "" for anything else."""
    key = text.strip()
    return key if _CITEKEY.fullmatch(key) else ""


def clean_tags(tags: Iterable[str], source: str, line: int) -> tuple[list[str], list[Warning_]]:
    """Tags as reader stores them, each once; a tag too long to keep is left out with a
    warning naming it."""
    kept: dict[str, None] = {}
    warnings: list[Warning_] = []
    for raw in tags:
        words = _TAG_SEPARATORS.split(strip_controls(raw))
        tag = "-".join(word for word in words if word.strip("-"))
        if not tag:
            continue
        if len(tag) > MAX_TAG:
            warnings.append(
                Warning_(
                    source, line, f"tag {tag[:40]!r}... is over {MAX_TAG} characters; left out"
                )
            )
            continue
        kept.setdefault(tag, None)
    return list(kept), warnings


def clean_note(text: str) -> str:
    """A note's Markdown, controls gone, line ends alike, trailing spaces trimmed; its line
    structure (lists, code) is kept as written."""
    text = _TRAILING_SPACE.sub("\n", strip_controls(text).replace("\r", "")).strip()
    return text[:MAX_NOTE_CHARS]


def join_notes(notes: Iterable[str]) -> str:
    """Several notes of one paper as one Markdown text, a rule between them."""
    return "\n\n---\n\n".join(note for note in (clean_note(n) for n in notes) if note)


def file_link(path: str, folder: Path | None) -> str:
    """A file:// link to a PDF (or other file) the library keeps; a relative path is taken
    from folder (where the library file is), and left out ("") without one."""
    path = fold_spaces(strip_controls(path))
    if not path:
        return ""
    if path.startswith("file://"):
        return path
    if _WINDOWS_PATH.match(path):
        return PureWindowsPath(path).as_uri()
    local = Path(path).expanduser()
    if not local.is_absolute():
        if folder is None:
            return ""
        local = folder.absolute() / local
    return Path(os.path.normpath(local)).as_uri()
