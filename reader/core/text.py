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
# An ASCII title's key, a byte at a time: letters lowered, digits kept, anything else a space.
_ASCII_KEY = bytes.maketrans(
    bytes(range(128)),
    "".join(ch.lower() if ch.isalnum() else " " for ch in map(chr, range(128))).encode("ascii"),
)
_PARAGRAPH = re.compile(r"\n(?:[ \t]+|\s*\n)")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85]")
# Link finding runs on every abstract of a million-paper import, so its patterns start with a
# literal (fast to search for) and the checks around a hit are done by hand.
_TAIL = r"[^\s<>\"'()\[\]{}]+"
_URL = re.compile("://" + _TAIL)
# Code hosts that abstracts often name without a scheme ("code at github.com/a/b").
_BARE = re.compile(r"(?:www\.|(?:github|gitlab)\.com/|huggingface\.co/)" + _TAIL)
_BARE_NAMES = ("github", "gitlab", "huggingface")
_URL_TRAIL = ".,;:!?"


def strip_controls(text: str) -> str:
    """Remove terminal escapes, control characters and bidi overrides; keep newlines and tabs.

    Line breaks of any kind become "\\n" and the text is NFC-normalized, so the same title from
    two sources looks and compares alike.
    """
    if is_plain(text):
        return text
    if _printable(text):  # only not NFC yet
        return unicodedata.normalize("NFC", text)
    text = _ESCAPES.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    return unicodedata.normalize("NFC", _CONTROLS.sub("", text))


def is_plain(text: str) -> bool:
    """Whether strip_controls would leave text as it is: true of nearly all real text, so an
    importer checks a record's fields once, together, and then only folds their spaces."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_CONTROLS)) == len(text)
    return _printable(text) and unicodedata.is_normalized("NFC", text)


def _printable(text: str) -> bool:
    # Everything strip_controls removes is non-printable (Cc, Cf, Cs, Zl, Zp, Cn).
    return text.replace("\n", "").replace("\t", "").isprintable()


def clean_title(text: str) -> str:
    """One line: controls gone, all whitespace folded to single spaces."""
    return fold_spaces(strip_controls(text))


def clean_abstract(text: str) -> str:
    """Controls gone, runs of spaces folded, paragraphs (newlines) kept."""
    return fold_paragraphs(strip_controls(text))


def clean_author(text: str) -> str:
    return clean_title(text)


def clean_names(names: list[str]) -> list[str]:
    """clean_title for each of many short strings (authors, categories), empty ones dropped,
    duplicates once."""
    plain = is_plain("".join(names))
    cleaned = (fold_spaces(name) if plain else clean_title(name) for name in names)
    return list(dict.fromkeys(name for name in cleaned if name))


# The three below expect text that went through strip_controls (or is_plain), where the only
# ASCII whitespace left is space, tab and newline; that is what lets them skip most work.


def fold_spaces(text: str) -> str:
    """All whitespace runs to one space, ends trimmed (as " ".join(text.split()))."""
    if "  " in text or "\t" in text or "\n" in text or not text.isascii():
        return " ".join(text.split())
    return text.strip()


def fold_paragraphs(text: str) -> str:
    """Spaces folded within lines; at most one blank line between paragraphs."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = fold_spaces(raw)
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def unwrap_lines(text: str) -> str:
    """Join hard-wrapped lines (arXiv wraps abstracts at ~80 columns) into paragraphs, one a
    line, spaces folded. A paragraph starts at a blank line or an indented line, as in arXiv's
    own abstracts."""
    text = text.strip()
    if "\n" not in text:
        return fold_spaces(text)
    parts = _PARAGRAPH.split(text) if "\n " in text or "\n\n" in text or "\n\t" in text else [text]
    paragraphs = [fold_spaces(part.replace("\n", " ")) for part in parts]
    return "\n".join(part for part in paragraphs if part)


def normalize_title(title: str) -> str:
    """The dedupe key: casefolded, accents folded, punctuation and whitespace folded.

    An ASCII title (nearly all) takes a byte table, not three passes of Python per character
    (nor a regex, slower than the table too): the same key, and an import computes it for
    every record."""
    if title.isascii():
        return " ".join(title.encode("ascii").translate(_ASCII_KEY).decode("ascii").split())
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
    found += _bare_links(text)
    seen: dict[str, None] = {}
    for _, url in sorted(found):
        if "." in url.partition("://")[2].split("/", 1)[0]:  # a host with a dot, not "https://x"
            seen.setdefault(url, None)
    return list(seen)


def _bare_links(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    if ".co" not in text and "www." not in text:  # each host below holds one, in lower case
        return found  # nearly always; an all-capitals "WWW." or ".COM" is not worth a pass
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter changed length: offsets would not match
        return found
    starts: list[int] = []
    dot = lowered.find(".co")  # github.com/, gitlab.com/, huggingface.co/: found by their dot
    while dot >= 0:
        for name in _BARE_NAMES:
            if dot >= len(name) and lowered.startswith(name, dot - len(name)):
                starts.append(dot - len(name))
        dot = lowered.find(".co", dot + 1)
    www = lowered.find("www.")
    while www >= 0:
        starts.append(www)
        www = lowered.find("www.", www + 1)
    for start in starts:
        before = lowered[start - 1] if start else " "
        match = _BARE.match(lowered, start)
        if match and not (before.isalnum() or before in "./@:-_"):  # else inside a URL
            found.append((start, "https://" + text[start : match.end()].rstrip(_URL_TRAIL)))
    return found
