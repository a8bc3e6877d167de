"""A digest as one self-contained HTML page: inline styles, every text escaped, no scripts.

The page loads nothing (its Content-Security-Policy forbids it all but its own style), so it
can be mailed, opened from disk or served as it is, light or dark as the reader's browser is.
"""

from __future__ import annotations

from html import escape

from reader.core.digest.model import Digest, Entry, Section

_STYLE = """
:root { color-scheme: light dark; --muted: #6b7280; --accent: #2563eb; --line: #d1d5db; }
@media (prefers-color-scheme: dark) { :root { --muted: #9ca3af; --accent: #60a5fa;
  --line: #374151; } }
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
  padding: 0 1rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; border-bottom: 1px solid var(--line);
  padding-bottom: .2rem; margin-top: 2rem; }
ol { list-style: none; padding: 0; } li { margin: 0 0 1.1rem; }
.title { font-weight: 600; } a { color: var(--accent); }
.meta, .why, .note { color: var(--muted); font-size: .9rem; } .why { font-style: italic; }
"""
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'"


def render_html(digest: Digest) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(digest.headline)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(digest.headline)}</h1>",
    ]
    if digest.hidden:
        plural = "s" if digest.hidden != 1 else ""
        parts.append(f'<p class="note">{digest.hidden} muted paper{plural} left out.</p>')
    if not digest.entries:
        parts.append("<p>Nothing new.</p>")
    for section in digest.sections:
        parts += _section(section)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _section(section: Section) -> list[str]:
    count = len(section.entries) + section.more
    parts = [
        f'<section class="{escape(section.key)}">',
        f"<h2>{escape(section.title)} ({count})</h2>",
        "<ol>",
        *(_entry(entry) for entry in section.entries),
        "</ol>",
    ]
    if section.more:
        parts.append(f'<p class="note">…and {section.more} more.</p>')
    return [*parts, "</section>"]


def _entry(entry: Entry) -> str:
    title = escape(entry.title)
    if entry.link:
        href = escape(entry.link, quote=True)
        title = f'<a href="{href}" rel="noopener noreferrer">{title}</a>'
    authors = escape(", ".join(entry.authors)) or "authors unknown"
    lines = [
        f'<li><div class="title">{title}</div>',
        f'<div class="meta">{authors} · {escape(entry.id)}</div>',
    ]
    if entry.blurb:
        lines.append(f"<div>{escape(entry.blurb)}</div>")
    if entry.why:
        lines.append(f'<div class="why">Why: {escape("; ".join(entry.why))}</div>')
    return "\n".join(lines) + "</li>"
