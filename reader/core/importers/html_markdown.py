"""Zotero's notes (HTML) to Markdown, the form reader keeps notes in.

Zotero writes a small part of HTML in notes: paragraphs, headings, bold and italic, links,
lists, code, quotes, a table now and then. html.parser (stdlib) reads it, and this writes the
Markdown for that part; everything else keeps its text and loses its tags. Scripts, styles
and images give nothing. Nothing here runs or fetches anything: the note is text, and any
link is written out as a Markdown link only when it is http(s) or mailto.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HEADINGS = {f"h{level}": "#" * level + " " for level in range(1, 7)}
_BLOCKS = {"p", "div", "section", "article", "table", "tr", "dl", "dt", "dd", "figure", "hr"}
_SKIPPED = {"script", "style", "head", "title", "template", "svg", "math"}
_EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_SPACES = re.compile(r"\s+")
_ESCAPED = re.compile(r"([\\*`\[\]])")
_SAFE_LINK = re.compile(r"(?:https?://|mailto:)[^\s<>()]+", re.IGNORECASE)


def html_to_markdown(html: str) -> str:
    """Markdown for an HTML note; plain text stays as it was."""
    if "<" not in html and "&" not in html:
        return html.strip()
    converter = _Converter()
    converter.feed(html)
    converter.close()
    return converter.markdown()


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""  # the text of the line being written, without its prefix
        self.marker = ""  # a list item's "- " or "1. ", written before its first line
        self.lists: list[list[int]] = []  # per open list: [ordered (0/1), items so far]
        self.quotes = 0
        self.pre = 0
        self.code = 0
        self.skipped = 0
        self.links: list[str] = []  # the open <a>'s href ("" when not written as a link)
        self.link_text: list[int] = []  # where each open link's text starts in self.line

    # -- structure -----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipped += 1
        elif tag in _HEADINGS:
            self._block()
            self.line = _HEADINGS[tag]
        elif tag in ("ul", "ol"):
            self._end_line()
            self.lists.append([int(tag == "ol"), 0])
        elif tag == "li":
            self._end_line()
            if not self.lists:
                self.lists.append([0, 0])
            self.lists[-1][1] += 1
            ordered, count = self.lists[-1]
            self.marker = f"{count}. " if ordered else "- "
        elif tag == "blockquote":
            self._block()
            self.quotes += 1
        elif tag == "pre":
            self._block()
            self.lines.append(self._prefix() + "```")
            self.pre += 1
        elif tag == "br":
            self._end_line(keep_empty=True)
        elif tag in ("td", "th") and self.line:
            self.line += " | "
        elif tag in _BLOCKS:
            self._block()
            if tag == "hr":
                self.lines.append(self._prefix() + "---")
                self.lines.append("")
        elif tag in _EMPHASIS:
            self.line += _EMPHASIS[tag]
        elif tag == "code" and not self.pre:
            self.line += "`"
            self.code += 1
        elif tag == "a":
            href = _SAFE_LINK.fullmatch((dict(attrs).get("href") or "").strip())
            self.links.append(href.group(0) if href else "")
            self.link_text.append(len(self.line))
            if href:
                self.line += "["

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipped = max(self.skipped - 1, 0)
        elif tag in _HEADINGS or tag in _BLOCKS:
            self._block()
        elif tag in ("ul", "ol"):
            self._end_line()
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._block()
        elif tag == "li":
            self._end_line()
        elif tag == "blockquote" and self.quotes:
            self._end_line()
            if self.lines and self.lines[-1] == ">" * self.quotes:
                self.lines.pop()  # the quote's own blank line, now at its end
            self.quotes -= 1
            self._block()
        elif tag == "pre" and self.pre:
            self._end_line()
            self.pre -= 1
            self.lines.append(self._prefix() + "```")
            self.lines.append("")
        elif tag in _EMPHASIS:
            self.line += _EMPHASIS[tag]
        elif tag == "code" and self.code:
            self.line += "`"
            self.code -= 1
        elif tag == "a" and self.links:
            href, start = self.links.pop(), self.link_text.pop()
            if href:
                text = self.line[start + 1 :].strip()
                self.line = self.line[:start] + (f"[{text}]({href})" if text else f"<{href}>")

    def handle_data(self, data: str) -> None:
        if self.skipped:
            return
        if self.pre:
            first, *rest = data.split("\n")
            self.line += first
            for part in rest:
                self._end_line(keep_empty=True)
                self.line = part
            return
        text = _SPACES.sub(" ", data)
        if not self.code:
            text = _ESCAPED.sub(r"\\\1", text)
        if not self.line.strip() or self.line.endswith((" ", "[")):
            text = text.lstrip()
        if not self.line and text.startswith(("#", ">", "- ", "+ ")):
            text = "\\" + text  # the user's text, not a heading, quote or list of ours
        self.line += text

    # -- lines ---------------------------------------------------------------------------

    def _prefix(self) -> str:
        depth = max(len(self.lists) - 1, 0)
        indent = "   " * depth if self.lists else ""
        marker = self.marker or ("   " if self.lists else "")
        self.marker = ""
        return "> " * self.quotes + indent + marker

    def _end_line(self, *, keep_empty: bool = False) -> None:
        text = self.line if self.pre else self.line.strip()
        if text or keep_empty:
            self.lines.append((self._prefix() + text).rstrip() if not self.pre else text)
        self.line = ""

    def _block(self) -> None:
        """End the paragraph: its line, then one blank line (inside a list: none)."""
        self._end_line()
        blank = ">" * self.quotes
        if self.lines and self.lines[-1] not in ("", blank) and not self.lists:
            self.lines.append(blank)

    def markdown(self) -> str:
        self._end_line()
        text = "\n".join(self.lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()
