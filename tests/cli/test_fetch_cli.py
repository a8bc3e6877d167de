"""`reader fetch` end to end: the real CLI against a real local server, into a tmp library."""

from __future__ import annotations

import itertools
import json
import socket
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures" / "fetch"))

from fake_server import FIXTURES, FakeServer, Reply

from reader.cli import main
from reader.core.library.facade import Library
from reader.core.paths import DataPaths


@pytest.fixture
def server(server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    """The shared local server, as where Daily Papers and arXiv answer from."""
    monkeypatch.setenv("READER_HF_URL", server.url)
    monkeypatch.setenv("READER_ARXIV_URL", f"{server.url}/api/query")
    return server


def reader(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def papers_in(data_dir: Path) -> int:
    library = Library(DataPaths.resolve(data_dir))
    try:
        return library.count()
    finally:
        library.close()


def test_fetch_hf_date(server: FakeServer, data_dir: Path, capsys) -> None:
    assert reader(data_dir, "fetch", "hf", "--date", "2024-03-11") == 0
    out = capsys.readouterr()
    assert out.out == "hf 2024-03-11: 3 added, 0 updated, 0 duplicates, 0 rejected\n"
    assert out.err == ""
    assert papers_in(data_dir) == 3
    assert server.seen[0].headers["User-Agent"].startswith("reader/")


def test_json_is_one_document_and_304_says_not_modified(
    server: FakeServer, data_dir: Path, capsys
) -> None:
    server.etag = '"v1"'
    assert reader(data_dir, "fetch", "--json", "hf", "--date", "2024-03-11") == 0
    first = json.loads(capsys.readouterr().out)
    assert first["ok"] is True
    assert [(f["feed"], f["added"], f["pages"]) for f in first["feeds"]] == [
        ("hf 2024-03-11", 3, 1)
    ]

    assert reader(data_dir, "fetch", "hf", "--date", "2024-03-11") == 0
    assert capsys.readouterr().out == "hf 2024-03-11: not modified\n"
    assert server.seen[-1].headers["If-None-Match"] == '"v1"'

    assert reader(data_dir, "fetch", "hf", "--date", "2024-03-11", "--force", "--json") == 0
    forced = json.loads(capsys.readouterr().out)["feeds"][0]
    assert "If-None-Match" not in server.seen[-1].headers
    assert (forced["added"], forced["duplicates"], forced["not_modified"]) == (0, 3, 0)


def test_fetch_hf_days_asks_for_each_day(server: FakeServer, data_dir: Path, capsys) -> None:
    before = datetime.now(UTC).date()
    assert reader(data_dir, "fetch", "hf", "--days", "3") == 0
    asked = [seen.arg("date") for seen in server.seen]
    days = {
        tuple((today - timedelta(days=n)).isoformat() for n in range(3))
        for today in (before, datetime.now(UTC).date())
    }
    assert tuple(asked) in days
    assert (
        capsys.readouterr().out == "hf last 3 days: 0 added, 0 updated, 0 duplicates, 0 rejected\n"
    )


def test_fetch_arxiv(server: FakeServer, data_dir: Path, capsys) -> None:
    args = ("fetch", "arxiv", "all:operator", "--category", "cs.LG", "--max", "2", "--json")
    assert reader(data_dir, *args) == 0
    feed = json.loads(capsys.readouterr().out)["feeds"][0]
    assert (feed["feed"], feed["added"]) == ("arxiv (all:operator) AND cat:cs.LG", 2)
    assert server.seen[0].arg("search_query") == "(all:operator) AND cat:cs.LG"
    assert server.seen[0].arg("max_results") == "2"


def test_offline_is_one_line_and_exit_1(
    data_dir: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("READER_HF_URL", f"http://127.0.0.1:{port}")
    assert reader(data_dir, "fetch", "hf", "--date", "2024-03-11") == 1
    out = capsys.readouterr()
    url = f"http://127.0.0.1:{port}/api/daily_papers?date=2024-03-11&limit=100&p=0"
    assert (
        out.err == f"reader: could not reach {url}: connection refused; your library is unchanged\n"
    )
    assert out.out == "hf 2024-03-11: failed\n"
    assert papers_in(data_dir) == 0


def test_server_errors_exit_1_with_json_still_one_document(
    server: FakeServer, data_dir: Path, capsys
) -> None:
    # Retry-After: 0 is honoured, so the CLI's real retries (4 attempts) take no time here.
    server.queue("/api/daily_papers", *[Reply(503, headers={"Retry-After": "0"})] * 4)
    assert reader(data_dir, "fetch", "hf", "--date", "2024-03-11", "--json") == 1
    out = capsys.readouterr()
    document = json.loads(out.out)
    assert document["ok"] is False
    assert (
        "HTTP 503 Service Unavailable (gave up after 4 attempts)" in document["feeds"][0]["error"]
    )
    assert len(server.seen) == 4
    assert out.err.count("\n") == 1 and out.err.startswith("reader: could not reach ")


def test_no_arguments_runs_every_saved_feed(server: FakeServer, data_dir: Path, capsys) -> None:
    config = DataPaths.resolve(data_dir).config_file
    config.parent.mkdir(parents=True)
    config.write_text(
        "feeds:\n"
        "  - hf: {date: 2024-03-11}\n"
        "  - hf: {date: 2024-03-10}\n"
        '  - arxiv: {query: "all:operator", max: 2}\n',
        encoding="utf-8",
    )
    assert reader(data_dir, "fetch") == 0
    assert capsys.readouterr().out.splitlines() == [
        "hf 2024-03-11: 3 added, 0 updated, 0 duplicates, 0 rejected",
        "hf 2024-03-10: 1 added, 1 updated, 0 duplicates, 0 rejected",  # new upvote count
        "arxiv all:operator: 2 added, 0 updated, 0 duplicates, 0 rejected",
    ]
    assert papers_in(data_dir) == 6
    assert len(server.seen) == 3


def test_no_saved_feeds_says_what_to_do(data_dir: Path, capsys) -> None:
    assert reader(data_dir, "fetch") == 1
    err = capsys.readouterr().err
    assert err.startswith("reader: no feeds saved in ") and "reader fetch hf" in err
    assert err.count("\n") == 1


def test_a_bad_config_names_file_and_line(data_dir: Path, capsys) -> None:
    config = DataPaths.resolve(data_dir).config_file
    config.parent.mkdir(parents=True)
    config.write_text("feeds:\n  - hf: {days: 1}\n  - arxiv: {max: 5}\n", encoding="utf-8")
    assert reader(data_dir, "fetch") == 1
    assert capsys.readouterr().err == (
        f"reader: {config}:3:5: arxiv needs a query, a category, or both\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("hf", "--date", "2024-02-30"),
        ("hf", "--date", "2024-03-11", "--days", "2"),
        ("hf", "--days", "0"),
        ("arxiv", "x", "--max", "0"),
        ("arxiv", "x", "--category", "not a category"),
        ("rss",),
    ],
)
def test_usage_errors_exit_2_in_one_line(data_dir: Path, capsys, args: tuple[str, ...]) -> None:
    assert reader(data_dir, "fetch", *args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.slow
def test_default_arxiv_pace_is_three_seconds(server: FakeServer, data_dir: Path, capsys) -> None:
    """arXiv asks for 3 s between requests: the CLI's default keeps at least that gap."""
    start0 = (FIXTURES / "arxiv_start0.xml").read_bytes()  # 2 of 5 results: one more page
    server.queue("/api/query", Reply(200, start0))
    assert reader(data_dir, "fetch", "arxiv", "all:operator", "--max", "3") == 0
    assert [seen.arg("start") for seen in server.seen] == ["0", "2"]
    (gap,) = [b.at - a.at for a, b in itertools.pairwise(server.seen)]
    assert gap >= 3.0


def test_a_server_dripping_bytes_is_cut_at_the_configured_deadline(
    server: FakeServer, data_dir: Path, capsys
) -> None:
    config = data_dir / "config" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("fetch:\n  deadline: 1\n", encoding="utf-8")
    body = (FIXTURES / "hf_2024-03-11.json").read_bytes()
    server.queue("/api/daily_papers", Reply(200, body, drip=0.05))
    started = time.monotonic()

    assert reader(data_dir, "fetch", "hf", "--date", "2024-03-11") == 1

    assert time.monotonic() - started < 5  # the whole answer would take minutes
    url = f"{server.url}/api/daily_papers?date=2024-03-11&limit=100&p=0"
    assert capsys.readouterr().err == (
        f"reader: could not read {url}: no complete answer within 1 s; your library is unchanged\n"
    )
    assert papers_in(data_dir) == 0


def test_json_nested_too_deep_names_the_url(server: FakeServer, data_dir: Path, capsys) -> None:
    server.queue("/api/daily_papers", Reply(200, b"[" * 100_000 + b"]" * 100_000))

    assert reader(data_dir, "fetch", "hf", "--date", "2024-03-11") == 1

    url = f"{server.url}/api/daily_papers?date=2024-03-11&limit=100&p=0"
    assert capsys.readouterr().err == (
        f"reader: could not read {url}: the response's JSON is nested too deep; "
        "your library is unchanged\n"
    )
