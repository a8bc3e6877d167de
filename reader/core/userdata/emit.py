"""Writing the user's YAML files: deterministic, readable, and fast on big files.

The shapes are fixed (mappings of text, lists of text), so a small emitter does the job in a
fraction of PyYAML's time (read.yaml grows by one line per paper opened, and is saved each
time). Every scalar is written plain only when it reads back as the same text under YAML 1.1
(PyYAML's own resolver decides: `2401.10000`, `yes`, `1:20` and dates get quotes); else single
quotes when every character is printable, else double quotes with escapes. Keys are sorted, so a
save that changes nothing writes the same bytes and two machines' edits merge as small diffs.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml
from yaml.nodes import ScalarNode

_STR = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
# Plain scalars: no indicator first, no ': ' or ' #' inside; colons only between other chars
# (t:0123abcd), and none in flow lists, where PyYAML reads ':' as an indicator.
_PLAIN_BLOCK = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./+@-]*(?::[A-Za-z0-9_./+@-]+)*")
_PLAIN_FLOW = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./+@-]*")
_MAX_IMPLICIT_KEY = 1000  # YAML limits a key on one line to 1024 characters
_COMMENT = re.compile(r"(^|\s)#")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}
# Any character _printable refuses: one search a scalar, not a call a character. It names
# the few ranges refused: the class of those accepted, up to U+10FFFF, is slow to compile.
_NOT_PRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _printable(char: str) -> bool:
    """Safe raw inside quotes: printable, and not a line break YAML would fold."""
    code = ord(char)
    return (
        0x20 <= code <= 0x7E
        or (0xA0 <= code <= 0xD7FF and char not in "\u2028\u2029")
        or (0xE000 <= code <= 0xFFFD and char != "\ufeff")
        or 0x10000 <= code <= 0x10FFFF
    )


@lru_cache(maxsize=1 << 16)
def scalar(text: str, flow: bool = False) -> str:
    """text as a YAML scalar that reads back as exactly text."""
    plain = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    if plain.fullmatch(text) and _RESOLVER.resolve(ScalarNode, text, (True, False)) == _STR:
        return text
    if not _NOT_PRINTABLE.search(text):
        return "'" + text.replace("'", "''") + "'"
    return '"' + "".join(_escape(char) for char in text) + '"'


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if _printable(char):
        return char
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def _value(value: object, flow: bool) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return scalar(str(value), flow)


def _emit(out: list[str], key: str, value: object, indent: int, flow_lists: bool) -> None:
    pad = " " * indent
    name = scalar(key)
    if len(name) > _MAX_IMPLICIT_KEY:  # too long for `key: value`: `? key` then `: value`
        out.append(f"{pad}? {name}")
        name = ""
    if isinstance(value, dict) and value:
        out.append(f"{pad}{name}:")
        inner = pad + "  "
        for sub in sorted(value):
            item = value[sub]
            key_text = scalar(sub)
            if len(key_text) > _MAX_IMPLICIT_KEY:
                _emit(out, str(sub), item, indent + 2, flow_lists)
            elif isinstance(item, str):  # the common lines (an id and a date, an id and its
                out.append(f"{inner}{key_text}: {scalar(item)}")  # tags) take the short way
            elif flow_lists and isinstance(item, list) and all(isinstance(i, str) for i in item):
                out.append(f"{inner}{key_text}: [{', '.join(scalar(i, True) for i in item)}]")
            else:
                _emit(out, str(sub), item, indent + 2, flow_lists)
    elif isinstance(value, dict):
        out.append(f"{pad}{name}: {{}}")
    elif isinstance(value, list | tuple) and value and not flow_lists:
        out.append(f"{pad}{name}:")
        out.extend(f"{pad}  - {_value(item, False)}" for item in value)
    elif isinstance(value, list | tuple):
        out.append(f"{pad}{name}: [{', '.join(_value(item, True) for item in value)}]")
    else:
        out.append(f"{pad}{name}: {_value(value, False)}")


def dump(doc: dict[str, object], header: str, *, flow_lists: bool = True) -> str:
    """The canonical text of doc: header comment, doc's own keys in the order given (version
    first), every mapping below them sorted by key; lists on one line unless flow_lists is off."""
    out = header_text(header).splitlines()
    for key, value in doc.items():
        _emit(out, key, value, 0, flow_lists)
    return "\n".join(out) + "\n"


def header_text(header: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())


def has_user_comments(text: str, header: str) -> bool:
    """True if text holds comments beyond our header, which a save would not keep."""
    ours = header_text(header)
    if "#" not in text.removeprefix(ours):  # the usual case, checked without a line loop
        return False
    ours = set(ours.splitlines())
    return any(_COMMENT.search(line) for line in text.splitlines() if line not in ours)
