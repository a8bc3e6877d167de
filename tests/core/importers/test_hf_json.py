"""Hugging Face daily_papers JSON: the public format, and every way a record can be wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core.importers import UnreadableFile, read_bytes, read_path


def paper(n: int, **paper_fields: object) -> dict[str, object]:
    """One element of the API's list, as /api/daily_papers gives it."""
    fields: dict[str, object] = {
        "id": f"2409.{n:05d}",
        "authors": [{"_id": f"a{n}", "name": f"Author {n}", "hidden": False}],
        "publishedAt": "2024-09-04T17:25:47.000Z",
        "title": f"Paper Number {n}",
        "summary": f"We present paper number {n}. It is a fine paper.",
        "upvotes": n,
    }
    fields.update(paper_fields)
    return {"paper": fields, "publishedAt": "2024-09-05T03:47:46.522Z", "numComments": 0}


def dump(elements: list[object]) -> bytes:
    return json.dumps(elements).encode()


def test_the_fixture_imports_all_but_the_record_with_wrong_types(fixtures_dir: Path, parse) -> None:
    source = fixtures_dir / "hf_daily_papers.json"
    parsed = parse(read_path(source))
    assert parsed.titles == [
        "LongLLaVA: Scaling Multi-modal LLMs to 1000 Images Efficiently via Hybrid Architecture",
        "Adam: A Method for Stochastic Optimization",
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "Training Compute-Optimal Large Language Models",
    ]
    assert [(r.source, r.line, r.reason) for r in parsed.rejections] == [
        (str(source), 4, "'paper.title' must be a string, not a number")
    ]
    assert [(w.line, "no abstract" in w.message) for w in parsed.warnings] == [(5, True)]
    first, adam, lora, chinchilla = parsed.records
    assert first.arxiv_id == "2409.02889"
    assert first.authors == ["Xidong Wang", "Dingjie Song", "Shunian Chen", "Benyou Wang"]
    assert (first.published, first.listed, first.upvotes) == ("2024-09-04", "2024-09-05", 56)
    assert first.source == f"{source}:1"
    assert first.links == [
        "https://arxiv.org/abs/2409.02889",
        "https://arxiv.org/pdf/2409.02889",
        "https://github.com/FreedomIntelligence/LongLLaVA",
    ]
    assert "\n" not in first.abstract  # the summary's hard wrap is joined
    assert lora.arxiv_id == "2106.09685"  # versionless
    assert "https://github.com/microsoft/LoRA" in lora.links  # bare link in the abstract
    assert adam.upvotes == 12 and chinchilla.abstract == "" and chinchilla.upvotes == 0


def test_read_bytes_and_pretty_printing_give_the_same_records(fixtures_dir: Path, parse) -> None:
    data = (fixtures_dir / "hf_daily_papers.json").read_bytes()
    pretty = json.dumps(json.loads(data), indent=2).encode()
    from_file = parse(read_path(fixtures_dir / "hf_daily_papers.json")).records
    for blob in (data, pretty):
        records = parse(read_bytes(blob, "https://huggingface.co/api/daily_papers")).records
        assert [(r.title, r.abstract, r.links) for r in records] == [
            (r.title, r.abstract, r.links) for r in from_file
        ]
        assert records[0].source == "https://huggingface.co/api/daily_papers:1"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ('{"paper": {"title": "X", "upvotes": NaN}}', "NaN is not valid JSON"),
        ('{"paper": {"title": "X", "upvotes": -Infinity}}', "-Infinity is not valid JSON"),
        ('{"paper": {"title": "X", "upvotes": 1' + "0" * 30 + "}}", "'paper.upvotes' is out of"),
        ('{"paper": {"title": "X", "upvotes": 1' + "0" * 5000 + "}}", "Exceeds the limit"),
        ('{"paper": {"title": "X", "upvotes": true}}', "'paper.upvotes' must be a whole number"),
        ('{"paper": {"title": "X", "upvotes": 2.5}}', "'paper.upvotes' must be a whole number"),
        ('{"paper": {"title": "X", "authors": "A, B"}}', "'paper.authors' must be a list"),
        ('{"paper": {"title": "X", "authors": [7]}}', "must be an object with a name"),
        ('{"paper": {"title": "X", "summary": ["a"]}}', "'paper.summary' must be a string"),
        ('{"paper": "2409.00001"}', "'paper' must be an object, not a string"),
        ('"just a string"', "a paper must be a JSON object, not a string"),
        ('{"paper": {"title": "   "}}', "no title"),
        ('{"paper": {"title": "X", "publishedAt": 20240905}}', "'paper.publishedAt' must be"),
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
        ('{"paper": {"title": "X",, }}', "invalid JSON: Expecting property name"),
    ],
)
def test_a_bad_record_is_one_rejection_and_the_rest_imports(bad: str, reason: str, parse) -> None:
    good = [json.dumps(paper(1)), json.dumps(paper(2))]
    data = f"[{good[0]},\n{bad},\n{good[1]}]".encode()
    parsed = parse(read_bytes(data, "daily.json"))
    assert parsed.titles == ["Paper Number 1", "Paper Number 2"]
    assert [r.line for r in parsed.rejections] == [2]
    assert reason in parsed.rejections[0].reason
    assert "\n" not in parsed.rejections[0].reason


