"""Zotero's JSON exports: CSL-JSON (a list of CSL items) and Better BibTeX JSON (an object
with "items" in Zotero's own fields and "collections" as a tree).

CSL-JSON items are read one at a time (json_values.iter_list), so one broken item is one
rejection, at its line. Better BibTeX JSON is one document: broken JSON refuses the file in
one line; a bad item inside it is a rejection naming the item. Zotero's CSL-JSON holds no tags,
notes or collections; reader's own (`reader export --format csl-json`) has tags as `keyword`
and the note as `annote`, read back here. Better BibTeX JSON has all three.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from reader.core.importers.build import (
    Draft,
    FieldError,
    Item,
    finish,
    text_of,
    type_name,
)
from reader.core.importers.errors import UnreadableFile
from reader.core.importers.hf_json import load_text
from reader.core.importers.json_values import DECODER, iter_list, json_error
from reader.core.importers.own_fields import file_link
from reader.core.importers.zotero_item import (
    NOT_PAPERS,
    ZoteroItem,
    arxiv_text,
    creator_name,
    item_items,
    zotero_date,
)
from reader.core.model import Rejection

# CSL rich text: <i>, <b>, <sup>, <sub>, <span style=...> and <span class="nocase">.
_CSL_MARKUP = re.compile(r"</?(?:i|b|sup|sub|span)(?:\s[^<>]*)?>", re.IGNORECASE)
_CSL_NAME_PARTS = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")
_JOURNAL_TYPES = ("article-journal", "article-magazine", "article-newspaper")
_MAX_DEPTH = 32  # collections nested deeper than this are cut (and a loop cannot hang us)


def read(stream: BinaryIO, source: str) -> Iterator[Item]:
    text, warning = load_text(stream, source, "JSON")
    if warning:
        yield warning
    start = len(text) - len(text.lstrip(" \t\r\n"))
    if text.startswith("{", start):
        yield from _better_bibtex(text, source)
        return
    line, counted = 1, 0
    for element in iter_list(text, start):
        if element.start >= 0:
            line += text.count("\n", counted, element.start)
            counted = element.start
        if element.error:
            yield Rejection(source, line, element.error)
            continue
        try:
            draft = csl_draft(element.value)
        except FieldError as error:
            yield from _labelled([Rejection(source, line, str(error))], element.value)
            continue
        if draft is not None:
            yield from _labelled(finish(draft, source, line), element.value)


def csl_draft(value: object) -> Draft | None:
    """A Draft from one CSL item (None for an item that is no paper: a note)."""
    if not isinstance(value, dict):
        raise FieldError(f"an item must be a JSON object, not {type_name(value)}")
    if value.get("type") in NOT_PAPERS:
        return None
    texts = {key: text_of(value, key) for key in ("title", "abstract", "DOI", "URL", "note")}
    extra = {}
    for line in texts["note"].splitlines():  # Zotero puts its Extra field here
        name, _, rest = line.partition(":")
        extra[name.strip().lower()] = rest.strip()
    fields = {"url": texts["URL"], "DOI": texts["DOI"], "number": text_of(value, "number")}
    return Draft(
        title=_CSL_MARKUP.sub("", texts["title"]),
        abstract=texts["abstract"],
        authors=[_csl_name(name) for name in _list(value, "author")],
        arxiv_id=arxiv_text(fields, extra),
        published=_issued(value.get("issued")),
        links=[texts["URL"]] if texts["URL"] else [],
        doi=texts["DOI"],
        journal=text_of(value, "container-title") if value.get("type") in _JOURNAL_TYPES else "",
        tags=text_of(value, "keyword").split(","),
        note=text_of(value, "annote"),  # Zotero leaves notes out; reader writes them here
        citekey=text_of(value, "citation-key") or _key_like(text_of(value, "id")),
        own=True,
    )


def _key_like(text: str) -> str:
    """An item id that is a citation key (Better BibTeX's), not Zotero's item URI."""
    return "" if "/" in text or text.isdigit() else text


def _labelled(items: list[Item], value: object) -> list[Item]:
    """Rejections name the item's id, which is how Zotero and Better BibTeX name it."""
    label = str(value.get("id", ""))[:80] if isinstance(value, dict) else ""
    if not label:
        return items
    return [
        Rejection(item.source, item.line, f"item {label}: {item.reason}")
        if isinstance(item, Rejection)
        else item
        for item in items
    ]


def _list(data: dict[str, object], key: str) -> list[dict[str, object]]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise FieldError(f"'{key}' must be a list of objects")
    return value


def _csl_name(name: dict[str, object]) -> str:
    if name.get("literal"):
        return text_of(name, "literal")
    return " ".join(part for key in _CSL_NAME_PARTS if (part := text_of(name, key)))


def _issued(value: object) -> str:
    """CSL's {"date-parts": [[2020, 3, 15]]} (numbers or strings), or its "raw"/"literal"."""
    if not isinstance(value, dict):
        return ""
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            numbers = [int(str(part)) for part in parts[0][:3]]
        except ValueError:
            numbers = []
        if numbers:
            year, *rest = numbers
            return "-".join([f"{year:04d}", *(f"{part:02d}" for part in rest)])
    for key in ("raw", "literal"):
        if isinstance(value.get(key), str):
            return zotero_date(str(value[key]))
    return ""


# -- Better BibTeX JSON --------------------------------------------------------------------


def _better_bibtex(text: str, source: str) -> Iterator[Item]:
    try:
        document = DECODER.decode(text)
    except (ValueError, RecursionError) as error:
        raise UnreadableFile(
            source, f"is not valid Better BibTeX JSON: {json_error(error)}"
        ) from None
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise UnreadableFile(
            source, "is a JSON object without an 'items' list (not Better BibTeX JSON)"
        )
    paths = _collection_paths(document.get("collections"))
    for number, value in enumerate(items, 1):
        try:
            item = _bbt_item(value, paths)
        except FieldError as error:
            yield Rejection(source, number, f"item {_bbt_label(value, number)}: {error}")
            continue
        if item is not None:
            yield from item_items(item, source, number)


def _bbt_item(value: object, paths: dict[str, list[str]]) -> ZoteroItem | None:
    if not isinstance(value, dict):
        raise FieldError(f"an item must be a JSON object, not {type_name(value)}")
    item_type = text_of(value, "itemType")
    if item_type in NOT_PAPERS or value.get("deleted"):
        return None
    fields = {
        key: str(field)
        for key, field in value.items()
        if isinstance(field, str | int) and not isinstance(field, bool)
    }
    creators = [
        (
            text_of(creator, "creatorType") or "author",
            text_of(creator, "name")
            or creator_name(text_of(creator, "firstName"), text_of(creator, "lastName"), False),
        )
        for creator in _list(value, "creators")
    ]
    tags = [
        tag if isinstance(tag, str) else text_of(tag, "tag")
        for tag in value.get("tags") or []
        if isinstance(tag, str | dict)
    ]
    notes = [
        note if isinstance(note, str) else text_of(note, "note")
        for note in value.get("notes") or []
        if isinstance(note, str | dict)
    ]
    files = [
        link
        for attachment in _list(value, "attachments")
        if (
            link := file_link(text_of(attachment, "path") or text_of(attachment, "localPath"), None)
        )
    ]
    member = [*paths.get(fields.get("itemID", ""), []), *paths.get(fields.get("key", ""), [])]
    return ZoteroItem(
        key=_bbt_label(value, 0),
        item_type=item_type,
        fields=fields,
        creators=creators,
        tags=tags,
        collections=list(dict.fromkeys(member)),
        notes=notes,
        files=files,
    )


def _bbt_label(value: object, number: int) -> str:
    """How a message names an item: its item key or citation key, else its place."""
    if isinstance(value, dict):
        for name in ("itemKey", "key", "citationKey"):
            if isinstance(value.get(name), str) and value[name]:
                return value[name][:80]
        if isinstance(value.get("itemID"), int):
            return f"#{value['itemID']}"
    return f"#{number}"


def _collection_paths(collections: object) -> dict[str, list[str]]:
    """item id (or key) -> the "parent/child" paths of the collections holding it."""
    if not isinstance(collections, dict):
        return {}
    nodes = {key: node for key, node in collections.items() if isinstance(node, dict)}
    members: dict[str, list[str]] = {}
    for node in nodes.values():
        names: list[str] = []
        current: dict[str, object] | None = node
        while current is not None and len(names) < _MAX_DEPTH:
            names.append(str(current.get("name", "")).replace("/", "-"))
            parent = current.get("parent")
            current = nodes.get(parent) if isinstance(parent, str) else None
        path = "/".join(reversed(names))
        for member in node.get("items") or []:
            if isinstance(member, str | int) and not isinstance(member, bool):
                members.setdefault(str(member), []).append(path)
    return members
