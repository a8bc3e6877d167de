"""Saved Daily Papers pages: the four real seeds exactly, and the layouts and faults around them."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.importers import UnreadableFile, read_bytes, read_path
from reader.core.text import normalize_title

EXPECTED = {"000": 73, "001": 231, "002": 83, "003": 55}
LISTED = {"000": "Sep 8", "001": "", "002": "Mar 11", "003": "Mar 14"}
HEADERS = {
    "new",
    "get trending papers in your email inbox",
    "get trending papers in your email inbox once a day",
    "subscribe",
    "daily papers",
    "byak and the research community",
}
FIRST_OF_001 = (
    "Global Convergence of Sub-gradient Method for Robust Matrix Recovery: Small "
    "Initialization, Noisy Measurements, and Over-parameterization"
)
HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "byAK and the research community\n\nSep 8\n\n"
)
ABSTRACT = (
    "We study how small initial weights shape what a network learns. Our analysis covers deep "
    "linear networks and shallow non-linear ones. Experiments on vision tasks confirm the theory."
)


def page(*paragraphs: str, header: str = HEADER, sep: str = "\n\n") -> bytes:
    return (header + sep.join(paragraphs) + "\n").encode("utf-8")


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_each_seed_gives_its_exact_records(prefix: str, seed_files: list[Path], parse) -> None:
    seed = next(path for path in seed_files if path.name.startswith(prefix))
    parsed = parse(read_path(seed))
    assert len(parsed.records) == EXPECTED[prefix]
    assert parsed.rejections == [] and parsed.warnings == []
    for record in parsed.records:
        assert normalize_title(record.title) not in HEADERS
        assert record.title not in {"Sep 8", "Mar 11", "Mar 14"}
        assert not record.title.startswith("Subscribe")
        assert record.abstract, record.title
        assert len(record.abstract) > len(record.title)
        assert record.listed == LISTED[prefix]
        assert record.published == "" and record.updated == ""  # the page has no year
        assert record.arxiv_id is None and record.authors == []


def test_first_record_of_the_compact_seed_loses_its_subscribe_prefix(
    seed_files: list[Path], parse
) -> None:
    parsed = parse(read_path(seed_files[1]))
    assert parsed.records[0].title == FIRST_OF_001
    assert parsed.records[0].source == f"{seed_files[1]}:3"
    assert parsed.records[0].abstract.startswith("In this work, we study the performance")


def test_sources_point_at_the_title_line(seed_files: list[Path], parse) -> None:
    for seed in seed_files:
        lines = seed.read_text(encoding="utf-8").split("\n")
        for record in parse(read_path(seed)).records:
            path, _, line = record.source.rpartition(":")
            assert path == str(seed)
            assert record.title in lines[int(line) - 1]


def test_the_four_seeds_give_406_unique_titles_and_000_001_share_12(
    seed_files: list[Path], parse
) -> None:
    keys = [{normalize_title(t) for t in parse(read_path(s)).titles} for s in seed_files]
    assert len(set().union(*keys)) == 406
    assert len(keys[0] & keys[1]) == 12


def test_abstract_links_are_extracted(seed_files: list[Path], parse) -> None:
    records = parse(read_path(seed_files[0])).records
    teacher = next(r for r in records if r.title.startswith("Teacher algorithms"))
    assert teacher.links == ["https://github.com/flowersteam/teachDeepRL"]
    assert any(
        "https://github.com/edwardjhu/TP4" in r.links
        for s in seed_files
        for r in parse(read_path(s)).records
    )


def test_package_copy_is_byte_identical_to_shared_seeds(
    seed_files: list[Path], shared_seeds: Path
) -> None:
    shared = sorted(shared_seeds.glob("*.txt"))
    assert [p.name for p in shared] == [p.name for p in seed_files]
    for ours, theirs in zip(seed_files, shared, strict=True):
        assert ours.read_bytes() == theirs.read_bytes(), ours.name


@pytest.mark.parametrize("variant", ["crlf", "bom", "crlf+bom", "compact", "cr"])
def test_layout_and_line_ending_variants_read_alike(
    variant: str, seed_files: list[Path], parse, tmp_path: Path
) -> None:
    original = seed_files[0].read_bytes()
    data = original
    if variant == "compact":
        data = b"\n".join(line for line in original.split(b"\n") if line.strip())
    if "crlf" in variant:
        data = data.replace(b"\n", b"\r\n")
    if variant == "cr":
        data = data.replace(b"\n", b"\r")
    if "bom" in variant:
        data = b"\xef\xbb\xbf" + data
    target = tmp_path / "page.txt"
    target.write_bytes(data)
    expected = parse(read_path(seed_files[0])).records
    got = parse(read_path(target))
    assert got.rejections == [] and got.warnings == []
    assert [(r.title, r.abstract, r.listed) for r in got.records] == [
        (r.title, r.abstract, r.listed) for r in expected
    ]


def test_a_title_without_abstract_is_kept_with_a_warning(parse) -> None:
    data = page(
        "First Paper on Sparse Attention",
        ABSTRACT,
        "A Title Whose Abstract Went Missing",
        "Third Paper: Scaling Laws for Tiny Models",
        ABSTRACT.replace("small", "large"),
        "The Very Last Title Has No Abstract Either",
    )
    parsed = parse(read_bytes(data, "page.txt"))
    assert parsed.titles == [
        "First Paper on Sparse Attention",
        "A Title Whose Abstract Went Missing",
        "Third Paper: Scaling Laws for Tiny Models",
        "The Very Last Title Has No Abstract Either",
    ]
    assert [r.abstract == "" for r in parsed.records] == [False, True, False, True]
    assert parsed.records[2].abstract.startswith("We study how large")
    assert [w.line for w in parsed.warnings] == [17, 23]
    assert all("no abstract" in w.message for w in parsed.warnings)
    assert parsed.rejections == []


def test_missing_abstract_in_the_compact_layout(parse) -> None:
    lines = [
        "SubscribeFirst Paper on Sparse Attention",
        ABSTRACT,
        "Lonely Title Without Text",
        "Next Paper With Its Abstract",
        ABSTRACT,
    ]
    header = "Get trending papers in your email inbox once a day!\n"
    parsed = parse(read_bytes(page(*lines, header=header, sep="\n"), "c.txt"))
    assert parsed.titles == [
        "First Paper on Sparse Attention",
        "Lonely Title Without Text",
        "Next Paper With Its Abstract",
    ]
    assert [w.line for w in parsed.warnings] == [4]


def test_a_short_sentence_case_abstract_still_pairs_with_its_title(parse) -> None:
    parsed = parse(read_bytes(page("Tiny Paper", "We study it", "Next Paper", ABSTRACT), "s"))
    assert [(r.title, r.abstract) for r in parsed.records] == [
        ("Tiny Paper", "We study it"),
        ("Next Paper", ABSTRACT),
    ]
    assert parsed.warnings == []


def test_titles_that_look_like_sentences_stay_titles(parse) -> None:
    titles = [
        "Does Localization Inform Editing? Surprising Differences in Causality-Based "
        "Localization vs. Knowledge Editing in Language Models",
        "Why do Nearest Neighbor Language Models Work?",
        "Attention Is All You Need.",
    ]
    paragraphs = [part for title in titles for part in (title, ABSTRACT)]
    parsed = parse(read_bytes(page(*paragraphs), "t"))
    assert parsed.titles == titles
    assert all(r.abstract == ABSTRACT for r in parsed.records)


def test_a_two_paragraph_abstract_stays_one_record(parse) -> None:
    second = "In a second part we extend the analysis to transformers. Results hold there too."
    parsed = parse(read_bytes(page("Title One", ABSTRACT, second, "Title Two", ABSTRACT), "p"))
    assert parsed.titles == ["Title One", "Title Two"]
    assert parsed.records[0].abstract == f"{ABSTRACT}\n\n{second}"


def test_an_abstract_with_no_title_is_rejected_with_its_line(parse) -> None:
    parsed = parse(read_bytes(page(ABSTRACT, "Real Title", ABSTRACT), "o.txt"))
    assert parsed.titles == ["Real Title"]
    assert [(r.source, r.line) for r in parsed.rejections] == [("o.txt", 13)]
    assert "no title" in parsed.rejections[0].reason


def test_a_date_line_sets_listed_for_the_papers_after_it(parse) -> None:
    data = page(
        "Paper A", ABSTRACT, "Sep 9", "Paper B", ABSTRACT, "September 10, 2024", "C", ABSTRACT
    )
    parsed = parse(read_bytes(data, "d"))
    assert [(r.title, r.listed) for r in parsed.records] == [
        ("Paper A", "Sep 8"),
        ("Paper B", "Sep 9"),
        ("C", "September 10, 2024"),
    ]
    assert all(r.published == "" for r in parsed.records)


def test_header_lines_anywhere_never_become_titles(parse) -> None:
    data = page("Subscribe", "Paper A", ABSTRACT, "Daily Papers", "new", "Paper B", ABSTRACT)
    assert parse(read_bytes(data, "h")).titles == ["Paper A", "Paper B"]


def test_a_line_with_no_words_is_skipped_with_a_warning(parse) -> None:
    parsed = parse(read_bytes(page("Paper A", ABSTRACT, "42", "Paper B", ABSTRACT), "n"))
    assert parsed.titles == ["Paper A", "Paper B"]
    assert len(parsed.warnings) == 1 and "'42'" in parsed.warnings[0].message


def test_an_over_long_line_is_rejected_and_the_rest_imported(parse, tmp_path: Path) -> None:
    target = tmp_path / "long.txt"
    with target.open("wb") as out:
        out.write(page("Paper A", ABSTRACT))
        out.write(b"x" * (5 * 1024 * 1024) + b"\n\n")
        out.write(b"Paper B\n\n" + ABSTRACT.encode() + b"\n")
    parsed = parse(read_path(target))
    assert parsed.titles == ["Paper A", "Paper B"]
    assert [r.line for r in parsed.rejections] == [16]
    assert "longer than 4 MiB" in parsed.rejections[0].reason


def test_latin1_is_decoded_with_one_warning(parse, tmp_path: Path) -> None:
    text = page("Caf\u00e9 Networks for R\u00e9sum\u00e9 Parsing", ABSTRACT + " Na\u00efve.")
    target = tmp_path / "latin1.txt"
    target.write_bytes(text.decode("utf-8").encode("cp1252"))
    parsed = parse(read_path(target))
    assert parsed.titles == ["Caf\u00e9 Networks for R\u00e9sum\u00e9 Parsing"]
    assert parsed.records[0].abstract.endswith("Na\u00efve.")
    assert [(w.line, "Windows-1252" in w.message) for w in parsed.warnings] == [(13, True)]


def test_a_plain_title_abstract_list_without_page_headers_is_read(parse) -> None:
    data = page("Paper A", ABSTRACT, "Paper B", ABSTRACT, header="")
    assert parse(read_bytes(data, "plain.txt")).titles == ["Paper A", "Paper B"]


def test_prose_that_is_no_paper_list_is_refused() -> None:
    prose = "Shopping list\n\neggs\n\nmilk\n\nbread\n"
    with pytest.raises(UnreadableFile, match="unknown format"):
        read_bytes(prose.encode(), "notes.txt")
