"""Identity and dedupe, both ways: what must merge merges, what must not stays apart."""

from __future__ import annotations

from reader.core.ids import title_id
from reader.core.library.dedupe import near_duplicate, same_numbers
from reader.core.library.facade import Library
from reader.core.model import Record
from reader.core.text import normalize_title

ABSTRACT = (
    "We study the performance of sub-gradient methods on a nonconvex and nonsmooth formulation "
    "of low-rank matrix recovery, where the goal is to recover a low-rank matrix from a limited "
    "number of measurements, a subset of which may be grossly corrupted with noise."
)


def rec(title: str, abstract: str = ABSTRACT, **kw: object) -> Record:
    return Record(title=title, abstract=abstract, source="test.txt:1", **kw)  # type: ignore[arg-type]


def test_same_arxiv_id_any_version_is_one_paper(library: Library) -> None:
    report = library.import_items(
        [rec("A Paper", arxiv_id="2401.12345v1"), rec("A Paper, revised", arxiv_id="2401.12345v2")]
    )
    assert (report.added, library.count()) == (1, 1)
    assert library.get("2401.12345v3") is not None


def test_same_normalized_title_is_one_paper(library: Library) -> None:
    report = library.import_items(
        [rec("Attention Is All You Need"), rec("  attention is ALL you need! ", abstract="")]
    )
    assert report.added == 1
    assert report.duplicates + report.updated == 1
    assert library.count() == 1


def test_arxiv_record_takes_over_a_title_only_paper_and_leaves_an_alias(library: Library) -> None:
    library.import_items([rec("Adam: A Method for Stochastic Optimization")])
    old_id = title_id("Adam: A Method for Stochastic Optimization")
    assert library.get(old_id) is not None
    report = library.import_items(
        [
            rec(
                "Adam: A Method for Stochastic Optimization",
                arxiv_id="1412.6980",
                authors=["Diederik P. Kingma", "Jimmy Ba"],
                published="2014-12-22",
            )
        ]
    )
    assert report.updated == 1
    assert library.count() == 1
    paper = library.get(old_id)
    assert paper is not None and paper.id == "1412.6980"
    assert paper.authors == ["Diederik P. Kingma", "Jimmy Ba"]
    assert library.resolve(old_id) == "1412.6980"


def test_near_identical_titles_merge_when_abstracts_agree(library: Library) -> None:
    library.import_items(
        [
            rec("On the Parameterization of Second-Order Optimization Towards Infinite Width"),
            rec("On the Parametrization of Second-Order Optimization Towards Infinite Width"),
        ]
    )
    assert library.count() == 1


def test_near_identical_titles_stay_apart_when_abstracts_differ(library: Library) -> None:
    library.import_items(
        [
            rec("On the Parameterization of Second-Order Optimization Towards Infinite Width"),
            rec(
                "On the Parametrization of Second-Order Optimization Towards Infinite Width",
                abstract="A completely different study of curvature in wide networks and kernels.",
            ),
        ]
    )
    assert library.count() == 2


def test_part_one_and_part_two_stay_apart(library: Library) -> None:
    library.import_items(
        [
            rec("Unraveling the Mystery of Scaling Laws: Part I"),
            rec("Unraveling the Mystery of Scaling Laws: Part II"),
        ]
    )
    assert library.count() == 2
    assert not same_numbers("scaling laws part 1", "scaling laws part 2")


def test_two_arxiv_ids_with_one_title_stay_two_papers(library: Library) -> None:
    library.import_items(
        [
            rec("Neural Operator", arxiv_id="2108.08481"),
            rec("Neural Operator", arxiv_id="2003.03485"),
        ]
    )
    assert library.count() == 2


def test_near_duplicate_needs_both_abstracts() -> None:
    title = normalize_title("Deep Learning Scaling is Predictable, Empirically")
    assert near_duplicate(title, ABSTRACT, title + "s", ABSTRACT)
    assert not near_duplicate(title, ABSTRACT, title, "")