def test_nuls_and_lone_surrogates_in_strings_are_dropped(parse) -> None:
    data = b'[{"paper": {"title": "Nul\\u0000 and \\ud800lone", "summary": "Text\\udfff."}}]'
    record = parse(read_bytes(data, "s.json")).records[0]
    assert (record.title, record.abstract) == ("Nul and lone", "Text.")
    record.title.encode("utf-8")  # storable


def test_a_bom_is_accepted(parse) -> None:
    parsed = parse(read_bytes(b"\xef\xbb\xbf" + dump([paper(1)]), "bom.json"))
    assert parsed.titles == ["Paper Number 1"]


def test_a_truncated_file_keeps_the_records_before_the_cut(parse) -> None:
    data = dump([paper(1), paper(2), paper(3)])
    cut = data[: data.index(b"Paper Number 3")]
    parsed = parse(read_bytes(cut, "cut.json"))
    assert parsed.titles == ["Paper Number 1", "Paper Number 2"]
    assert [r.line for r in parsed.rejections] == [3]
    assert "could not be read" in parsed.rejections[0].reason


def test_a_list_cut_after_a_record_says_it_ends_early(parse) -> None:
    parsed = parse(read_bytes(dump([paper(1), paper(2)])[:-1], "cut.json"))
    assert parsed.titles == ["Paper Number 1", "Paper Number 2"]
    assert "ends early" in parsed.rejections[0].reason


def test_a_single_bare_paper_object_is_one_record(parse) -> None:
    bare = json.dumps(paper(7)["paper"], indent=2).encode()
    parsed = parse(read_bytes(bare, "paper.json"))
    assert parsed.titles == ["Paper Number 7"] and parsed.records[0].listed == ""


def test_an_api_error_answer_is_refused_in_one_line() -> None:
    with pytest.raises(UnreadableFile) as caught:
        list(read_bytes(b'{"error": "Invalid date\\nformat"}', "https://hf.co/api/daily_papers"))
    message = str(caught.value)
    assert message.startswith("https://hf.co/api/daily_papers: is an API error answer")
    assert "\n" not in message


def test_an_empty_list_is_no_records(parse) -> None:
    parsed = parse(read_bytes(b"[ ]", "empty.json"))
    assert (parsed.records, parsed.rejections, parsed.warnings) == ([], [], [])


def test_a_document_over_200_mib_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as out:  # sparse: costs no disk and no time
        out.write(b"[" + dump([paper(1)])[1:-1] + b"," + b" " * 100_000)
        out.seek(201 * 1024 * 1024)
        out.write(b"]")
    with pytest.raises(UnreadableFile, match="larger than 200 MiB"):
        read_path(big)
