"""Reading a text file line by line in bounded memory, decoding each line forgivingly.

A line longer than MAX_LINE_BYTES (limits.py) is never held whole: it is skipped in chunks
and reported, so a 100 MB line costs no more memory than a short one.

Encoding decision: UTF-8 (a BOM is dropped). A line that is not valid UTF-8 is decoded as
Windows-1252 (a superset of Latin-1's printable characters) rather than rejected, so an old
Latin-1 export still imports; the first such line gets one Warning_ per file, naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from reader.core.importers.limits import MAX_LINE_BYTES
from reader.core.model import Warning_

_SKIP_CHUNK = 1024 * 1024
_BOM = b"\xef\xbb\xbf"


def iter_raw_lines(
    stream: BinaryIO, limit: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, bytes | None]]:
    """(1-based line number, the line's bytes without its line break), or None for a line
    longer than limit, which was skipped unread."""
    number = 0
    readline = stream.readline
    while True:
        raw = readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield number, None
            continue
        if number == 1 and raw.startswith(_BOM):
            raw = raw[3:]
        yield number, raw.rstrip(b"\r\n")


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(_SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


class LineDecoder:
    """UTF-8 per line, with the Windows-1252 fallback and its one warning per file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.fell_back = False

    def decode(self, raw: bytes, number: int) -> tuple[str, Warning_ | None]:
        try:
            return raw.decode("utf-8"), None
        except UnicodeDecodeError:
            pass
        text = decode_legacy(raw)
        if self.fell_back:
            return text, None
        self.fell_back = True
        warning = Warning_(
            self.source,
            number,
            "not valid UTF-8; read as Windows-1252 (Latin-1): check accented letters here "
            "and in later lines like it",
        )
        return text, warning


def decode_legacy(raw: bytes) -> str:
    """Windows-1252, with Latin-1 for the five bytes it leaves undefined: never fails."""
    return raw.decode("latin-1").translate(_CP1252)


# Latin-1 and Windows-1252 differ only in 0x80-0x9F, where 1252 has printable characters.
_CP1252 = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
