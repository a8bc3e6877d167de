"""Finding a query's words in a text without analysing every word of it, with the same answers
as analysing them all."""

from __future__ import annotations

import string
from itertools import product
from pathlib import Path

from reader.core.importers import daily_text
from reader.core.index.analysis import TOKEN, lead, term_of
from reader.core.library.sample import sample_files
from reader.core.search.snippets import heads, match_spans

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


def sample_papers() -> list[tuple[str, str]]:
    """(title, abstract) of every paper of the sample library, as the importer reads them."""
    papers = []
    for path in sample_files():
        with path.open("rb") as stream:
            papers += [(r.title, r.abstract) for r in daily_text.read(stream, path.name)]
    return papers


def every_span(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """What match_spans means: every token of the text analysed, those of the terms kept."""
    return [m.span() for m in TOKEN.finditer(text) if term_of(m.group()) in terms]


def test_an_ascii_word_begins_with_a_head_of_its_term() -> None:
    letters = string.ascii_lowercase
    words = {"".join(w) for size in (1, 2, 3) for w in product(letters, repeat=size)}
    words |= {"".join(w) for w in product("abeilnsty", repeat=4)}
    words |= {w for text in sample_texts() for w in TOKEN.findall(text) if w.isascii()}
    words |= {w.upper() for w in words} | {"ays", "Ays", "eyed", "3.5x", "e.g", "*wild", "a_b"}
    assert len(words) > 40_000
    for word in words:
        term = term_of(word)
        assert term is None or word.lower().startswith(tuple(heads({term}))), word


def test_spans_are_the_same_as_analysing_every_word_of_every_sample_paper() -> None:
    papers = sample_papers()
    assert len(papers) > 400
    by_lead: dict[str, set[str]] = {}
    for title, abstract in papers:
        for term in every_term(title + " " + abstract):
            by_lead.setdefault(term[0], set()).add(term)
    for title, abstract in papers:
        for text in (title, " ".join(abstract.split())):
            own = every_term(text)
            near = sorted(by_lead.get(own[0][0], set()))[:30] if own else []  # like word~1's
            for terms in (set(own[::5]), set(own) | {"zz", "ai", "a"}, set(near), set(near[:3])):
                assert match_spans(text, terms) == every_span(text, terms), (text, terms)


def test_spans_in_tricky_text_are_those_of_every_word_analysed() -> None:
    texts = [
        "Ays AYS days; the THE The a.b A.B e.g. E.G. 3.5x x*y *wild wild* a_b models.2",
        "Pruned PRUNING pruners (prune), re-pruned; naive Naive eyed EYED ies IES aed AED",
        "Ångström naïve NAÏVE İstanbul Æther ÉCOLE pruned café, über Über straße",
        "模型 model 模型model model模型 pruning_模型 a.模型 模型.a",
    ]
    for text in texts:
        own = set(every_term(text))
        for terms in (own, {t for t in own if len(t) <= 2}, {"ai", "a", "i", "ey"}, {"zz"}):
            assert match_spans(text, terms) == every_span(text, terms), (text, terms)
            for word in text.split():  # each word alone: the ASCII path and the other one
                assert match_spans(word, terms) == every_span(word, terms), (word, terms)
