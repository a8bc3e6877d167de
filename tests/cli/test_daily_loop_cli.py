"""The daily loop from the command line: follow, mute, digest, queue, pdf, summarize, run
through reader.cli.main on a real library, a real local server and real fake programs."""

from __future__ import annotations

import json
import shlex
import socket
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from reader.cli import main
from reader.core.library.facade import Library
from reader.core.paths import DataPaths

FIXTURES = Path(__file__).parents[1] / "fixtures"
for folder in ("daily", "fetch"):
    sys.path.insert(0, str(FIXTURES / folder))

from daily_library import fill, set_added  # noqa: E402
from fake_server import FakeServer, Reply  # noqa: E402
from tiny_pdf import tiny_pdf  # noqa: E402

Run = tuple[int, str, str]


@pytest.fixture
def data(data_dir: Path) -> Path:
    library = Library(DataPaths.resolve(data_dir))
    try:
        fill(library)
        hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
        set_added(library, {f"2401.0000{n}": hour_ago for n in range(1, 7)})
    finally:
        library.close()
    return data_dir


@pytest.fixture
def reader(capsys: pytest.CaptureFixture[str], data: Path):  # type: ignore[no-untyped-def]
    def run(*argv: str) -> Run:
        code = main(["--data-dir", str(data), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def one_line_error(err: str) -> str:
    assert err.startswith("reader: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def configure(data: Path, text: str) -> None:
    config = data / "config" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")


def test_follow_add_list_rm(reader) -> None:  # type: ignore[no-untyped-def]
    # `reader follow add author:"Yann LeCun"` in a shell: the quotes are gone by then
    code, out, err = reader("follow", "add", "author:Yann LeCun")
    assert (code, err) == (0, "")
    assert out == 'following author:"Yann LeCun": 2 papers now\n'
    code, out, _ = reader("follow", "add", 'title:"state spaces"', "--json")
    assert json.loads(out)["matches"] == 2 and json.loads(out)["new"] is True

    code, out, _ = reader("follow", "list", "--json")
    listed = json.loads(out)
    assert [(f["query"], f["matches"]) for f in listed] == [
        ('author:"Yann LeCun"', 2),
        ('title:"state spaces"', 2),
    ]
    code, out, _ = reader("search", "is:followed", "--json")
    assert json.loads(out)["total"] == 4

    assert reader("follow", "rm", 'author:"Yann LeCun"')[:2] == (
        0,
        'unfollowed author:"Yann LeCun"\n',
    )
    code, _, err = reader("follow", "rm", "author:nobody")
    assert code == 1 and "not among the followed queries" in one_line_error(err)


def test_a_bad_query_is_refused_with_the_note_search_gives(reader) -> None:  # type: ignore[no-untyped-def]
    code, out, err = reader("mute", "add", 'title:"state space')
    assert code == 1 and out == ""
    assert "not muted: malformed query (unclosed quote)" in one_line_error(err)
    code, out, _ = reader("mute", "list")
    assert out.startswith("nothing to mute yet")


def test_mute_hides_from_feeds_not_from_search(reader) -> None:  # type: ignore[no-untyped-def]
    assert reader("mute", "add", "abstract:survey")[0] == 0
    out = reader("search", "survey", "--json")[1]
    assert json.loads(out)["total"] == 2  # a typed search never hides
    out = reader("search", "is:muted", "--json")[1]
    assert {hit["id"] for hit in json.loads(out)["results"]} == {"2401.00002", "2401.00005"}
    out = reader("digest", "--since", "1d", "--json")[1]
    digest = json.loads(out)
    assert digest["hidden"] == 2 and digest["new"] == 6
    shown = {e["id"] for s in digest["sections"] for e in s["entries"]}
    assert shown == {"2401.00001", "2401.00003", "2401.00004", "2401.00006"}


def test_the_queue(reader, data: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = reader("queue", "add", "2401.00003", "2401.00001")
    assert (code, out) == (0, "queued 2401.00003 (#1)\nqueued 2401.00001 (#2)\n")
    assert reader("queue", "add", "2401.00006", "--first", "--json")[0] == 0
    code, _, err = reader("queue", "add", "nope")
    assert code == 1 and "unknown paper: nope" in one_line_error(err)

    code, out, _ = reader("queue", "list", "--json")
    results = json.loads(out)["results"]
    assert [r["id"] for r in results] == ["2401.00006", "2401.00003", "2401.00001"]
    assert results[0] == {
        "id": "2401.00006",
        "title": "Denoising Diffusion Probabilistic Models",
        "authors": ["Jonathan Ho", "Ajay Jain"],
        "date": "",
        "position": 1,
        "pdf": None,
    }
    assert reader("queue", "next")[1] == "2401.00006  Denoising Diffusion Probabilistic Models\n"
    assert json.loads(reader("queue", "next", "--json")[1])["id"] == "2401.00006"

    assert reader("queue", "move", "2401.00001", "1")[1] == "2401.00001 is #1\n"
    assert reader("queue", "done")[1] == "read: 2401.00001\n"
    code, out, _ = reader("search", "is:read", "--json")
    assert [hit["id"] for hit in json.loads(out)["results"]] == ["2401.00001"]
    assert reader("queue", "rm", "2401.00003", "2401.00006")[0] == 0
    assert reader("queue", "list")[1] == "the queue is empty\n"
    code, _, err = reader("queue", "next")
    assert code == 1 and "the reading queue is empty" in one_line_error(err)
    assert (data / "user" / "queue.yaml").read_text().endswith("queue: []\n")


def test_the_digest_in_three_formats_and_since_the_last(reader, data: Path) -> None:  # type: ignore[no-untyped-def]
    reader("follow", "add", "author:Albert Gu")
    reader("saved", "add", "diffusion", "diffusion")
    atom = data.parent / "out" / "reader.atom"

    code, out, err = reader("digest", "--format", "atom", "-o", str(atom))

    assert (code, err) == (0, "") and out == f"{atom}: 6 of 6 new papers (atom)\n"
    feed = feedparser.parse(atom.read_text(encoding="utf-8"))
    assert not feed.bozo and len(feed.entries) == 6
    assert [t.term for t in (e.tags[0] for e in feed.entries)][:3] == [
        "followed",
        "followed",
        "saved",
    ]
    assert "last:" in (data / "user" / "digest-state.yaml").read_text()

    code, out, _ = reader("digest")  # nothing was added since the last one
    assert code == 0 and "# reader digest: 0 new papers since" in out and "Nothing new." in out
    code, out, _ = reader("digest", "--since", "2w", "--format", "html")
    assert out.startswith("<!DOCTYPE html>") and "Saved search: diffusion" in out
    code, out, _ = reader("digest", "--since", "2w")
    assert "## Followed (2)" in out and '_Why: follows author:"Albert Gu"_' in out
    code, _, err = reader("digest", "--since", "yesterday")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("reader digest: argument --since: not a time: 'yesterday'")


PDF = tiny_pdf("The paper itself", size=50_000)


def test_pdf_downloads_into_the_data_dir(reader, data: Path, pdf_server: FakeServer) -> None:  # type: ignore[no-untyped-def]
    pdf_server.serve("/pdf/2401.00003", Reply(200, PDF, {"Content-Type": "application/pdf"}))

    code, out, err = reader("pdf", "2401.00003", "--json")

    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["path"] == str(data / "pdfs" / "2401.00003.pdf") and result["downloaded"]
    assert Path(result["path"]).read_bytes() == PDF
    code, out, _ = reader("pdf", "2401.00003")
    assert out == f"{data / 'pdfs' / '2401.00003.pdf'} (already here)\n"
    assert len(pdf_server.seen) == 1


def test_pdf_refuses_an_html_page_in_one_line_and_keeps_nothing(
    reader, data: Path, pdf_server: FakeServer
) -> None:  # type: ignore[no-untyped-def]
    pdf_server.serve(
        "/pdf/2401.00003", Reply(200, b"<html>sign in</html>" * 80, {"Content-Type": "text/html"})
    )

    code, out, err = reader("pdf", "2401.00003")

    assert code == 1 and out == ""
    assert "not a PDF but text/html" in one_line_error(err)
    assert list((data / "pdfs").iterdir()) == []


def test_pdf_offline_is_one_line_and_exit_1(reader, data: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("READER_PDF_URL", f"http://127.0.0.1:{port}/pdf")

    code, out, err = reader("pdf", "2401.00001", "--open")

    assert code == 1 and out == ""
    assert "could not reach" in one_line_error(err) and "connection refused" in err
    assert not (data / "pdfs" / "2401.00001.pdf").exists()


def test_queue_downloads_fetches_the_pdf_when_queueing(
    reader, data: Path, pdf_server: FakeServer
) -> None:  # type: ignore[no-untyped-def]
    configure(data, "queue_downloads: true\n")
    pdf_server.serve("/pdf/2401.00001", Reply(200, PDF))
    pdf_server.serve("/pdf/2401.00006", Reply(404, b"withdrawn"))

    code, out, err = reader("queue", "add", "2401.00001", "2401.00006", "--json")

    assert code == 0  # 00006's PDF is gone from the pdf_server: a warning, still queued
    result = json.loads(out)
    assert result["pdfs"]["2401.00001"] == str(data / "pdfs" / "2401.00001.pdf")
    assert result["pdfs"]["2401.00006"] is None
    assert "2401.00006 is queued, but" in err and "HTTP 404" in err
    assert result["queue"] == ["2401.00001", "2401.00006"]
    listed = json.loads(reader("queue", "list", "--json")[1])["results"]
    assert listed[0]["pdf"] == str(data / "pdfs" / "2401.00001.pdf")


def summarizer(data: Path, body: str, timeout: int = 20) -> None:
    script = data.parent / "summarize.py"
    script.write_text(body, encoding="utf-8")
    command = shlex.join([sys.executable, str(script), "{id}"])
    configure(data, f"summarize:\n  command: {command!r}\n  timeout: {timeout}\n")


def test_summarize_streams_strips_escapes_and_keeps_it(reader, data: Path) -> None:  # type: ignore[no-untyped-def]
    summarizer(
        data,
        "import sys\nprompt = sys.stdin.read()\n"
        "sys.stdout.write('\\x1b]52;c;cm0gLXJm\\x07\\x1b[2J' + sys.argv[1] + ': short.\\n')\n",
    )
    code, out, err = reader("summarize", "2401.00006")
    assert code == 0 and err.startswith("reader: note: the PDF is not downloaded")
    assert out == "2401.00006: short.\n"
    kept = data / "user" / "summaries" / "2401.00006.md"
    assert kept.read_text() == "2401.00006: short.\n"

    code, out, err = reader("summarize", "2401.00006", "--json")  # kept: not asked again
    assert json.loads(out) == {
        "id": "2401.00006",
        "summary": "2401.00006: short.\n",
        "path": str(kept),
        "cached": True,
    }
    code, out, _ = reader("search", "summary:short", "--json")
    assert [hit["id"] for hit in json.loads(out)["results"]] == ["2401.00006"]


def test_summarize_failures_are_one_line(reader, data: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = reader("summarize", "2401.00001")
    assert (
        code == 1
        and "no summarizer is set up: add e.g. 'summarize: {command:" in one_line_error(err)
    )

    summarizer(data, "import sys\nsys.stderr.write('model not found\\n')\nsys.exit(5)\n")
    code, out, err = reader("summarize", "2401.00001", "--refresh")
    assert code == 1 and out == ""
    assert "failed (exit status 5): model not found" in one_line_error(err)
    assert "summarize.py {id}) failed" in err  # named as configured, not as filled in

    summarizer(data, "import time\ntime.sleep(60)\n", timeout=1)
    code, _, err = reader("summarize", "2401.00001")
    assert code == 1 and "took over 1 s and was stopped" in one_line_error(err)
    assert not (data / "user" / "summaries" / "2401.00001.md").exists()
