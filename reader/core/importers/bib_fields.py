"""BibTeX field values to what a Draft holds: macros and "#" joins resolved, names split,
dates, arXiv ids and file links read. The parser (bibtexparser) gives each value raw."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from reader.core.ids import arxiv_id
from reader.core.importers.build import Draft
from reader.core.importers.latex import closing_brace, latex_to_text
from reader.core.importers.own_fields import file_link

MONTHS = {
    name: str(number)
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_WORD_END = re.compile(r"[\s#]")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_COMMA = re.compile(",")
_BRACE = re.compile(r"\\.|[{}]", re.DOTALL)
_YEAR = re.compile(r"\d{4}")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n\s*")
_URL_ESCAPE = re.compile(r"\\([_%&#$~])")
_URL_COMMAND = re.compile(r"\\url\{([^}]*)\}")
_FILE_SPLIT = re.compile(r"(?<!\\);")
_FILE_PARTS = re.compile(r"(?<!\\):")
_KEYWORD_SPLIT = re.compile(r"[,;]")
_NOTE_FIELDS = ("note", "annote", "annotation")


def evaluate(raw: str, strings: dict[str, str]) -> str:
    """The text of a raw value: {braced} and "quoted" parts, numbers and @string macros,
    joined with "#". An unknown macro stands for its own name (BibTeX would leave a hole)."""
    if raw.startswith("{") and raw.endswith("}"):  # the usual value: one braced group
        inner = raw[1:-1]
        if ("{" not in inner and "}" not in inner) or closing_brace(raw, 0) == len(raw) - 1:
            return inner
    parts: list[str] = []
    pos, end = 0, len(raw)
    while pos < end:
        char = raw[pos]
        if char in " \t\r\n#":
            pos += 1
        elif char == "{":
            close = closing_brace(raw, pos)
            parts.append(raw[pos + 1 : close])
            pos = close + 1
        elif char == '"':
            close = _closing_quote(raw, pos + 1)
            parts.append(raw[pos + 1 : close])
            pos = close + 1
        else:
            match = _WORD_END.search(raw, pos)
            stop = match.start() if match else end
            word = raw[pos:stop]
            parts.append(word if word.isdigit() else _macro(word, strings))
            pos = stop
    return "".join(parts)


def _macro(word: str, strings: dict[str, str]) -> str:
    name = word.lower()
    if name in strings:
        return strings[name]
    return MONTHS.get(name, word)


def _closing_quote(raw: str, pos: int) -> int:
    """A quoted part ends at a '"' outside braces (braces may hold quotes: {"})."""
    depth = 0
    for index in range(pos, len(raw)):
        char = raw[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and depth == 0:
            return index
    return len(raw)


def entry_draft(fields: dict[str, str], folder: Path | None, key: str = "") -> Draft:
    """A Draft from an entry's evaluated fields (names lower case) and its key."""
    get = fields.get
    notes = [name for name in _NOTE_FIELDS if fields.get(name, "").strip()]
    return Draft(
        title=latex_to_text(get("title", "")),
        abstract=_paragraphs(latex_to_text(get("abstract", ""))),
        authors=split_names(get("author", "")),
        arxiv_id=_arxiv(fields),
        published=entry_date(fields),
        categories=_primary_class(fields),
        links=[url] if (url := _url(fields)) else [],
        doi=_URL_ESCAPE.sub(r"\1", get("doi", "")),  # 10.1000/a\_b is 10.1000/a_b
        journal=latex_to_text(get("journal") or get("journaltitle") or ""),
        tags=[tag for tag in _KEYWORD_SPLIT.split(latex_to_text(get("keywords", ""))) if tag],
        note="\n\n".join(note_text(fields[name]) for name in notes),
        files=[link for path in file_paths(get("file", "")) if (link := file_link(path, folder))],
        citekey=key,
        own=True,
    )


def split_names(value: str) -> list[str]:
    """ "Vaswani, Ashish and {World Health Organization} and others" -> ["Ashish Vaswani",
    "World Health Organization"]: "Last, First", "Last, Jr, First", "First Last" and braced
    corporate names; "and" inside braces does not split."""
    if not value.strip():
        return []
    names = []
    for part in _top_level_split(value, _AND):
        part = part.strip()
        if part and part.lower() != "others":
            names.append(" ".join(_display_name(part).split()))
    return [name for name in names if name]


def _display_name(part: str) -> str:
    if part.startswith("{") and closing_brace(part, 0) == len(part) - 1:
        return latex_to_text(part[1:-1])  # a corporate name, kept whole
    pieces = [piece.strip() for piece in _top_level_split(part, _COMMA)]
    if len(pieces) == 2:
        last, first = pieces
        pieces = [first, last]
    elif len(pieces) >= 3:
        last, junior, first = pieces[0], pieces[1], ", ".join(pieces[2:])
        pieces = [first, last, junior]
    return latex_to_text(" ".join(piece for piece in pieces if piece))


def _top_level_split(text: str, separator: re.Pattern[str]) -> list[str]:
    """text split at separator matches outside braces."""
    if "{" not in text:
        return separator.split(text)
    parts: list[str] = []
    depth, start, scanned = 0, 0, 0
    for match in separator.finditer(text):
        for brace in _BRACE.finditer(text, scanned, match.start()):
            depth += {"{": 1, "}": -1}.get(brace.group(0), 0)
        scanned = match.start()
        if depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


def entry_date(fields: dict[str, str]) -> str:
    """BibLaTeX's date (the start of a range), else year and month: "2019", "2019-03"."""
    date = fields.get("date", "").strip()
    if date:
        return date.split("/")[0].strip()
    year = fields.get("year", "").strip()
    found = _YEAR.search(year)
    if not found:
        return year  # not a year: the import warns that it is unreadable
    month = _month(fields.get("month", ""))
    return f"{found.group(0)}-{month:02d}" if month else found.group(0)


def _month(text: str) -> int:
    text = latex_to_text(text).strip().lower()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else 0
    return int(MONTHS.get(text[:3], "0"))


def _arxiv(fields: dict[str, str]) -> str:
    """The text holding the arXiv id: eprint when its archive is arXiv (or unsaid and it looks
    like one), else an arxiv.org URL, else a journal or note that names arXiv."""
    eprint = fields.get("eprint", "").strip()
    archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if eprint and (archive == "arxiv" or (not archive and arxiv_id(eprint))):
        return eprint
    for name in ("url", "journal", "note", "howpublished"):
        value = fields.get(name, "")
        if "arxiv" in value.lower() and arxiv_id(value):
            return value
    return ""


def _primary_class(fields: dict[str, str]) -> list[str]:
    """The arXiv category of an arXiv eprint (`primaryclass`, BibLaTeX's `eprintclass`)."""
    archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    category = (fields.get("primaryclass") or fields.get("eprintclass") or "").strip()
    return [category] if category and archive in ("arxiv", "") and " " not in category else []


def _url(fields: dict[str, str]) -> str:
    url = fields.get("url", "").strip()
    if not url:
        found = _URL_COMMAND.search(fields.get("howpublished", ""))
        url = found.group(1) if found else ""
    return _URL_ESCAPE.sub(r"\1", url.strip("{} "))


def _paragraphs(text: str) -> str:
    """TeX's rule: a blank line ends a paragraph; a single line break is a space."""
    return "\n".join(" ".join(part.split()) for part in _PARAGRAPHS.split(text.strip()))


def note_text(value: str) -> str:
    """A note's Markdown: its lines kept as written (lists, paragraphs), less the indent an
    editor gives a field's continuation lines. A value that starts on its own line (as reader
    writes notes) is dedented whole; else its lines after the first."""
    text = latex_to_text(value)
    first, newline, rest = text.partition("\n")
    if not first.strip():
        return textwrap.dedent(rest)
    return first + newline + textwrap.dedent(rest)


def file_paths(value: str) -> list[str]:
    """The paths in a `file` field: "/a.pdf", JabRef's "Description:path:Type;..." and
    Mendeley's ":path:pdf", with "\\:" and "\\;" escapes (Windows drives, in JabRef)."""
    paths = []
    for item in _FILE_SPLIT.split(value):
        parts = _FILE_PARTS.split(item.strip())
        if len(parts) >= 3:
            path = ":".join(parts[1:-1])
        elif len(parts) == 2 and len(parts[0]) == 1 and parts[0].isalpha():
            path = ":".join(parts)  # C:\papers\x.pdf, written unescaped
        else:
            path = parts[-1]
        path = path.replace("\\:", ":").replace("\\;", ";").replace("\\\\", "\\").strip()
        if path:
            paths.append(path)
    return paths
