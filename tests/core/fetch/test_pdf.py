"""PDF downloads against a real local server: a PDF lands whole at its name or not at all,
a dropped connection resumes with Range, and hostile answers (HTML, 2 GB, endless) leave
nothing behind."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fake_server import FakeServer, Reply
from tiny_pdf import tiny_pdf

from reader.core.fetch.http import FetchError, HttpClient
from reader.core.fetch.pdf import PdfCancelled, PdfError, download_pdf, pdf_url
from reader.core.model import Paper

PDF = tiny_pdf("Hello from the paper", size=300_000)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "pdfs" / "2401.00001.pdf"


def get(client: HttpClient, url: str, target: Path, **options: object):  # type: ignore[no-untyped-def]
    return download_pdf(client, url, target, lock_dir=target.parent.parent / ".locks", **options)


def leftovers(target: Path) -> list[str]:
    return sorted(path.name for path in target.parent.iterdir()) if target.parent.exists() else []


def test_a_pdf_is_downloaded_whole_with_progress(
    server: FakeServer, client: HttpClient, target: Path
) -> None:
    server.serve("/pdf/2401.00001", Reply(200, PDF, {"Content-Type": "application/pdf"}))
    seen: list[tuple[int, int]] = []

    got = get(
        client, f"{server.url}/pdf/2401.00001", target, progress=lambda d, t: seen.append((d, t))
    )

    assert target.read_bytes() == PDF and got.size == len(PDF) and got.resumed_from == 0
    assert leftovers(target) == ["2401.00001.pdf"]  # no part, no sidecar
    assert seen[-1] == (len(PDF), len(PDF))
    assert server.seen[0].headers.get("Accept-Encoding") == "identity"


def test_an_html_page_instead_of_a_pdf_is_refused_and_nothing_kept(
    server: FakeServer, client: HttpClient, target: Path
) -> None:
    page = b"<!DOCTYPE html><html><body>Please log in</body></html>" * 50
    server.serve("/pdf/x", Reply(200, page, {"Content-Type": "text/html; charset=utf-8"}))

    with pytest.raises(PdfError, match=r"not a PDF but text/html \(an HTML page"):
        get(client, f"{server.url}/pdf/x", target)
    assert leftovers(target) == []


def test_a_2_gb_answer_is_refused_before_it_is_read(
    server: FakeServer, client: HttpClient, target: Path
) -> None:
    server.serve("/big", Reply(200, PDF[:1000], short_by=2 * 2**30))

    with pytest.raises(PdfError, match=r"it is 2,048 MB, over the 100 MB cap; nothing was kept"):
        get(client, f"{server.url}/big", target)
    assert leftovers(target) == []


def test_an_endless_pdf_stops_at_the_cap(
    server: FakeServer, client: HttpClient, target: Path
) -> None:
    server.serve("/endless", Reply(200, endless=True, endless_head=b"%PDF-1.7\n"))

    with pytest.raises(PdfError, match="over the 1 MB cap; stopped reading"):
        get(client, f"{server.url}/endless", target, max_bytes=2**20)
    assert leftovers(target) == []


def test_a_dropped_connection_resumes_where_it_stopped(server: FakeServer, target: Path) -> None:
    etag = '"v1"'
    server.serve("/f", Reply(200, PDF, {"ETag": etag}, ranges=True, drop_after=120_000))
    client = HttpClient(timeout=2.0, retries=4, backoff=0.01)

    got = get(client, f"{server.url}/f", target)

    assert target.read_bytes() == PDF and got.size == len(PDF)
    ranges = [seen.headers.get("Range") for seen in server.seen]
    assert ranges == [None, "bytes=120000-", "bytes=240000-"]
    assert {seen.headers.get("If-Range") for seen in server.seen[1:]} == {etag}
    assert leftovers(target) == ["2401.00001.pdf"]


def test_a_download_that_keeps_breaking_resumes_on_the_next_run(
    server: FakeServer, target: Path
) -> None:
    server.serve("/f", Reply(200, PDF, {"ETag": '"v1"'}, ranges=True, drop_after=200_000))
    impatient = HttpClient(timeout=2.0, retries=0, backoff=0.01)

    with pytest.raises(PdfError, match="run it again to resume"):
        get(impatient, f"{server.url}/f", target)
    assert not target.exists()
    assert leftovers(target) == [".2401.00001.pdf.part", ".2401.00001.pdf.part.json"]

    got = get(impatient, f"{server.url}/f", target)  # the next run: the rest only

    assert target.read_bytes() == PDF and got.resumed_from == 200_000
    assert server.seen[-1].headers.get("Range") == "bytes=200000-"


def test_a_file_changed_on_the_server_is_fetched_whole_again(
    server: FakeServer, target: Path
) -> None:
    client = HttpClient(timeout=2.0, retries=0, backoff=0.01)
    server.queue("/f", Reply(200, PDF, {"ETag": '"old"'}, ranges=True, drop_after=100_000))
    with pytest.raises(PdfError):
        get(client, f"{server.url}/f", target)
    newer = tiny_pdf("A revised version", size=250_000)
    server.serve("/f", Reply(200, newer, {"ETag": '"new"'}, ranges=True))

    get(client, f"{server.url}/f", target)

    assert target.read_bytes() == newer  # If-Range "old" did not match: sent whole, not spliced
    assert server.seen[-1].headers.get("If-Range") == '"old"'


def test_a_part_longer_than_the_file_starts_over(server: FakeServer, target: Path) -> None:
    client = HttpClient(timeout=2.0, retries=1, backoff=0.01)
    target.parent.mkdir(parents=True)
    part = target.with_name(f".{target.name}.part")
    part.write_bytes(PDF + b"junk")
    url = f"{server.url}/f"
    target.with_name(f".{target.name}.part.json").write_text(f'{{"url": "{url}"}}')
    server.serve("/f", Reply(200, PDF, ranges=True))

    get(client, url, target)

    assert target.read_bytes() == PDF
    assert [seen.headers.get("Range") for seen in server.seen] == [f"bytes={len(PDF) + 4}-", None]


def test_offline_is_one_error_and_nothing_is_written(target: Path, client: HttpClient) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(FetchError, match="connection refused"):
        get(client, f"http://127.0.0.1:{port}/pdf/2401.00001", target)
    assert leftovers(target) == []


def test_a_cancelled_download_keeps_its_part_for_later(server: FakeServer, target: Path) -> None:
    gate = threading.Event()
    server.serve("/f", Reply(200, PDF, ranges=True))
    cancel = threading.Event()

    def stop_once_started(done: int, total: int) -> None:
        cancel.set()
        gate.set()

    with pytest.raises(PdfCancelled):
        get(HttpClient(), f"{server.url}/f", target, progress=stop_once_started, cancel=cancel)
    assert gate.is_set() and not target.exists()
    assert f".{target.name}.part" in leftovers(target)


_HOLD_LOCK = """
import sys
from pathlib import Path
from reader.core.locking import locked
with locked(Path(sys.argv[1]), sys.argv[2]):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_one_download_of_a_file_at_a_time(
    server: FakeServer, client: HttpClient, target: Path
) -> None:
    server.serve("/f", Reply(200, PDF))
    lock_dir = target.parent.parent / ".locks"
    other = subprocess.Popen(  # another reader, downloading the same PDF
        [sys.executable, "-c", _HOLD_LOCK, str(lock_dir), f"pdf-{target.name}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline() == "held\n"
        with pytest.raises(PdfError, match="another reader is downloading"):
            get(client, f"{server.url}/f", target)
    finally:
        other.communicate("", timeout=30)
    assert not server.seen
    get(client, f"{server.url}/f", target)  # once it is done, the next one may
    assert target.read_bytes() == PDF


def test_where_a_papers_pdf_is() -> None:
    arxiv = Paper(id="2401.00001", title="t")
    assert pdf_url(arxiv) == "https://arxiv.org/pdf/2401.00001"
    assert pdf_url(Paper(id="hep-th/9901001", title="t"), "http://m/pdf/") == (
        "http://m/pdf/hep-th/9901001"
    )
    links = ["https://github.com/a/b", "javascript:x.pdf", "https://x.org/papers/p.PDF"]
    assert pdf_url(Paper(id="t:abc", title="t", links=links)) == "https://x.org/papers/p.PDF"
    assert pdf_url(Paper(id="t:abc", title="t", links=["https://github.com/a"])) is None


def test_busy_servers_are_retried_before_the_body_comes(
    server: FakeServer, client: HttpClient, target: Path
) -> None:
    server.queue("/f", Reply(503, b"busy"), Reply(429, b"slow down", {"Retry-After": "0"}))
    server.serve("/f", Reply(200, PDF))

    get(client, f"{server.url}/f", target)

    assert target.read_bytes() == PDF and len(server.seen) == 3


def test_a_missing_pdf_is_the_servers_answer_in_one_line(
    server: FakeServer, client: HttpClient, target: Path
) -> None:
    with pytest.raises(FetchError, match=r"could not reach .*/nope: HTTP 404") as caught:
        get(client, f"{server.url}/nope", target)
    assert caught.value.status == 404 and leftovers(target) == []
