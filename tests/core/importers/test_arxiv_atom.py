"""arXiv API Atom feeds: the manual's own sample entries, empty and error feeds, XML attacks."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from reader.core.importers import UnreadableFile, read_bytes, read_path

FEED_START = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
ARXIV_NS = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'


def entry(n: int, title: str | None = None, summary: str | None = "A summary.") -> str:
    title_xml = "" if title is None else f"<title>{title}</title>"
    summary_xml = "" if summary is None else f"<summary>{summary}</summary>"
    return (
        f"  <entry><id>http://arxiv.org/abs/2401.{n:05d}v1</id>{title_xml}{summary_xml}"
        "<published>2024-01-02T03:04:05Z</published><author><name>A. Author</name></author>"
        "</entry>\n"
    )


def feed(*entries: str, prolog: str = "") -> bytes:
    start = FEED_START if not prolog else FEED_START.replace("<feed", prolog + "<feed", 1)
    return (start + "".join(entries) + "</feed>\n").encode()


def test_the_sample_feed_gives_three_full_records(fixtures_dir: Path, parse) -> None:
    source = fixtures_dir / "arxiv_api.xml"
    parsed = parse(read_path(source))
    assert parsed.rejections == [] and parsed.warnings == []
    hera, attention, diphoton = parsed.records
    assert hera.title == (
        "Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA"
    )
    assert hera.arxiv_id == "hep-ex/0307015"
    assert (hera.published, hera.updated) == ("2003-07-07", "2003-07-07")
    assert hera.authors == ["H1 Collaboration"] and hera.categories == ["hep-ex"]
    assert hera.abstract.startswith("Multi-electron production is studied at high electron")
    assert "\n" not in hera.abstract and "  " not in hera.abstract
    assert hera.links == [
        "https://arxiv.org/abs/hep-ex/0307015",
        "https://arxiv.org/pdf/hep-ex/0307015",
    ]
    assert hera.source == f"{source}:1"
    assert attention.arxiv_id == "1706.03762"  # versionless
    assert (attention.published, attention.updated) == ("2017-06-12", "2023-08-02")
    assert attention.authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert attention.categories == ["cs.CL", "cs.LG"]  # the primary first, once
    assert attention.abstract.count("\n") == 1  # two paragraphs, each unwrapped
    assert attention.abstract.split("\n")[1].startswith("Experiments on two machine")
    assert diphoton.authors == ["C. Balázs", "E. L. Berger"]
    assert diphoton.links[-1] == "https://doi.org/10.1103/PhysRevD.76.013009"
    assert len(diphoton.links) == 3


def test_an_opensearch_feed_with_no_entries_is_empty_not_an_error(
    fixtures_dir: Path, parse
) -> None:
    parsed = parse(read_path(fixtures_dir / "arxiv_api_empty.xml"))
    assert (parsed.records, parsed.rejections, parsed.warnings) == ([], [], [])


def test_an_api_error_entry_is_a_rejection_with_its_message(fixtures_dir: Path, parse) -> None:
    parsed = parse(read_path(fixtures_dir / "arxiv_api_error.xml"))
    assert parsed.records == []
    assert [r.reason for r in parsed.rejections] == [
        "the arXiv API answered an error: incorrect id format for 1234.12345"
    ]


def test_entries_without_title_or_summary(parse) -> None:
    data = feed(entry(1, title="Kept"), entry(2, title=None), entry(3, "No Summary", None))
    parsed = parse(read_bytes(data, "q.xml"))
    assert parsed.titles == ["Kept", "No Summary"]
    assert [(r.line, r.reason) for r in parsed.rejections] == [(2, "no title")]
    assert [w.line for w in parsed.warnings] == [3]


def test_an_entry_without_an_arxiv_id_keeps_its_own_links(parse) -> None:
    data = feed(
        "<entry><id>urn:uuid:1234</id><title>Elsewhere</title><summary>S.</summary>"
        '<link href="https://example.org/paper" rel="alternate"/></entry>'
    )
    record = parse(read_bytes(data, "x.xml")).records[0]
    assert record.arxiv_id is None
    assert record.links == ["https://example.org/paper"]


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)
QUADRATIC = '<!DOCTYPE feed [<!ENTITY a "' + "x" * 50_000 + '">]>\n'
EXTERNAL = '<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
PARAMETER = '<!DOCTYPE feed [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n'
PLAIN_DTD = '<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/feed.dtd">\n'


@pytest.mark.parametrize(
    ("prolog", "body"),
    [
        (BILLION_LAUGHS, "&lol9;"),
        (QUADRATIC, "&a;" * 10_000),
        (EXTERNAL, "&xxe;"),
        (PARAMETER, "x"),
        (PLAIN_DTD, "x"),
    ],
    ids=["billion-laughs", "quadratic-blowup", "external-entity", "parameter-entity", "dtd"],
)
def test_dtds_and_entity_attacks_are_refused_fast_in_one_line(
    prolog: str, body: str, tmp_path: Path
) -> None:
    target = tmp_path / "attack.xml"
    target.write_bytes(feed(entry(1, title=body), prolog=prolog))
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile) as caught:
            list(read_path(target))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert message.startswith(f"{target}: refused: the XML declares a DTD")
    assert "\n" not in message and "root:" not in message
    assert peak < 5 * 1024 * 1024  # nothing was expanded


def test_an_undeclared_entity_is_not_well_formed(parse) -> None:
    with pytest.raises(UnreadableFile, match="not well-formed XML at line 3"):
        list(read_bytes(feed(entry(1, title="&lol9;")), "u.xml"))


def test_a_truncated_feed_keeps_the_entries_before_the_cut(parse) -> None:
    data = feed(entry(1, "One"), entry(2, "Two"), entry(3, "Three"))
    cut = data[: data.index(b"Three")]
    parsed = parse(read_bytes(cut, "cut.xml"))
    assert parsed.titles == ["One", "Two"]
    assert [r.line for r in parsed.rejections] == [3]
    assert "entries after it were not read" in parsed.rejections[0].reason


def test_xml_that_is_not_an_atom_feed_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="not an Atom feed"):
        read_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "r.xml")
    with pytest.raises(UnreadableFile, match="its root is <entry>, not an Atom <feed>"):
        list(read_bytes(b'<entry xmlns="http://www.w3.org/2005/Atom"/>', "e.xml"))


def test_an_html_page_is_refused_with_advice() -> None:
    with pytest.raises(UnreadableFile, match="is an HTML page; save the Daily Papers page as"):
        read_bytes(b"<!DOCTYPE html><html><body>Daily Papers</body></html>", "p.html")


def test_a_feed_over_200_mib_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    with big.open("wb") as out:  # sparse after the first bytes: no disk, no time
        out.write(feed(entry(1, "One"))[:-8] + b" " * 100_000)
        out.seek(201 * 1024 * 1024)
        out.write(b"</feed>\n")
    with pytest.raises(UnreadableFile, match="larger than 200 MiB"):
        read_path(big)


@pytest.mark.slow
def test_a_long_feed_is_read_in_bounded_memory(tmp_path: Path) -> None:
    target = tmp_path / "long.xml"
    with target.open("w", encoding="utf-8") as out:
        out.write(FEED_START)
        for n in range(4_000):
            out.write(entry(n, f"Title {n}", "An abstract of some length. " * 100))
        out.write("</feed>\n")
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_path(target))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 4_000
    assert target.stat().st_size > 10 * 1024 * 1024
    assert peak < 4 * 1024 * 1024


def test_categories_and_links_from_the_arxiv_namespace(parse) -> None:
    data = feed(
        f"<entry {ARXIV_NS}><id>http://arxiv.org/abs/2401.00001v3</id><title>T</title>"
        "<summary>S.</summary>"
        '<arxiv:primary_category term="cs.LG"/><category term="stat.ML"/>'
        '<category term="cs.LG"/><arxiv:doi>10.1000/xyz</arxiv:doi>'
        '<link title="doi" href="http://dx.doi.org/10.1000/xyz"/></entry>'
    )
    record = parse(read_bytes(data, "n.xml")).records[0]
    assert record.categories == ["cs.LG", "stat.ML"]
    assert record.links == [
        "https://arxiv.org/abs/2401.00001",
        "https://arxiv.org/pdf/2401.00001",
        "https://doi.org/10.1000/xyz",
    ]
