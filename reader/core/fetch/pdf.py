"""A paper's PDF, downloaded to <data dir>/pdfs/<id>.pdf: resumable, capped, checked.

The bytes go to a hidden `.<name>.part` beside the final file, never to the final name, and
only a whole file that starts like a PDF is renamed into place (atomically, then the folder is
synced). A dropped connection keeps the part: the download goes on from where it stopped with
an HTTP Range request, within this run (the client's retries) or the next one. `If-Range`
carries the server's validator, so a file that changed meanwhile is sent whole again instead of
being spliced onto the old half. An answer that is not a PDF (a login page, an error page in
HTML) or that would pass the size cap leaves nothing behind.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from reader.core.durable import fsync_dir
from reader.core.fetch.http import FetchError, HttpClient
from reader.core.locking import LockBusy, locked
from reader.core.model import Paper

PDF_URL = "https://arxiv.org/pdf"
MAX_PDF_MB = 100
MAGIC = b"%PDF-"
_HEAD = 1024  # the PDF header may follow a little junk; the format allows it in the first KiB
_CHUNK = 64 * 1024
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")

Progress = Callable[[int, int], None]  # bytes so far, total (0: not known)


class PdfError(Exception):
    """A download that did not give a PDF; str() is the one line to show."""


class PdfCancelled(PdfError):
    """Stopped on request (Esc in the app); the part is kept for the next try."""


@dataclass(frozen=True, slots=True)
class Downloaded:
    path: Path
    size: int
    resumed_from: int = 0  # bytes already in the part when this run began
    already: bool = False  # it was downloaded before: nothing was fetched


def pdf_url(paper: Paper, base: str = PDF_URL) -> str | None:
    """Where a paper's PDF is: `base/ID` for an arXiv paper, else a PDF link of the paper."""
    if paper.is_arxiv:
        return f"{base.rstrip('/')}/{paper.id}"
    for link in paper.links:
        path = urlsplit(link).path.lower()
        if urlsplit(link).scheme in ("http", "https") and (
            path.endswith(".pdf") or "/pdf/" in path
        ):
            return link
    return None


