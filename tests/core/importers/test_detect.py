"""Format detection by content, and whole files refused with one clear line."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from reader.core.importers import FORMATS, UnreadableFile, detect, read_bytes, read_path
from reader.core.model import Record

SNAPSHOT_ROW = b'{"id": "0704.0001", "title": "T", "abstract": "A."}\n'


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("hf_daily_papers.json", "hf-json"),
        ("arxiv_api.xml", "arxiv-atom"),
        ("arxiv_api_empty.xml", "arxiv-atom"),
        ("arxiv_snapshot.jsonl", "arxiv-jsonl"),
    ],
)
def test_fixtures_are_detected_by_content(name: str, kind: str, fixtures_dir: Path) -> None:
    assert detect((fixtures_dir / name).read_bytes()[:65536]) == kind


def test_seeds_are_daily_text_under_any_name(seed_files: list[Path], tmp_path: Path) -> None:
    for seed in seed_files:
        assert detect(seed.read_bytes()[:65536]) == "daily-text"
        renamed = tmp_path / f"{seed.name}.json"  # the name is never looked at
        renamed.write_bytes(seed.read_bytes())
        assert sum(isinstance(item, Record) for item in read_path(renamed)) > 50


def test_detect_tells_json_lines_from_one_json_object() -> None:
    assert detect(SNAPSHOT_ROW * 3) == "arxiv-jsonl"
    assert detect(SNAPSHOT_ROW) == "arxiv-jsonl"
    huge_first_line = b'{"id": "0704.0001", "title": "' + b"x" * 70_000
    assert detect(huge_first_line[:65536]) == "arxiv-jsonl"
    assert detect(b'{"id": "2409.1", "summary": "A.", "title": "T"}') == "hf-json"
    assert detect(json.dumps({"id": "2409.1", "title": "T"}, indent=2).encode()) == "hf-json"
    assert detect(b'  \n[{"paper": {}}]') == "hf-json"
    assert detect(b'{"id": "0704.0001", "title": "broken\n' + SNAPSHOT_ROW) == "arxiv-jsonl"
    assert set(FORMATS) == {
        *("daily-text", "hf-json", "arxiv-atom", "arxiv-jsonl"),
        *("bibtex", "csl-json", "bbt-json", "zotero-sqlite", "papis"),
    }


REFUSED = [
    ("empty", b"", "is empty"),
    ("blank", b"  \n\t\r\n  \n", "is empty"),
    ("bom-only", b"\xef\xbb\xbf\n", "is empty"),
    ("binary", bytes(range(256)) * 4, "is binary, not text"),
    ("nul", b"Title\n\nAbstract\x00 with a NUL.\n", "is binary, not text"),
    ("gzip", gzip.compress(SNAPSHOT_ROW), "is a gzip archive; decompress it first"),
    ("zip", b"PK\x03\x04" + b"\x00" * 40, "is a zip archive"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is a PDF"),
    ("utf16-bom", codecs.BOM_UTF16_LE + "Title\n\nAbstract.\n".encode("utf-16-le"), "UTF-16"),
    ("utf16-be", codecs.BOM_UTF16_BE + "Title\n\nAbstract.\n".encode("utf-16-be"), "UTF-16"),
    ("utf16-no-bom", "Title\n\nAn abstract here.\n".encode("utf-16-le"), "is UTF-16 text"),
    ("utf32", "Title\n".encode("utf-32"), "is UTF-32 text"),
    ("prose", b"Dear diary,\n\ntoday I read nothing.\n", "unknown format"),
    ("xml", b"<?xml version='1.0'?><rss/>", "is XML but not an Atom feed"),
    ("html", b"<html><head><title>Daily Papers</title></head></html>", "is an HTML page"),
]


@pytest.mark.parametrize(("data", "reason"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_unusable_files_are_refused_in_one_line_naming_the_file(
    data: bytes, reason: str, tmp_path: Path
) -> None:
    target = tmp_path / "input.txt"
    target.write_bytes(data)
    assert detect(data) is None
    with pytest.raises(UnreadableFile) as caught:
        read_path(target)  # refused at the call, before any iteration
    message = str(caught.value)
    assert message.startswith(f"{target}: ")
    assert reason in message
    assert "\n" not in message and "Traceback" not in message
    with pytest.raises(UnreadableFile):
        read_bytes(data, "page")


def test_a_directory_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="is a folder, not a papis library"):
        read_path(tmp_path)
    with pytest.raises(UnreadableFile, match="cannot be read: No such file"):
        read_path(tmp_path / "absent.txt")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads mode-0 files")
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_bytes(SNAPSHOT_ROW)
    target.chmod(0)
    try:
        with pytest.raises(UnreadableFile, match="cannot be read: Permission denied"):
            read_path(target)
    finally:
        target.chmod(0o600)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # keeps open() from blocking
    try:
        with pytest.raises(UnreadableFile, match="is not a regular file"):
            read_path(fifo)
    finally:
        os.close(writer)


def test_file_names_with_control_characters_are_escaped_in_messages(tmp_path: Path) -> None:
    name = "evil\x1b[2J\nname\udcff.txt"
    target = tmp_path / name
    try:
        target.write_bytes(b"")
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses such a name")
    with pytest.raises(UnreadableFile) as caught:
        read_path(target)
    message = str(caught.value)
    assert "\x1b" not in message and "\n" not in message
    assert "evil\\x1b[2J\\x0aname\\xff.txt: is empty" in message
    message.encode("utf-8")  # printable anywhere


def test_records_from_an_escaped_name_carry_the_escaped_source(tmp_path: Path) -> None:
    target = tmp_path / "tab\tname.jsonl"
    target.write_bytes(SNAPSHOT_ROW)
    (record,) = list(read_path(target))
    assert isinstance(record, Record)
    assert record.source == f"{tmp_path}/tab\\x09name.jsonl:1"


@pytest.mark.slow
@pytest.mark.parametrize("start", [b"", b"Daily Papers\n\nSep 8\n\n"], ids=["bare", "page"])
def test_a_100_mb_single_line_costs_no_memory(start: bytes, tmp_path: Path, parse) -> None:
    target = tmp_path / "one-line.txt"
    with target.open("wb") as out:
        out.write(start)
        for _ in range(100):
            out.write(b"word " * 209_716)  # 1 MiB a chunk, no newline anywhere
    tracemalloc.start()
    try:
        if start:  # a page: the line is one rejection, read in bounded chunks
            parsed = parse(read_path(target))
            assert parsed.records == [] and [r.line for r in parsed.rejections] == [5]
        else:  # no paper list at all: refused from its first 64 KiB
            with pytest.raises(UnreadableFile, match="unknown format"):
                read_path(target)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
