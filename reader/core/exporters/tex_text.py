"""Plain text to the LaTeX of a BibTeX field: the inverse of the importers' latex_to_text.

Every file reader writes must parse in BibTeX, biber, bibtexparser and pybtex, and read back as
the same text. So each character TeX or a BibTeX parser would take for something else is
written as a command that latex_to_text reads back as that character:

- `\\ { } ~ ^` as `\\textbackslash{}` `\\textbraceleft{}` `\\textbraceright{}`
  `\\textasciitilde{}` `\\textasciicircum{}`: braces are never written as `\\{`, which BibTeX
  and pybtex count as a brace (an unbalanced title would swallow the rest of the file) and
  bibtexparser does not;
- `% & # _ $` with a backslash; `--`, `---`, two backquotes and two quotes with `{}` between
  their characters, so they stay what they were instead of becoming dashes and curly quotes;
- an `@` that starts a line as `{@}`: a parser recovering from errors starts a new entry there.

Math (`$x^2$`) is written as it is, as latex_to_text keeps it, when that is safe: its braces
balance however they are counted, and it holds nothing that would end a TeX argument or start
a comment; else its characters are escaped like the rest. In titles, words with capitals after
their first letter ("BERT", "ImageNet") are braced, so BibTeX styles that lower-case titles
keep them as they are.
"""

from __future__ import annotations

import re

_COMMANDS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
}
_SPECIAL = re.compile(r"[\\{}~^%&#_$]|-(?=-)|`(?=`)|'(?=')")
_MATH = re.compile(r"\$\$?")
_MATH_UNSAFE = re.compile(r"[%#&\n]|\\$")
_LINE_AT = re.compile(r"^([ \t]*)@", re.MULTILINE)
_WORD = re.compile(r"\S+")
_BRACES = re.compile(r"\\.|[{}]", re.DOTALL)


def tex_text(text: str, *, protect_case: bool = False) -> str:
    """text as a BibTeX field value (without its outer braces) that reads back as text."""
    out: list[str] = []
    pos = 0
    for start, stop in _math_spans(text):
        out.append(_escape(text[pos:start], protect_case))
        out.append(text[start:stop])
        pos = stop
    out.append(_escape(text[pos:], protect_case))
    return _LINE_AT.sub(r"\1{@}", "".join(out))


def _escape(text: str, protect_case: bool) -> str:
    if not protect_case:
        return _SPECIAL.sub(_command, text)
    return _WORD.sub(lambda word: _protected(word.group(0)), text)


def _protected(word: str) -> str:
    escaped = _SPECIAL.sub(_command, word)
    return f"{{{escaped}}}" if any(char.isupper() for char in word[1:]) else escaped


def _command(match: re.Match[str]) -> str:
    char = match.group(0)
    return _COMMANDS[char] if char in _COMMANDS else char + "{}"


def _math_spans(text: str) -> list[tuple[int, int]]:
    """The (start, stop) of each math span to keep as written, found as latex_to_text finds
    them: from a `$` (or `$$`) to the next of the same."""
    spans = []
    pos = 0
    while (match := _MATH.search(text, pos)) is not None:
        close = text.find(match.group(0), match.end())
        if close < 0:
            break
        stop = close + len(match.group(0))
        if _safe_math(text[match.end() : close]):
            spans.append((match.start(), stop))
            pos = stop
        else:
            pos = match.end()  # this `$` is escaped; a later one may open safe math
    return spans


def _safe_math(inner: str) -> bool:
    if not inner.strip() or _MATH_UNSAFE.search(inner):
        return False
    return _balanced(re.findall(r"[{}]", inner)) and _balanced(
        [token for token in _BRACES.findall(inner) if token in "{}"]
    )


def _balanced(braces: list[str]) -> bool:
    depth = 0
    for brace in braces:
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0
