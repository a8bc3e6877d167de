"""Clean-up of untrusted text at import: text stays text, never markup or escapes."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters (but tab and newline, handled per field), DEL,
# and the bidi overrides/isolates that can disguise text (U+202A-U+202E, U+2066-U+2069).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
# A whole ESC/CSI/OSC sequence goes, not only its ESC byte, so "\x1b[2J" leaves no "[2J".
_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_URL = re.compile(r"https?://[^\s<>\"'\])}]+", re.IGNORECASE)
_URL_TRAIL = ".,;:!?"


def strip_controls(text: str) -> str:
    """Remove terminal escapes, control characters and bidi overrides; keep newlines and tabs."""
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


def clean_title(text: str) -> str:
    """One line: controls gone, all whitespace folded to single spaces."""
    return " ".join(strip_controls(text).split())


def clean_abstract(text: str) -> str:
    """Controls gone, runs of spaces folded, paragraphs (newlines) kept."""
    lines = [_SPACES.sub(" ", line).strip() for line in strip_controls(text).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def clean_author(text: str) -> str:
    return clean_title(text)


def normalize_title(title: str) -> str:
    """The dedupe key: casefolded, accents folded, punctuation and whitespace folded."""
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


def extract_links(text: str) -> list[str]:
    """URLs mentioned in an abstract (code links and the like), in order, once each."""
    seen: dict[str, None] = {}
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_URL_TRAIL)
        seen.setdefault(url, None)
    return list(seen)
