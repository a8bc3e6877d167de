"""The one exception a whole unusable file raises, and safe file names for messages."""

from __future__ import annotations

import re

# Control characters, lone surrogates (an undecodable file name) and bidi overrides would
# garble a terminal or fail to print, so a name shows them as \\x.. escapes instead.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class UnreadableFile(Exception):
    """A whole file is unusable (empty, binary, unknown format, ...).

    The message is one line naming the file and the reason. It is raised before any record of
    the file is yielded; later trouble inside a file is a Rejection instead.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


def display_name(name: str) -> str:
    """A file name fit for a one-line message: every unsafe character escaped."""
    return _UNSAFE.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 name (Python's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"
