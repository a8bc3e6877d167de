"""Reading the user's YAML files: safe and exact, with positions for every error.

Reading goes through `yaml.compose` with PyYAML's SafeLoader: the file becomes a tree of nodes
and nothing is ever constructed, so `!!python/object/apply:os.system` is only a tag we refuse.
Every plain scalar is kept as the text the user wrote (an id `2401.10000` stays that, not the
float 2401.1; a tag `yes` stays `yes`, not True). Each value remembers its line and column so a
wrong shape can be reported as FILE:LINE:COL with its key path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reader.core.userdata.errors import UserFileError

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KeyPath = tuple[str | int, ...]
Value = dict[str, "Value"] | list["Value"] | str | None


@dataclass(slots=True)
class Parsed:
    """A file's plain data (dicts, lists, text, None) and where each value sits in the file."""

    path: Path
    data: Value
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def error(self, key_path: KeyPath, message: str) -> UserFileError:
        """An error at key_path, placed at the nearest value the file has a position for."""
        probe = key_path
        while probe and probe not in self.marks:
            probe = probe[:-1]
        line, column = self.marks.get(probe, (0, 0))
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
    try:
        root = yaml.compose(text, Loader=_LOADER)
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
    parsed = Parsed(path, None)
    if root is not None:
        parsed.data = _convert(root, (), parsed, set())
    return parsed


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _convert(node: Node, key_path: KeyPath, parsed: Parsed, seen: set[int]) -> Value:
    here = (node.start_mark.line + 1, node.start_mark.column + 1)
    parsed.marks[key_path] = here
    if id(node) in seen:
        raise UserFileError(parsed.path, "anchors and aliases (& and *) are not supported", *here)
    seen.add(id(node))
    if node.tag not in _ALLOWED_TAGS:
        raise UserFileError(
            parsed.path,
            f"the tag {node.tag.replace(_CORE, '!!')} is not allowed in reader's files",
            *here,
            format_key_path(key_path),
        )
    if isinstance(node, ScalarNode):
        return None if node.tag == _CORE + "null" else node.value
    if isinstance(node, SequenceNode):
        return [_convert(item, (*key_path, i), parsed, seen) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Value] = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, (*key_path, "<key>"), parsed, seen)
            key_mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key, str) or not key:
                raise UserFileError(
                    parsed.path, "a key must be text", *key_mark, format_key_path(key_path)
                )
            if key in result:
                raise UserFileError(
                    parsed.path, f"duplicate key {key!r}", *key_mark, format_key_path(key_path)
                )
            result[key] = _convert(value_node, (*key_path, key), parsed, seen)
        parsed.marks.pop((*key_path, "<key>"), None)
        return result
    raise UserFileError(parsed.path, "unsupported YAML node", *here)  # pragma: no cover
