"""Zotero's HTML notes to Markdown."""

from __future__ import annotations

from reader.core.importers.html_markdown import html_to_markdown


def test_a_zotero_note_becomes_markdown() -> None:
    html = (
        '<div data-schema-version="9"><h1>Reading notes</h1><p>The <strong>key</strong> idea is '
        '<em>self-attention</em>; see <a href="https://arxiv.org/abs/1706.03762">the paper</a>.</p>'
        "<ul><li>one</li><li>two<ul><li>two a</li></ul></li></ul><ol><li>first</li><li>second</li>"
        "</ol><blockquote><p>quoted</p><p>twice</p></blockquote><pre>def f(x):\n    return x * 2"
        "</pre><p>Inline <code>x*y</code> and 5 * 3 = [15]</p><h3>End</h3><p>a<br>b</p></div>"
    )
    assert html_to_markdown(html) == (
        "# Reading notes\n\n"
        "The **key** idea is *self-attention*; see [the paper](https://arxiv.org/abs/1706.03762)."
        "\n\n- one\n- two\n   - two a\n\n1. first\n2. second\n\n> quoted\n>\n> twice\n\n"
        "```\ndef f(x):\n    return x * 2\n```\n\n"
        "Inline `x*y` and 5 \\* 3 = \\[15\\]\n\n### End\n\na\nb"
    )


def test_unsafe_parts_give_text_only() -> None:
    html = (
        '<p><a href="javascript:alert(1)">click</a> <script>alert(2)</script><style>p{}</style>'
        '<img src="x" onerror="alert(3)">&lt;b&gt; &amp; &#x1F600;</p><p>#not a heading</p>'
    )
    assert html_to_markdown(html) == "click <b> & 😀\n\n\\#not a heading"


def test_plain_text_stays() -> None:
    assert html_to_markdown("  just text, no tags  ") == "just text, no tags"
