"""Paper ids as file names: safe on every OS, reversible, and never a path out of the folder.

`hep-th/9901001` must not become a folder, `../x` must not climb out, `CON` must not be a
Windows device, and two ids must never share a file, even on a case-insensitive disk. So:
lowercase letters, digits, `-` and `_` stay as they are (and `.` when not first or last);
every other byte of the UTF-8 id becomes `%XX` with uppercase hex, so letters outside an
escape are always lowercase and no two names differ only by case. A name that would be too
long keeps a readable prefix and ends in `~` plus a hash of the id (`~` is always escaped
otherwise, so a hashed name can never collide with a reversible one); such a file records its
id on its first line, see notes.py.
"""

from __future__ import annotations

import hashlib
import re

MAX_NAME = 120  # characters of the encoded stem; well under the 255 bytes every FS allows
_PREFIX = 80
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
_ESCAPE = re.compile(r"%[0-9A-F]{2}")
_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"{kind}{n}" for kind in ("com", "lpt") for n in range(10)]
    + ["conin$", "conout$"]
)
HASH_MARK = "~"


def encode(paper_id: str) -> str:
    """The file stem for paper_id (without extension)."""
    if not paper_id:
        raise ValueError("an empty id has no file name")
    data = paper_id.encode("utf-8", "surrogatepass")
    out: list[str] = []
    for i, byte in enumerate(data):
        char = chr(byte)
        dot_inside = char == "." and 0 < i < len(data) - 1
        out.append(char if char in _PLAIN or dot_inside else f"%{byte:02X}")
    stem = "".join(out)
    if stem.split(".", 1)[0] in _WINDOWS_DEVICES:
        stem = f"%{ord(stem[0]):02X}{stem[1:]}"
    if len(stem) <= MAX_NAME:
        return stem
    prefix = stem[:_PREFIX]
    cut = prefix.rfind("%", len(prefix) - 2)  # never end the prefix inside an escape
    if cut != -1:
        prefix = prefix[:cut]
    digest = hashlib.sha256(data).hexdigest()[:24]
    return f"{prefix}{HASH_MARK}{digest}"


def decode(stem: str) -> str | None:
    """The id a reversible stem stands for; None for hashed stems and names we did not write."""
    if HASH_MARK in stem or "%" in _ESCAPE.sub("", stem):
        return None
    data = bytearray()
    i = 0
    while i < len(stem):
        if stem[i] == "%":
            data.append(int(stem[i + 1 : i + 3], 16))
            i += 3
        else:
            data.append(ord(stem[i]))
            i += 1
    try:
        paper_id = bytes(data).decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
    return paper_id if encode(paper_id) == stem else None


def is_hashed(stem: str) -> bool:
    return HASH_MARK in stem
