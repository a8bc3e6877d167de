"""Paper text made safe to paint.

Titles, abstracts, tags and names are data. Widgets build Content/Segments from them (never
markup), and `plain` drops the control characters that Textual's Content keeps (ESC among
them), so a stray escape sequence can never reach the terminal even if import missed one.
"""

from __future__ import annotations

_CONTROLS: dict[int, str | None] = {
    code: None
    for code in [
        *range(0x00, 0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
    if code != 0x0A
}
_CONTROLS[0x09] = " "


def plain(text: str) -> str:
    """Text without control characters or bidi overrides (newlines kept, tabs as spaces)."""
    return text.translate(_CONTROLS)


def one_line(text: str) -> str:
    return " ".join(plain(text).split())
