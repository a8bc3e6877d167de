"""A digest as Markdown: every piece of paper text escaped, so a title is never markup."""

from __future__ import annotations

import re
from urllib.parse import quote

from reader.core.digest.model import Digest, Entry, Section, one_line

# CommonMark lets any ASCII punctuation be escaped. These make markup anywhere in a line
# (emphasis, code, links, HTML, entities, tables, strikethrough, math)...
_INLINE = re.compile(r"([\\`*_\[\]<>&|~$])")
# ...and these only at its start (a heading, a quote, a list item, a rule, a numbered item).
_LINE_START = re.compile(r"^(\d*)([#>+=.)-])")
_URL_SAFE = ":/?#[]@!$&'*+,;=%-._~"


def escape(text: str) -> str:
    """text on one line with nothing in it read as Markdown, wherever it stands in a line."""
    escaped = _INLINE.sub(r"\\\1", one_line(text, 10_000))
    return _LINE_START.sub(r"\1\\\2", escaped)


def link_target(url: str) -> str:
    """A URL as a link destination: no spaces, brackets or quotes left to end it early."""
    return quote(url, safe=_URL_SAFE).replace("(", "%28").replace(")", "%29")


def render_markdown(digest: Digest) -> str:
    lines = [f"# {escape(digest.headline)}", ""]
    if digest.hidden:
        lines += [f"_{digest.hidden} muted paper{'s' if digest.hidden != 1 else ''} left out._", ""]
    if not digest.entries:
        lines += ["Nothing new.", ""]
    for section in digest.sections:
        lines += _section(section)
    return "\n".join(lines).rstrip() + "\n"


def _section(section: Section) -> list[str]:
    lines = [f"## {escape(section.title)} ({len(section.entries) + section.more})", ""]
    for entry in section.entries:
        lines += _entry(entry)
    if section.more:
        lines += [f"_…and {section.more} more._", ""]
    return lines


def _entry(entry: Entry) -> list[str]:
    title = f"**{escape(entry.title)}**"
    if entry.link:
        title = f"[{title}]({link_target(entry.link)})"
    authors = escape(", ".join(entry.authors)) or "authors unknown"
    lines = [f"- {title}  ", f"  {authors} · {escape(entry.id)}  "]
    if entry.blurb:
        lines.append(f"  {escape(entry.blurb)}  ")
    if entry.why:
        lines.append(f"  _Why: {escape('; '.join(entry.why))}_")
    lines[-1] = lines[-1].rstrip()
    return [*lines, ""]
