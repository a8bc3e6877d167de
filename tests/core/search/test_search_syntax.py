"""The pieces of search that need no index: query checks and rewrites, snippets, suggestions."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from reader.core.index.fields import build_schema
from reader.core.search.query import QueryParser, plain_words, rewrite
from reader.core.search.snippets import CLOSE, ELLIPSIS, OPEN, match_spans, snippet
from reader.core.search.spelling import suggest_text

PARSER = QueryParser(build_schema())


@pytest.mark.parametrize(
    "text",
    [
        "pruning networks",
        "title:pruning",
        'title:"lottery ticket"',
        "author:lovelace",
        "id:2401.12345v2",
        "date:2024",
        "date:[2024-01-01 to 2024-06-30]",
        "date:{2024 TO 2025}",
        "date:[2024 to]",
        "date:>2024",
        "a AND b OR c",
        "NOT pruning",
        "pruning NOT lottery",
        "(pruning OR lottery) AND (ticket)",
        "transform*",
        "lotery~",
        "lotery~2",
        "foo:bar",
        "",
        "C++ (2024)",
    ],
)
def test_well_formed_queries_have_no_problem(text: str) -> None:
    assert PARSER.problem(text) is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("title:(", "unclosed parenthesis"),
        ('"unclosed', "unclosed quote"),
        ("AND", "nothing before"),
        ("a OR", "nothing after"),
        ("NOT", "nothing after"),
        ("a AND OR b", "nothing before"),
        ("[/", "unclosed range"),
        ("[red]x[/red]", "not a range"),
        ("x]", "stray closing bracket"),
        ("a)", "stray closing parenthesis"),
        ("()", "empty parentheses"),
        ("title: pruning", "title: has no value"),
        ("author:", "author: has no value"),
    ],
)
def test_malformed_queries_say_why(text: str, why: str) -> None:
    problem = PARSER.problem(text)
    assert problem is not None and why in problem


def test_malformed_query_parses_to_its_plain_words() -> None:
    parsed = PARSER.parse("title:(lottery [ticket")
    assert parsed.note is not None and parsed.note.startswith("malformed query")
    terms = {t.text for t in parsed.query.leaves() if isinstance(t, wq.Term)}
    assert terms == {"lotteri", "ticket"}
    assert PARSER.parse("AND OR NOT").query is wq.NullQuery


def test_parser_crashes_become_plain_words() -> None:
    parsed = PARSER.parse("<b>bold</b>")
    assert parsed.note is not None
    assert plain_words("<b>bold</b>") == ["b", "bold", "b"]


def test_plain_words_drop_operators_and_field_names() -> None:
    assert plain_words('title:(graph AND "neural nets") OR x') == ["graph", "neural", "nets", "x"]


def test_rewrite_ids_and_dates() -> None:
    assert rewrite(wq.Term("id", "2401.12345v3")) == wq.Term("id", "2401.12345")
    assert rewrite(wq.Term("id", "hep-th/9901001v2")) == wq.Term("id", "hep-th/9901001")
    assert rewrite(wq.Term("id", "t:abc123")) == wq.Term("id", "t:abc123")
    assert rewrite(wq.Term("date", "2024")) == wq.Prefix("date", "2024")
    assert rewrite(wq.Term("date", "2024-05")) == wq.Prefix("date", "2024-05")
    assert rewrite(wq.Term("date", "2024-05-06")) == wq.Term("date", "2024-05-06")
    ranged = rewrite(wq.TermRange("date", "2023", "2024", False, False))
    assert (ranged.start, ranged.end) == ("2023", "2024~")
    after = rewrite(wq.TermRange("date", "2024", None, True, False))
    assert after.start == "2024~"
    nested = rewrite(wq.And([wq.Term("id", "2401.00001v9"), wq.Term("title", "x")]))
    assert nested == wq.And([wq.Term("id", "2401.00001"), wq.Term("title", "x")])


ABSTRACT = (
    "Deep networks are large. " * 8
    + "We show that pruning at initialization keeps accuracy, and pruned networks train fast. "
    + "Other words follow here to make the text long enough. " * 6
)


def test_snippet_centres_on_the_matches_and_marks_every_form() -> None:
    text = snippet(ABSTRACT, {"prune"})
    assert text.startswith(ELLIPSIS) and text.endswith(ELLIPSIS)
    assert f"{OPEN}pruning{CLOSE}" in text and f"{OPEN}pruned{CLOSE}" in text
    assert len(text.replace(OPEN, "").replace(CLOSE, "")) <= 242


def test_snippet_without_matches_is_the_start() -> None:
    text = snippet(ABSTRACT, {"zebra"})
    assert text.startswith("Deep networks") and OPEN not in text


def test_short_abstract_is_whole_and_markup_stays_literal() -> None:
    assert (
        snippet("A [b]bold[/b] <i>claim</i>", {"claim"})
        == f"A [b]bold[/b] <i>{OPEN}claim{CLOSE}</i>"
    )
    assert snippet("", {"x"}) == ""


def test_match_spans_find_words_by_analysed_term() -> None:
    title = "Pruning Networks: the pruned network"
    spans = match_spans(title, {"prune", "network"})
    assert [title[s:e] for s, e in spans] == ["Pruning", "Networks", "pruned", "network"]
    assert match_spans(title, set()) == []


VOCAB = sorted({"lottery", "ticket", "tickets", "pruning", "network", "networks", "lotus"})
FREQ = {"lotteri": 5, "ticket": 9, "prune": 7, "network": 20, "lotu": 1}


def frequency(term: str) -> int:
    return FREQ.get(term, 0)


def test_suggestion_corrects_only_unknown_words_and_keeps_the_rest() -> None:
    assert suggest_text("lotery", VOCAB, frequency) == "lottery"
    assert suggest_text("Lotery tickt", VOCAB, frequency) == "Lottery ticket"
    assert suggest_text("title:lotery AND netwrk", VOCAB, frequency) == "title:lottery AND network"
    assert suggest_text("lottery", VOCAB, frequency) is None
    assert suggest_text("qqqqzzzz", VOCAB, frequency) is None


def test_suggestion_leaves_ids_dates_and_operators_alone() -> None:
    assert suggest_text("id:lotery date:2024 NOT", VOCAB, frequency) is None
    assert suggest_text("author:lotery", VOCAB, frequency) is None
