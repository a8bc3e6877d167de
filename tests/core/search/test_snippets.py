"""Finding a query's words in a text without analysing every word of it, with the same answers
as analysing them all (the order of terms, stop words skipped)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.core.index.analysis import TOKEN, lead, term_of
from reader.core.search.snippets import holds_in_order, match_spans

SAMPLE = Path(__file__).parents[3] / "reader" / "sample"


def sample_texts() -> list[str]:
    return [
        paragraph
        for path in sorted(SAMPLE.glob("*.txt"))
        for paragraph in path.read_text(encoding="utf-8").split("\n\n")
        if len(paragraph) > 40
    ]


def every_term(text: str) -> list[str]:
    return [term for term in map(term_of, TOKEN.findall(text)) if term]


def test_a_term_begins_with_the_lead_of_its_word() -> None:
    words = {word for text in sample_texts() for word in TOKEN.findall(text)}
    words |= {"ies", "eyed", "Ångström", "İstanbul", "ÉCOLE", "Æther", "*wild", "3.5x"}
    assert len(words) > 5000
    for word in words:
        term = term_of(word)
        assert term is None or term[:1] == lead(word[0]), word


@pytest.mark.parametrize("seed", range(3))
def test_words_in_order_agree_with_analysing_every_word(seed: int) -> None:
    rng = random.Random(seed)
    texts = sample_texts()
    for text in rng.sample(texts, 150):
        terms = every_term(text)
        if len(terms) < 4:
            continue
        at = rng.randrange(len(terms) - 2)
        present = terms[at : at + rng.choice((2, 3))]
        absent = [terms[at + 1], terms[at]]
        for words in (present, absent, [terms[-1], "zzzunknown"]):
            held = any(terms[i : i + len(words)] == words for i in range(len(terms)))
            assert holds_in_order(text, words) is held, (text[:60], words)


def test_stop_words_between_do_not_break_a_run() -> None:
    assert holds_in_order("Pruning of the Large Models", ["prune", "larg"])
    assert holds_in_order("pruning large models", ["prune", "larg", "model"])
    assert not holds_in_order("large pruned models", ["prune", "larg"])
    assert not holds_in_order("", ["prune", "larg"])


def test_spans_mark_every_form_of_the_terms_and_nothing_else() -> None:
    text = "Pruned models prune; PRUNING helps. Ångström-scale pruners."
    spans = [text[s:e] for s, e in match_spans(text, {term_of("pruning") or "", "angstrom"})]
    assert spans == ["Pruned", "prune", "PRUNING", "Ångström"]
    for paragraph in sample_texts()[:200]:
        for terms in (set(every_term(paragraph)[::7]), set(every_term(paragraph)) | {"zz"}):
            expected = [m.span() for m in TOKEN.finditer(paragraph) if term_of(m.group()) in terms]
            assert match_spans(paragraph, terms) == expected
