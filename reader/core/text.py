"""Clean-up of untrusted text at import: text stays text, never markup or escapes."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters (but tab and newline, handled per field), DEL, the bidi
# overrides/isolates/marks that can disguise text, a stray BOM, lone surrogates (they cannot
# be written as UTF-8, so one would break the store) and the two non-characters U+FFFE/U+FFFF.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)
# A whole escape sequence goes, not only its ESC byte, so "\x1b[2J" leaves no "[2J" and an
# OSC 52 clipboard write leaves no payload. String payloads stop at a newline at the latest.
_ESCAPES = re.compile(
    r"(?:\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # OSC/DCS..
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI, 7-bit and 8-bit
    r"|\x1b[ -/]*[0-~]"  # other escapes (charset selection, keypad modes, ...)
    r"|\x1b"  # a lone ESC at the end
)
_ASCII_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_PARAGRAPH = re.compile(r"\r?\n(?:[ \t]+|\s*\n)")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85]")
# Link finding runs on every abstract of a million-paper import, so its patterns start with a
# literal (fast to search for) and the checks around a hit are done by hand.
_TAIL = r"[^\s<>\"'()\[\]{}]+"
_URL = re.compile("://" + _TAIL)
# Code hosts that abstracts often name without a scheme ("code at github.com/a/b").
_BARE = tuple(
    (host, re.compile(re.escape(host) + _TAIL))
    for host in ("www.", "github.com/", "gitlab.com/", "huggingface.co/")
)
_URL_TRAIL = ".,;:!?"


def strip_controls(text: str) -> str:
    """Remove terminal escapes, control characters and bidi overrides; keep newlines and tabs.

    Line breaks of any kind become "\\n" and the text is NFC-normalized, so the same title from
    two sources looks and compares alike.
    """
    if not _is_clean(text):
        text = _ESCAPES.sub("", text)
        text = _LINE_BREAKS.sub("\n", text)
        text = _CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


def _is_clean(text: str) -> bool:
    """Nothing for strip_controls to do: the common case, so it is checked the fast way."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_CONTROLS)) == len(text)
    # Everything strip_controls removes is non-printable (Cc, Cf, Cs, Zl, Zp, Cn).
    return text.replace("\n", "").replace("\t", "").isprintable()


def clean_title(text: str) -> str:
    """One line: controls gone, all whitespace folded to single spaces."""
    return " ".join(strip_controls(text).split())


def clean_abstract(text: str) -> str:
    """Controls gone, runs of spaces folded, paragraphs (newlines) kept."""
    out: list[str] = []
    for raw in strip_controls(text).split("\n"):
        odd = "  " in raw or "\t" in raw or not raw.isascii()  # the slow path only if needed
        line = " ".join(raw.split()) if odd else raw.strip()
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def unwrap_lines(text: str) -> str:
    """Join hard-wrapped lines (arXiv wraps abstracts at ~80 columns) into paragraphs.

    A new paragraph starts at a blank line or an indented line, as in arXiv's own abstracts.
    """
    if "\n" not in text.strip():
        return text
    paragraphs = (" ".join(part.split()) for part in _PARAGRAPH.split(text.strip()))
    return "\n".join(part for part in paragraphs if part)


def clean_author(text: str) -> str:
    return clean_title(text)


def normalize_title(title: str) -> str:
    """The dedupe key: casefolded, accents folded, punctuation and whitespace folded."""
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


def extract_links(text: str) -> list[str]:
    """URLs mentioned in an abstract (code links and the like), in order, once each.

    Only http(s) links: a bare "github.com/a/b" gets "https://", nothing else is guessed.
    """
    found: list[tuple[int, str]] = []
    for match in _URL.finditer(text):
        start = match.start()
        before = text[max(0, start - 5) : start].lower()
        scheme = "https" if before.endswith("https") else "http" if before.endswith("http") else ""
        begin = start - len(scheme)
        if scheme and not (begin and text[begin - 1].isalnum()):
            found.append((begin, scheme + match.group(0).rstrip(_URL_TRAIL)))
    if ".co" in text or "www." in text or not text.isascii() or ".CO" in text or "WWW." in text:
        found += _bare_links(text)
    seen: dict[str, None] = {}
    for _, url in sorted(found):
        if "." in url.partition("://")[2].split("/", 1)[0]:  # a host with a dot, not "https://x"
            seen.setdefault(url, None)
    return list(seen)


def _bare_links(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter changed length: offsets would not match
        return found
    for host, pattern in _BARE:
        if lowered.count(host) <= lowered.count("/" + host):
            continue  # none, or each one already inside a URL with a scheme
        for match in pattern.finditer(lowered):
            start = match.start()
            if start and (lowered[start - 1].isalnum() or lowered[start - 1] in "./@:-_"):
                continue  # part of a longer name, or of a URL with a scheme
            found.append((start, "https://" + text[start : match.end()].rstrip(_URL_TRAIL)))
    return found
