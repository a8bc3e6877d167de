"""The digest's shape and its three ways out: Markdown, one self-contained HTML page, Atom.

model.py is the plain data (sections of entries, each with why it is there); markdown.py,
html.py and atom.py each write it out with their own escaping. What goes into a digest is
decided in reader.core.library.digest.
"""

from collections.abc import Callable

from reader.core.digest.atom import paper_entry_id, render_atom
from reader.core.digest.html import render_html
from reader.core.digest.markdown import render_markdown
from reader.core.digest.model import Digest, Entry, Section, one_line, stamp

FORMATS: dict[str, Callable[[Digest], str]] = {
    "markdown": render_markdown,
    "html": render_html,
    "atom": render_atom,
}


def render(digest: Digest, fmt: str) -> str:
    """The digest written in fmt (a key of FORMATS)."""
    return FORMATS[fmt](digest)


__all__ = [
    "FORMATS",
    "Digest",
    "Entry",
    "Section",
    "one_line",
    "paper_entry_id",
    "render",
    "stamp",
]
