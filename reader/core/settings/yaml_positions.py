"""Read a small YAML file with PyYAML's SafeLoader and keep where each mapping key sits.

Config and theme files are read exactly as `yaml.safe_load` reads them (same loader, same
types), but the node tree is kept too, so a notice about a key can name FILE:LINE:COL.
A file bigger than any settings file needs, or nested deeper than MAX_DEPTH, is refused before
a node tree is built (see reader.core.yaml_limits): never a crash, always FILE:LINE:COL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reader.core.yaml_limits import TooDeep, check_depth

KeyPath = tuple[str | int, ...]
MAX_BYTES = 2**20  # a config or theme file is a few hundred bytes


class YamlFileError(Exception):
    """A file that is not valid YAML (or not text); str() is 'FILE:LINE:COL: reason'."""

    def __init__(self, path: Path, reason: str, line: int = 0, column: int = 0) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else str(self.path)
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class Loaded:
    """The file's data as safe_load gives it, the root node, and each key's position."""

    path: Path
    data: object
    root: Node | None
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, key_path: KeyPath) -> str:
        """FILE:LINE:COL of the nearest key on key_path the file has a position for."""
        probe = key_path
        while probe and probe not in self.marks:
            probe = probe[:-1]
        if probe in self.marks:
            line, column = self.marks[probe]
            return f"{self.path}:{line}:{column}"
        return str(self.path)


def load_text(text: str, path: Path) -> Loaded:
    """Parse text with SafeLoader; raises YamlFileError with line and column."""
    if len(text) > MAX_BYTES:
        raise YamlFileError(path, _too_big(len(text)))
    loader = yaml.SafeLoader(text)
    try:
        check_depth(yaml.parse(text, Loader=yaml.SafeLoader))
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or "not valid YAML"
        if error.context and error.problem:
            reason = f"{error.problem} ({error.context})"
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = " ".join(reason.split())
        raise YamlFileError(path, f"not valid YAML: {reason}", line, column) from None
    except TooDeep as error:
        raise YamlFileError(path, error.reason, error.line, error.column) from None
    except yaml.reader.ReaderError as error:
        raise YamlFileError(path, f"not valid YAML: {error.reason}") from None
    except yaml.YAMLError as error:
        raise YamlFileError(path, f"not valid YAML: {' '.join(str(error).split())}") from None
    except (ValueError, OverflowError, RecursionError) as error:  # e.g. a date like 2024-02-30
        raise YamlFileError(path, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()
    loaded = Loaded(path, data, root)
    if root is not None:
        _collect_marks(root, (), loaded.marks)
    return loaded


def load_file(path: Path) -> Loaded:
    """Read and parse path; raises OSError if unreadable, YamlFileError if not YAML text."""
    return load_text(read_text(path), path)


def read_text(path: Path) -> str:
    """The text of a settings file; OSError if unreadable, YamlFileError if too big for one
    or not UTF-8 (checked before it is read whole)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_BYTES:
            raise YamlFileError(path, _too_big(size))
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:  # it grew while we looked
        raise YamlFileError(path, _too_big(len(raw)))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlFileError(path, "not UTF-8 text", line, column) from None


def _too_big(size: int) -> str:
    return f"too big for a settings file ({size:,} bytes; at most {MAX_BYTES:,})"


def _collect_marks(node: Node, key_path: KeyPath, marks: dict[KeyPath, tuple[int, int]]) -> None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                continue
            path = (*key_path, key_node.value)
            marks[path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _collect_marks(value_node, path, marks)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            path = (*key_path, index)
            marks[path] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _collect_marks(item, path, marks)


def top_level_value_node(root: Node | None, key: str) -> tuple[ScalarNode, Node] | None:
    """The last (key node, value node) pair for key in a top-level mapping, as safe_load
    keeps the last of duplicate keys."""
    if not isinstance(root, MappingNode):
        return None
    found = None
    for key_node, value_node in root.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            found = (key_node, value_node)
    return found