class _Part:
    """The partial download beside the final file, and what it was fetched from."""

    def __init__(self, target: Path) -> None:
        self.path = target.with_name(f".{target.name}.part")
        self.meta = target.with_name(f".{target.name}.part.json")

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def resumable(self, url: str) -> tuple[int, str | None]:
        """(bytes to resume from, the validator they came with); (0, None) to start over."""
        size = self.size()
        try:
            meta = json.loads(self.meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = None
        if not size or not isinstance(meta, dict) or meta.get("url") != url:
            self.drop()
            return 0, None
        with open(self.path, "rb") as handle:
            head = handle.read(_HEAD)
        if len(head) >= len(MAGIC) and MAGIC not in head:
            self.drop()
            return 0, None
        validator = meta.get("validator")
        return size, validator if isinstance(validator, str) else None

    def remember(self, url: str, validator: str | None) -> None:
        self.meta.write_text(json.dumps({"url": url, "validator": validator}), encoding="utf-8")

    def drop(self) -> None:
        self.path.unlink(missing_ok=True)
        self.meta.unlink(missing_ok=True)


def download_pdf(
    client: HttpClient,
    url: str,
    target: Path,
    *,
    lock_dir: Path,
    max_bytes: int = MAX_PDF_MB * 2**20,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Downloaded:
    """Download url to target (a PDF or PdfError; FetchError when the server cannot be
    reached or says no). One download of a file at a time, across processes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with locked(lock_dir, f"pdf-{target.name}", timeout=0.5):
            return _Download(client, url, target, max_bytes, progress, cancel).run()
    except LockBusy:
        raise PdfError(f"another reader is downloading {target.name} now") from None


class _Download:
    def __init__(
        self,
        client: HttpClient,
        url: str,
        target: Path,
        max_bytes: int,
        progress: Progress | None,
        cancel: threading.Event | None,
    ) -> None:
        self.client, self.url, self.target = client, url, target
        self.max_bytes = max_bytes
        self.progress = progress or (lambda done, total: None)
        self.cancel = cancel or threading.Event()
        self.part = _Part(target)

    def run(self) -> Downloaded:
        offset, validator = self.part.resumable(self.url)
        started_at = offset
        drops = 0
        while True:
            headers = {"Accept": "application/pdf", "Accept-Encoding": "identity"}
            if offset:
                headers["Range"] = f"bytes={offset}-"
                if validator:
                    headers["If-Range"] = validator
            try:
                with self.client.stream(self.url, headers) as response:
                    offset, validator, done = self._receive(response, offset, validator)
            except FetchError as error:
                if error.status == 416 and offset:  # the part is no prefix of the file now
                    self.part.drop()
                    offset, validator = 0, None
                    continue
                raise
            if done:
                return self._finish(started_at)
            drops += 1
            if drops > self.client.retries:
                raise PdfError(
                    f"could not read {self.url}: the download stopped at {offset:,} bytes "
                    f"{drops} times (a dropped or stalled connection); run it again to resume"
                )
            if self.cancel.wait(self.client.backoff * 2 ** (drops - 1)):
                raise PdfCancelled("download stopped; the next try resumes it")

    def _receive(
        self, response: http.client.HTTPResponse, offset: int, validator: str | None
    ) -> tuple[int, str | None, bool]:
        """Write what the response brings; (bytes in the part, validator, whether complete)."""
        total = self._total(response, offset)
        if response.status != 206:
            offset = 0  # a whole file, not the rest of one: start the part over
        fresh = _validator(response)
        if fresh != validator or not offset:
            validator = fresh
            self.part.remember(self.url, validator)
        written = offset
        head = b""  # the file's first bytes, checked when this response starts the file
        checking = not offset
        with open(self.part.path, "ab" if offset else "wb") as out:
            while True:
                if self.cancel.is_set():
                    raise PdfCancelled("download stopped; the next try resumes it")
                try:
                    chunk = response.read(_CHUNK)
                except (OSError, http.client.HTTPException):
                    return written, validator, False  # dropped: resume from here
                if not chunk:
                    break
                if checking and written < _HEAD:
                    head = (head + chunk)[:_HEAD]
                    self._check_head(head, response, final=False)
                written += len(chunk)
                if written > self.max_bytes:
                    out.close()
                    self._refuse(f"it is over the {_mb(self.max_bytes)} cap; stopped reading")
                out.write(chunk)
                self.progress(written, total)
            out.flush()
            os.fsync(out.fileno())
        if checking and written < _HEAD:
            self._check_head(head, response, final=True)
        if total and written < total:
            return written, validator, False  # the server closed early: resume
        if not total and not _ends_like_a_pdf(self.part.path):
            return written, validator, False
        return written, validator, True

    def _total(self, response: http.client.HTTPResponse, offset: int) -> int:
        """The whole file's size if the server says it (0 if not); refused over the cap."""
        total = 0
        if response.status == 206:
            found = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
            if not found or int(found[1]) != offset:
                self.part.drop()
                raise PdfError(f"could not read {self.url}: the server resumed at the wrong byte")
            total = int(found[3]) if found[3] != "*" else 0
        else:
            length = response.headers.get("Content-Length", "")
            total = int(length) if length.isdigit() else 0
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            self._refuse(f"it came encoded as {encoding}, which was not asked for")
        if total > self.max_bytes:
            self._refuse(f"it is {_mb(total)}, over the {_mb(self.max_bytes)} cap")
        return total

    def _check_head(self, head: bytes, response: http.client.HTTPResponse, final: bool) -> None:
        """Refuse a file whose first KiB (or all of it, at the end) holds no PDF header."""
        if MAGIC in head or (len(head) < _HEAD and not final):
            return
        kind = response.headers.get("Content-Type", "").split(";")[0].strip() or "no type"
        page = " (an HTML page: a login or an error page?)" if "html" in kind else ""
        self._refuse(f"it is not a PDF but {kind}{page}")

    def _refuse(self, why: str) -> None:
        self.part.drop()
        raise PdfError(f"could not download {self.url}: {why}; nothing was kept")

    def _finish(self, started_at: int) -> Downloaded:
        size = self.part.size()
        os.replace(self.part.path, self.target)
        fsync_dir(self.target.parent)
        self.part.meta.unlink(missing_ok=True)
        return Downloaded(self.target, size, started_at)


def _validator(response: http.client.HTTPResponse) -> str | None:
    """A strong ETag, else Last-Modified: what If-Range may carry (weak tags may not)."""
    etag = response.headers.get("ETag")
    if etag and not etag.startswith("W/"):
        return etag
    return response.headers.get("Last-Modified")


def _ends_like_a_pdf(path: Path) -> bool:
    """A PDF ends with %%EOF (maybe a newline after): the check when no length was given."""
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - _HEAD))
        return b"%%EOF" in handle.read()


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size:,} bytes"
