"""papis libraries: a folder of info.yaml documents, each with its notes file."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.importers import UnreadableFile, read_path


@pytest.fixture
def papis_library(fixtures_dir: Path) -> Path:
    return fixtures_dir / "papis"


def test_documents_are_mapped(papis_library: Path, parse) -> None:
    parsed = parse(read_path(papis_library))
    titles = {record.title: record for record in parsed.records}
    attention = titles["Attention Is All You Need"]
    assert attention.authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]  # author_list
    assert (attention.arxiv_id, attention.published) == ("1706.03762", "2017-06")
    assert attention.tags == ["transformers", "to-read"]
    assert (
        attention.note
        == "# Notes on the transformer\n\n- scaled dot-product attention\n- multi-head"
    )
    pdf = (papis_library / "vaswani-2017-attention" / "vaswani-2017-attention.pdf").absolute()
    assert pdf.as_uri() in attention.links
    assert attention.own and attention.source.endswith("vaswani-2017-attention/info.yaml:1")
    bert = titles[
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    ]
    assert bert.authors[:2] == ["Jacob Devlin", "Ming-Wei Chang"]  # "Last, First and ..."
    assert (bert.doi, bert.tags) == ("10.18653/v1/n19-1423", ["nlp", "pretraining"])
    assert bert.note == "\\section{Masked LM}\nMask 15% of tokens."  # the notes file as written
    old = titles["Über die Komplexität von Schätzverfahren"]
    assert old.tags == ["survey", "deep-learning", "méthodes"]  # one text, split at commas
    nested = titles["A Document In A Subfolder"]
    assert nested.arxiv_id == "2103.00020"  # unquoted in YAML, still not a number


def test_bad_documents_are_rejected_alone(papis_library: Path, parse) -> None:
    parsed = parse(read_path(papis_library))
    rejected = {Path(r.source).parent.name: (r.line, r.reason) for r in parsed.rejections}
    assert rejected["no-title"] == (1, "no title")
    line, reason = rejected["broken-yaml"]
    assert line == 3 and reason.startswith("not valid YAML: ")
    assert len(parsed.records) == 4
    (warning,) = parsed.warnings
    assert "outside the document" in warning.message  # notes: ../../escape.md is not read


def test_a_folder_that_is_no_papis_library_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "paper.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(UnreadableFile) as caught:
        read_path(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: is a folder, not a papis library (no document folder in it has an info.yaml)"
    )


def test_yaml_tags_never_run_and_aliases_are_refused(tmp_path: Path, parse) -> None:
    proof = tmp_path / "pwned"
    (tmp_path / "doc1").mkdir()
    (tmp_path / "doc1" / "info.yaml").write_text(
        f'title: !!python/object/apply:os.system ["touch {proof}"]\n'
    )
    (tmp_path / "doc2").mkdir()
    (tmp_path / "doc2" / "info.yaml").write_text("a: &a [x, x]\nb: &b [*a, *a]\ntitle: T\n")
    parsed = parse(read_path(tmp_path))
    assert not proof.exists()
    assert [r.reason for r in parsed.rejections] == [
        "'title' must be text, not a list",
        "uses YAML anchors and aliases, which papis never writes",
    ]
