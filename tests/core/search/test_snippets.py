"""Finding a query's words in a text without analysing every word of it, with the same answers
as analysing them all."""

from __future__ import annotations

from pathlib import Path

from reader.core.index.analysis import TOKEN, lead, term_of
from reader.core.search.snippets import match_spans

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


def test_spans_mark_every_form_of_the_terms_and_nothing_else() -> None:
    text = "Pruned models prune; PRUNING helps. Ångström-scale pruners."
    spans = [text[s:e] for s, e in match_spans(text, {term_of("pruning") or "", "angstrom"})]
    assert spans == ["Pruned", "prune", "PRUNING", "Ångström"]
    for paragraph in sample_texts()[:200]:
        for terms in (set(every_term(paragraph)[::7]), set(every_term(paragraph)) | {"zz"}):
            expected = [m.span() for m in TOKEN.finditer(paragraph) if term_of(m.group()) in terms]
            assert match_spans(paragraph, terms) == expected


def test_spans_are_whole_tokens_where_dots_and_stars_join_words() -> None:
    texts = [
        "model.model model. .model ..model model..model a.model model.b *model model* model_x",
        "e.g. the model, (models); models.2 3.models x.y.models models-x.y ab*c.models",
        "model",
        ".model.",
    ]
    for text in texts:
        for terms in ({"model"}, {"model", "e.g"}, {"models.2", "ab*c.models", "x"}):
            expected = [m.span() for m in TOKEN.finditer(text) if term_of(m.group()) in terms]
            assert match_spans(text, terms) == expected, (text, terms)
