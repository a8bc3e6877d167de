"""Reading the user's YAML files: safe and exact, with positions for every error.

Nothing is ever constructed: the file is read event by event (PyYAML's parser, in C when
libyaml is there) into plain dicts, lists and text, so `!!python/object/apply:os.system` is
only a tag we refuse. Every plain scalar is kept as the text the user wrote (an id `2401.10000`
stays that, not the float 2401.1; a tag `yes` stays `yes`, not True). The parser keeps its own
stack and so does the builder here: no recursion, and a file nested deeper than MAX_DEPTH is an
error at its line and column, not a crash.

Where each value sits is worked out only when an error needs it (a second reading that
remembers every position): a big file in good shape is read once, and no faster way to hold
its positions would be cheaper than not holding them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from reader.core.userdata.errors import UserFileError
from reader.core.yaml_limits import MAX_DEPTH

_CORE = "tag:yaml.org,2002:"
_NULL = _CORE + "null"
_ALLOWED_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
# What YAML 1.1 resolves a plain scalar to null, and to a tag we refuse (merge and value keys).
_IMPLICIT_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_IMPLICIT_REFUSED = frozenset({"<<", "="})

KeyPath = tuple[str | int, ...]
Value = dict[str, "Value"] | list["Value"] | str | None
Marks = dict[KeyPath, tuple[int, int]]


@dataclass(slots=True)
class Parsed:
    """A file's plain data (dicts, lists, text, None); where each value sits is worked out
    from `text` when an error first asks."""

    path: Path
    data: Value
    text: str = ""
    _marks: Marks | None = field(default=None, repr=False)

    @property
    def marks(self) -> Marks:
        if self._marks is None:
            self._marks = {}
            _build(self.text, self.path, self._marks)
        return self._marks

    def error(self, key_path: KeyPath, message: str) -> UserFileError:
        """An error at key_path, placed at the nearest value the file has a position for."""
        marks = self.marks
        probe = key_path
        while probe and probe not in marks:
            probe = probe[:-1]
        line, column = marks.get(probe, (0, 0))
        return UserFileError(self.path, message, line, column, format_key_path(key_path))


def format_key_path(key_path: KeyPath) -> str:
    parts = []
    for part in key_path:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}" if parts else part)
    return "".join(parts)


def parse(raw: bytes, path: Path) -> Parsed:
    """The file's data, or a UserFileError naming line and column; nothing is constructed."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise UserFileError(path, "not UTF-8 text", line, column) from None
    return Parsed(path, _build(text, path, None), text)


def _build(text: str, path: Path, marks: Marks | None) -> Value:
    """The file's data; with marks, also where each value sits."""
    loader = _LOADER(text)
    try:
        return _Builder(path, marks).run(loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or "not valid YAML"
        if error.context and error.problem:
            reason = f"{error.problem} ({error.context})"
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise UserFileError(path, f"not valid YAML: {reason}", line, column) from None
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        raise UserFileError(path, f"not valid YAML: {error.reason}", line, column) from None
    except yaml.YAMLError as error:
        raise UserFileError(path, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_NO_KEY = object()


class _Open:
    """A mapping or list being filled, where it sits, and (in a mapping) the key read last."""

    __slots__ = ("container", "key", "path")

    def __init__(self, container: dict[str, Value] | list[Value], path: KeyPath) -> None:
        self.container = container
        self.path = path
        self.key: object = _NO_KEY


class _Builder:
    """Events in, plain values out, with an explicit stack in place of recursion."""

    def __init__(self, path: Path, marks: Marks | None) -> None:
        self.path = path
        self.marks = marks
        self.stack: list[_Open] = []
        self.root: Value = None

    def fail(self, message: str, event: yaml.Event, key_path: KeyPath = ()) -> UserFileError:
        mark = event.start_mark
        where = format_key_path(key_path)
        return UserFileError(self.path, message, mark.line + 1, mark.column + 1, where)

    def run(self, loader: yaml.BaseLoader) -> Value:
        documents = 0
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is ScalarEvent:
                self.scalar(event)
            elif kind is MappingStartEvent:
                self.start(event, {}, MappingNode)
            elif kind is SequenceStartEvent:
                self.start(event, [], SequenceNode)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                self.stack.pop()
            elif kind is AliasEvent:
                raise self.fail("anchors and aliases (& and *) are not supported", event)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fail("not valid YAML: a second document (one file holds one)", event)
            elif kind is StreamEndEvent:
                return self.root

    def scalar(self, event: ScalarEvent) -> None:
        value, tag = event.value, event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                self.put(value, event)  # quoted: text, whatever it says
                return
            if value in _IMPLICIT_NULLS:
                self.put(None, event)
                return
            if value not in _IMPLICIT_REFUSED:
                self.put(value, event)  # plain: int, float, bool, timestamp or text, kept as text
                return
            tag = _RESOLVER.resolve(ScalarNode, value, event.implicit)
        self.check_tag(tag, event)
        self.put(None if tag == _NULL else value, event)

    def start(self, event: yaml.Event, container: dict | list, node: type) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep", event)
        tag = event.tag  # type: ignore[attr-defined]
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(node, None, event.implicit)  # type: ignore[attr-defined]
        self.check_tag(tag, event)
        path = self.next_path()
        self.put(container, event)
        self.stack.append(_Open(container, path))

    def check_tag(self, tag: str, event: yaml.Event) -> None:
        if tag not in _ALLOWED_TAGS:
            message = f"the tag {tag.replace(_CORE, '!!')} is not allowed in reader's files"
            raise self.fail(message, event, self.next_path())

    def next_path(self) -> KeyPath:
        """The key path of the value read next."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        if top.key is _NO_KEY:
            return (*top.path, "<key>")
        return (*top.path, top.key)  # type: ignore[misc]

    def put(self, value: Value, event: yaml.Event) -> None:
        """Place value where it belongs (a key, a mapping's value, a list item, the root)."""
        top = self.stack[-1] if self.stack else None
        if top is not None and top.key is _NO_KEY and type(top.container) is dict:
            if not isinstance(value, str) or not value:
                raise self.fail("a key must be text", event, top.path)
            if value in top.container:
                raise self.fail(f"duplicate key {value!r}", event, top.path)
            top.key = value
            return
        if self.marks is not None:
            mark = event.start_mark
            self.marks[self.next_path()] = (mark.line + 1, mark.column + 1)
        if top is None:
            self.root = value
        elif type(top.container) is list:
            top.container.append(value)
        else:
            top.container[top.key] = value  # type: ignore[index]
            top.key = _NO_KEY
