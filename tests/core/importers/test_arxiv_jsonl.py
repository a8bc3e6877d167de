"""arXiv metadata snapshot (JSON lines): real rows, bad lines, and streaming in bounded memory."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from reader.core.importers import read_bytes, read_path
from reader.core.importers.arxiv_jsonl import split_authors


def row(n: int, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": f"2401.{n:05d}",
        "submitter": "Someone",
        "authors": f"First Author{n} and Second Author{n}",
        "title": f"Row Title {n}",
        "abstract": f"  The abstract of row {n}, hard wrapped\nas arXiv does it.\n",
        "categories": "cs.LG stat.ML",
        "versions": [{"version": "v1", "created": "Tue, 2 Jan 2024 10:00:00 GMT"}],
        "update_date": "2024-01-05",
    }
    base.update(fields)
    return base


def lines(*rows: object) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows).encode()


def test_the_snapshot_fixture_imports_good_rows_and_rejects_bad_lines(
    fixtures_dir: Path, parse
) -> None:
    source = fixtures_dir / "arxiv_snapshot.jsonl"
    parsed = parse(read_path(source))
    assert [r.arxiv_id for r in parsed.records] == [
        "0704.0001",
        "0704.0002",
        "hep-th/9711200",
        "2310.06825",
    ]
    assert [(r.source, r.line) for r in parsed.rejections] == [(str(source), 3), (str(source), 4)]
    assert parsed.rejections[0].reason == "'title' must be a string, not a list"
    assert parsed.rejections[1].reason.startswith("invalid JSON: Unterminated string")
    assert parsed.warnings == []
    diphoton, graphs, maldacena, mistral = parsed.records
    assert diphoton.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert diphoton.authors == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"]
    assert (diphoton.published, diphoton.updated) == ("2007-04-02", "2008-11-13")
    assert diphoton.categories == ["hep-ph"]
    assert diphoton.links == [
        "https://arxiv.org/abs/0704.0001",
        "https://arxiv.org/pdf/0704.0001",
        "https://doi.org/10.1103/PhysRevD.76.013009",
    ]
    assert diphoton.abstract.startswith("A fully differential calculation in perturbative")
    assert "\n" not in diphoton.abstract
    assert diphoton.source == f"{source}:1"
    assert graphs.authors == ["Ileana Streinu", "Louis Theran"]  # "A and B", no authors_parsed
    assert graphs.categories == ["math.CO", "cs.CG"]
    assert graphs.published == "2007-03-31" and graphs.source == f"{source}:2"
    assert maldacena.authors == ["Juan M. Maldacena (Harvard University, Cambridge, MA)"]
    assert maldacena.published == "1997-11-27"
    assert mistral.authors == [
        "Albert Q. Jiang",
        "Alexandre Sablayrolles",
        "Arthur Mensch",
        "Chris Bamford",
    ]
    assert "https://github.com/mistralai/mistral-src" in mistral.links


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("A, B and C", ["A", "B", "C"]),
        ("A, B, and C", ["A", "B", "C"]),
        ("A and B", ["A", "B"]),
        ("Solo Author", ["Solo Author"]),
        ("A (MIT, USA), B (ETH) and C", ["A (MIT, USA)", "B (ETH)", "C"]),
        ("Alexandra Andersson, Randy Sandoval", ["Alexandra Andersson", "Randy Sandoval"]),
        ("", []),
    ],
)
def test_author_strings_split_like_arxiv_writes_them(text: str, names: list[str]) -> None:
    assert split_authors(text) == names


def test_published_is_the_v1_date_whatever_the_order(parse) -> None:
    versions = [
        {"version": "v2", "created": "Wed, 3 Jan 2024 10:00:00 GMT"},
        {"version": "v1", "created": "Mon, 1 Jan 2024 10:00:00 GMT"},
    ]
    record = parse(read_bytes(lines(row(1, versions=versions)), "s.jsonl")).records[0]
    assert (record.published, record.updated) == ("2024-01-01", "2024-01-05")


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ('{"id": "2401.00009", "title": NaN}', "invalid JSON: NaN is not valid JSON"),
        ('{"id": "2401.00009", "title": "T", "x": ' + "9" * 5000 + "}", "Exceeds the limit"),
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
        ('["a list", "not an object"]', "a line must hold a JSON object, not a list"),
        ('{"title": "No id"}', "no 'id'"),
        ('{"id": 704.0001, "title": "T"}', "'id' must be a string, not a number"),
        ('{"id": "2401.00009", "title": "T", "versions": "v1"}', "'versions' must be a list"),
        ('{"id": "2401.00009", "title": "T", "versions": [{}]}', "with a 'created' string"),
        ('{"id": "2401.00009", "title": "T", "authors_parsed": [[1]]}', "list of strings"),
        ('{"id": "2401.00009", "title": "T", "categories": ["cs.LG"]}', "'categories' must be"),
        ('{"id": "2401.00009", "title": "\\u001b[2J"}', "no title"),
        ('{"id": "2401.00009", "title": "T"', "invalid JSON: Expecting ',' delimiter"),
        ('{"id": "2401.00009", "title": "raw \x01 control"}', "invalid JSON: Invalid control"),
    ],
)
def test_a_bad_line_is_one_rejection_and_the_rest_imports(bad: str, reason: str, parse) -> None:
    parsed = parse(read_bytes(lines(row(1), bad, row(2)), "snap.jsonl"))
    assert [r.arxiv_id for r in parsed.records] == ["2401.00001", "2401.00002"]
    assert [(r.line, reason in r.reason) for r in parsed.rejections] == [(2, True)]
    assert "\n" not in parsed.rejections[0].reason


def test_escaped_nuls_lone_surrogates_and_escapes_are_cleaned(parse) -> None:
    bad = '{"id": "2401.00009", "title": "A\\u0000B \\ud83d C \\u001b]52;c;aGk=\\u0007D"}'
    record = parse(read_bytes(lines(bad), "s.jsonl")).records[0]
    assert record.title == "AB C D"
    record.title.encode("utf-8")


def test_bom_crlf_and_blank_lines(parse) -> None:
    data = b"\xef\xbb\xbf" + lines(row(1), "", row(2)).replace(b"\n", b"\r\n") + b"\r\n\r\n"
    parsed = parse(read_bytes(data, "s.jsonl"))
    assert [r.source for r in parsed.records] == ["s.jsonl:1", "s.jsonl:3"]
    assert parsed.rejections == [] and parsed.warnings == []


def test_a_row_whose_id_is_not_an_arxiv_id_is_kept_with_a_warning(parse) -> None:
    parsed = parse(read_bytes(lines(row(1, id="not-an-id")), "s.jsonl"))
    assert parsed.records[0].arxiv_id is None
    assert parsed.records[0].links == []
    assert "'not-an-id' is not an arXiv id" in parsed.warnings[0].message


def test_an_unreadable_date_is_a_warning_not_a_rejection(parse) -> None:
    parsed = parse(read_bytes(lines(row(1, update_date="someday")), "s.jsonl"))
    assert parsed.records[0].updated == "" and parsed.records[0].published == "2024-01-02"
    assert "updated date 'someday' is unreadable" in parsed.warnings[0].message


def test_a_latin1_line_is_decoded_with_a_warning(parse) -> None:
    data = lines(row(1)) + json.dumps(row(2, title="Caf\u00e9"), ensure_ascii=False).encode(
        "cp1252"
    )
    parsed = parse(read_bytes(data + b"\n" + lines(row(3)), "s.jsonl"))
    assert parsed.titles == ["Row Title 1", "Caf\u00e9", "Row Title 3"]
    assert [w.line for w in parsed.warnings] == [2]


@pytest.mark.slow
def test_a_100_mb_line_is_rejected_in_bounded_memory(tmp_path: Path, parse) -> None:
    target = tmp_path / "huge.jsonl"
    chunk = b"a" * (1024 * 1024)
    with target.open("wb") as out:
        out.write(lines(row(1)))
        out.write(b'{"id": "2401.00002", "title": "T", "abstract": "')
        for _ in range(100):
            out.write(chunk)
        out.write(b'"}\n')
        out.write(lines(row(3)))
    tracemalloc.start()
    try:
        parsed = parse(read_path(target))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert parsed.titles == ["Row Title 1", "Row Title 3"]
    assert [r.line for r in parsed.rejections] == [2]
    assert "longer than 4 MiB" in parsed.rejections[0].reason
    assert peak < 16 * 1024 * 1024


@pytest.mark.slow
def test_a_large_file_streams_in_bounded_memory(tmp_path: Path) -> None:
    target = tmp_path / "many.jsonl"
    with target.open("wb") as out:
        for n in range(3_000):
            out.write(lines(row(n, abstract="A sentence about the results. " * 100)))
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_path(target))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 3_000
    assert target.stat().st_size > 8 * 1024 * 1024
    assert peak < 2 * 1024 * 1024
