"""papis libraries: a folder of documents, each a folder holding an info.yaml (and the
document's files, and a notes file named by its `notes` key).

Each info.yaml is its own record: a broken one (bad YAML, a title that is a list) is one
rejection naming that file and line, and the rest of the library still imports. Folders are
walked in name order, without following links out of the library.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from reader.core.importers.bib_fields import split_names
from reader.core.importers.build import (
    Draft,
    FieldError,
    Item,
    finish,
    text_of,
    type_name,
)
from reader.core.importers.errors import display_name
from reader.core.importers.lines import decode_legacy
from reader.core.importers.own_fields import MAX_NOTE_CHARS, file_link
from reader.core.model import Rejection, Warning_

INFO = "info.yaml"
WHAT = "no document folder in it has an info.yaml"
MAX_INFO_BYTES = 4 * 1024 * 1024  # real ones are a few KB
# The file is composed into nodes (nothing is constructed, so no tag can run code), and the
# nodes become plain values here, every scalar as the text it was written as: an unquoted id
# like 2103.00020 keeps its last 0, which a float would lose.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = "tag:yaml.org,2002:null"
_TAG_LIST = re.compile(r"\s*[,;]\s*")
_MAX_DEPTH = 3
_ARXIV_KEYS = ("eprint", "arxivid", "arxiv_id", "arxiv")


def is_library(folder: Path) -> bool:
    """Whether folder holds papis documents: */info.yaml (or deeper, in subfolders)."""
    return any(True for _ in _documents(folder, stop_at_first=True))


def read(folder: Path, source: str) -> Iterator[Item]:
    del source  # each document is named by its own info.yaml
    for document in _documents(folder):
        yield from _document(document, display_name(str(document / INFO)))


def _documents(folder: Path, *, stop_at_first: bool = False) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        if len(Path(root).relative_to(folder).parts) >= _MAX_DEPTH:
            dirs.clear()  # documents sit in the library's folders, not deep below them
        if INFO in files and Path(root) != folder:
            yield Path(root)
            if stop_at_first:
                return
            dirs.clear()  # a document's own subfolders hold its files, not more documents


def _document(folder: Path, source: str) -> list[Item]:
    try:
        with open(folder / INFO, "rb") as stream:
            data = stream.read(MAX_INFO_BYTES + 1)
    except OSError as error:
        return [Rejection(source, 0, f"cannot be read: {error.strerror or error}")]
    if len(data) > MAX_INFO_BYTES:
        return [Rejection(source, 1, f"is over {MAX_INFO_BYTES // 2**20} MiB; not an info.yaml")]
    warnings: list[Item] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = decode_legacy(data)
        warnings.append(Warning_(source, 1, "not valid UTF-8; read as Windows-1252 (Latin-1)"))
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or "malformed"
        return [Rejection(source, line, f"not valid YAML: {problem}")]
    try:
        info = _plain(root, set()) if root is not None else None
        draft = info_draft(info, folder)
    except RecursionError:
        return [Rejection(source, 1, "nested too deeply to be an info.yaml")]
    except FieldError as error:
        return [Rejection(source, 1, str(error))]
    note, note_warning = _note(info, folder, source)
    draft.note = note
    return [*finish(draft, source, 1), *warnings, *note_warning]


def _plain(node: Node, seen: set[int]) -> object:
    """Text, lists and mappings from YAML nodes; an alias (a node met twice) is refused, so
    no alias bomb or loop gets through."""
    if id(node) in seen:
        raise FieldError("uses YAML anchors and aliases, which papis never writes")
    seen.add(id(node))
    if isinstance(node, SequenceNode):
        return [_plain(item, seen) for item in node.value]
    if isinstance(node, MappingNode):
        return {str(_plain(key, seen)): _plain(value, seen) for key, value in node.value}
    return None if node.tag == _NULL else str(node.value)


def info_draft(info: object, folder: Path) -> Draft:
    if not isinstance(info, dict):
        raise FieldError(f"an info.yaml must hold a mapping of keys, not {type_name(info)}")
    keys = ("title", "abstract", "doi", "url", "doc_url", "journal", "ref")
    text = {key: text_of(info, key) for key in keys}
    arxiv = next((value for key in _ARXIV_KEYS if (value := text_of(info, key))), "")
    if not arxiv and "arxiv.org" in text["url"]:
        arxiv = text["url"]
    return Draft(
        title=text["title"],
        abstract=text["abstract"],
        authors=_authors(info),
        arxiv_id=arxiv,
        published=_date(info),
        links=[url for url in (text["url"], text["doc_url"]) if url],
        doi=text["doi"],
        journal=text["journal"],
        citekey=text["ref"],
        tags=_tags(info.get("tags")),
        files=[
            link for name in _names(info.get("files"), "files") if (link := file_link(name, folder))
        ],
        own=True,
    )


def _names(value: object, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise FieldError(f"'{key}' must be a list of text, not {type_name(value)}")


def _authors(info: dict[object, object]) -> list[str]:
    """author_list ([{family, given}, ...]) when there is one, else the author text."""
    listed = info.get("author_list")
    if isinstance(listed, list) and listed:
        names = []
        for person in listed:
            if not isinstance(person, dict):
                raise FieldError("each of 'author_list' must be a mapping (family, given)")
            given, family = text_of(person, "given"), text_of(person, "family")
            names.append(" ".join(part for part in (given, family) if part))
        return names
    return split_names(text_of(info, "author"))


def _date(info: dict[object, object]) -> str:
    year = text_of(info, "year").strip()
    month = text_of(info, "month").strip()
    if year and month.isdigit() and 1 <= int(month) <= 12:
        return f"{year}-{int(month):02d}"
    return year or text_of(info, "date")


def _tags(value: object) -> list[str]:
    """papis keeps tags as a list, or (older libraries) as one text split by commas or
    spaces."""
    if value is None:
        return []
    if isinstance(value, str):
        tags = _TAG_LIST.split(value) if "," in value or ";" in value else value.split()
        return [tag for tag in tags if tag]
    if isinstance(value, list):
        return [str(tag) for tag in value if isinstance(tag, str | int)]
    raise FieldError(f"'tags' must be a list or text, not {type_name(value)}")


def _note(info: dict[object, object], folder: Path, source: str) -> tuple[str, list[Item]]:
    """The text of the document's notes file (its `notes` key names it, in its folder)."""
    name = info.get("notes")
    if not isinstance(name, str) or not name.strip():
        return "", []
    path = (folder / name.strip()).resolve()
    if folder.resolve() not in path.parents:
        return "", [Warning_(source, 1, f"notes file {name[:80]!r} is outside the document")]
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_NOTE_CHARS)
    except OSError as error:
        reason = error.strerror or str(error)
        return "", [Warning_(source, 1, f"notes file {name[:80]!r} cannot be read: {reason}")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return decode_legacy(data), []
