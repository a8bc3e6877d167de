"""Cleaning untrusted text: escapes and controls go, markup and real characters stay."""

from __future__ import annotations

import pytest

from reader.core.text import (
    clean_abstract,
    clean_title,
    extract_links,
    normalize_title,
    strip_controls,
    unwrap_lines,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x1b]52;c;ZWNobyBoaQ==\x07b", "ab"),  # OSC 52 clipboard write, BEL-terminated
        ("a\x1b]8;;https://x.org\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # OSC 8, ST-terminated
        ("a\x1b[2Jb\x1b[31;1mc\x1b[0m", "abc"),  # CSI: clear screen, colours
        ("a\x9b2Jb\x9b31mc", "abc"),  # 8-bit CSI
        ("a\x9d0;title\x9cb", "ab"),  # 8-bit OSC with 8-bit ST
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),  # DCS (sixel) payload
        ("a\x1b(Bb\x1b=c\x1b", "abc"),  # charset, keypad mode, a lone trailing ESC
        ("a\x1b]0;unterminated title", "a"),  # an OSC never closed eats its line only
        ("left\u202eright\u2066iso\u2069", "leftrightiso"),  # bidi override and isolates
        ("a\u200eb\u200fc\u061cd", "abcd"),  # bidi marks
        ("\ufeffBOM", "BOM"),
        ("nul\x00del\x7fbell\x07", "nuldelbell"),
        ("lone \ud800 surrogate \udfff", "lone  surrogate "),
        ("non\ufffechar\uffff", "nonchar"),
        ("e\u0301", "\u00e9"),  # NFC
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("cr\r\nlf\rsep\u2028para\u2029nel\x85", "cr\nlf\nsep\npara\nnel\n"),
        ("[bold]x[/] [@click=app.quit]q[/] [/", "[bold]x[/] [@click=app.quit]q[/] [/"),
        ("plain ascii text", "plain ascii text"),
        ("Ünïcödé — “quotes” 中文 😀", "Ünïcödé — “quotes” 中文 😀"),
    ],
)
def test_strip_controls(raw: str, clean: str) -> None:
    assert strip_controls(raw) == clean


def test_a_multiline_osc_does_not_swallow_the_next_line() -> None:
    assert strip_controls("one\x1b]52;c;AAAA\ntwo") == "one\ntwo"


def test_clean_title_is_one_line() -> None:
    assert clean_title("  A\n  multi-line\ttitle\u00a0 with\u3000spaces \x1b[1m ") == (
        "A multi-line title with spaces"
    )


def test_clean_abstract_keeps_paragraphs_and_folds_spaces() -> None:
    raw = "  First  paragraph\u00a0 here.  \r\n\r\n\r\n\tSecond\tone.\n \n"
    assert clean_abstract(raw) == "First paragraph here.\n\nSecond one."
    assert clean_abstract("") == ""


def test_unwrap_lines_joins_arxiv_hard_wraps_and_keeps_paragraphs() -> None:
    raw = "  We present a\nstudy of X. It\nworks.\n  In a second part\nwe do Y.\n\nThird.\n"
    assert unwrap_lines(raw) == (
        "We present a study of X. It works.\nIn a second part we do Y.\nThird."
    )
    assert unwrap_lines("one line") == "one line"


def test_normalize_title_folds_case_accents_and_punctuation() -> None:
    assert normalize_title("Über-Fast  Learning: A Study!") == "uber fast learning a study"
    assert normalize_title("UBER FAST learning — a study") == "uber fast learning a study"
    assert normalize_title("ﬁne-tuning") == "fine tuning"  # compatibility ligature


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("Code: https://github.com/a/b.", ["https://github.com/a/b"]),
        ("See (https://x.org/p), and http://y.org/q;", ["https://x.org/p", "http://y.org/q"]),
        ("bare github.com/edwardjhu/TP4. here", ["https://github.com/edwardjhu/TP4"]),
        (
            "at www.example.com/page and GitHub.com/Org/Repo",
            ["https://www.example.com/page", "https://GitHub.com/Org/Repo"],
        ),
        ("twice https://a.org/x https://a.org/x", ["https://a.org/x"]),
        ("HTTPS://A.ORG/X", ["https://A.ORG/X"]),
        ("javascript:alert(1) ftp://x.org/f file:///etc/passwd", []),
        ("xhttp://no.org/ and https://nohost and foo.github.com/x", []),
        (
            "https://huggingface.co/apple/OpenELM and huggingface.co/x/y",
            ["https://huggingface.co/apple/OpenELM", "https://huggingface.co/x/y"],
        ),
        ("no links at all", []),
        ("İstanbul github.com/a/b", []),  # a letter that changes length when lowered
    ],
)
def test_extract_links(text: str, links: list[str]) -> None:
    assert extract_links(text) == links
