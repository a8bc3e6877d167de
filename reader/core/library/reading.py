"""Reading: the queue of papers set aside, their PDFs, and summaries from the user's own tool.

The app and the CLI both come here: `a`/`reader queue add` queue a paper, `m` or reading to
the end `finish` it (off the queue, marked read), `p`/`reader pdf` download and open its
PDF, `z`/`reader summarize` ask the configured program for a summary, kept and indexed as
`summary:`. Every long call takes a `cancel` event and a callback for progress or text, so the
app runs it in a worker and Esc stops it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.model import Paper

if TYPE_CHECKING:
    from reader.core.fetch.feeds import FetchSettings
    from reader.core.fetch.pdf import Downloaded
    from reader.core.library.parts import LibraryParts
    from reader.core.settings import Config

PDF_DIR = "pdfs"
HOW_TO_SUMMARIZE = (
    "no summarizer is set up: add e.g. 'summarize: {{command: \"llm -m my-model\"}}' to {config} "
    "(any program that reads a prompt on stdin and writes the summary on stdout)"
)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    position: int  # 1 for the next paper to read
    id: str
    paper: Paper | None  # None: an id in queue.yaml that the library does not hold
    pdf: Path | None  # the downloaded PDF, if there is one

    def to_dict(self) -> dict[str, object]:
        paper = self.paper
        return {
            "id": self.id,
            "title": paper.title if paper else None,
            "authors": list(paper.authors) if paper else [],
            "date": paper.date if paper else "",
            "position": self.position,
            "pdf": str(self.pdf) if self.pdf else None,
        }


@dataclass(frozen=True, slots=True)
class Summary:
    id: str
    text: str
    path: Path
    pdf_tool: str | None  # what read the PDF's text into the prompt ("pdftotext", "pypdf")
    pdf_note: str | None  # why the PDF's text was not in the prompt, when it was not

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "summary": self.text, "path": str(self.path), "pdf": self.pdf_tool}


class Reading:
    def __init__(self, library: LibraryParts) -> None:
        self.library = library

    # -- settings --------------------------------------------------------------------------

    @cached_property
    def _settings(self) -> tuple[Config, list[str]]:
        from reader.core.settings import load_config

        return load_config(self.library.paths.config_file)

    @property
    def config(self) -> Config:
        return self._settings[0]

    @property
    def config_notices(self) -> list[str]:
        """Problems in config.yaml (FILE:LINE:COL: ...), for the face to show once."""
        return self._settings[1]

    def fetch_settings(self) -> FetchSettings:
        """The `fetch:` settings with $READER_PDF_URL; FeedConfigError if they are wrong."""
        from reader.core.fetch.feeds import load_settings

        return load_settings(self.library.paths.config_file)

    # -- the queue -------------------------------------------------------------------------

    def paper(self, paper_id: str) -> Paper:
        """The paper with this id (or alias); ValueError naming the id if there is none."""
        paper = self.library.get(paper_id)
        if paper is None:
            raise ValueError(f"unknown paper: {' '.join(paper_id.split())[:80]}")
        return paper

    def queue_ids(self) -> list[str]:
        return self.library.user.queue.ids()

    def queue(self) -> list[QueueEntry]:
        ids = self.queue_ids()
        papers = self.library.papers(ids)
        return [
            QueueEntry(n, pid, papers.get(pid), self.pdf_if_any(pid))
            for n, pid in enumerate(ids, start=1)
        ]

    def enqueue(self, paper_ids: Iterable[str], *, first: bool = False) -> list[str]:
        """Queue papers (at the end, or first); the ids newly queued. ValueError for an id
        the library does not know, before anything is queued."""
        ids = [self.paper(pid).id for pid in paper_ids]
        return self.library.user.queue.add(ids, first=first)

    def dequeue(self, paper_ids: Iterable[str]) -> list[str]:
        """Take papers off the queue; the ids that were on it."""
        return self.library.user.queue.remove(self.library.resolve(p) or p for p in paper_ids)

    def move(self, paper_id: str, steps: int) -> int:
        """J/K: a queued paper `steps` places later (negative: earlier); its new position
        (0 first). ValueError if it is not queued."""
        return self.library.user.queue.move(self.library.resolve(paper_id) or paper_id, steps)

    def move_to(self, paper_id: str, position: int) -> int:
        return self.library.user.queue.move_to(self.library.resolve(paper_id) or paper_id, position)

    def next_paper(self) -> Paper | None:
        """The first queued paper the library holds."""
        return next((entry.paper for entry in self.queue() if entry.paper), None)

    def finish(self, paper_id: str) -> bool:
        """Read to the end (or `m`): off the queue and marked read; True if it was queued."""
        paper = self.paper(paper_id)
        was_queued = bool(self.library.user.queue.remove([paper.id]))
        self.library.user.set_read(paper.id, True)
        return was_queued

    # -- PDFs ------------------------------------------------------------------------------

    @property
    def pdf_dir(self) -> Path:
        return self.library.paths.data_dir / PDF_DIR

    def pdf_path(self, paper_id: str) -> Path:
        """Where a paper's PDF is (or would be): <data dir>/pdfs/<id as a file name>.pdf."""
        from reader.core.userdata.safe_names import encode

        return self.pdf_dir / f"{encode(paper_id)}.pdf"

    def pdf_if_any(self, paper_id: str) -> Path | None:
        path = self.pdf_path(paper_id)
        return path if path.is_file() else None

    def pdf_url(self, paper: Paper) -> str | None:
        from reader.core.fetch.pdf import pdf_url

        return pdf_url(paper, self.fetch_settings().pdf_url)

    def download_pdf(
        self,
        paper_id: str,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Downloaded:
        """The paper's PDF in the pdfs folder (downloaded unless it is there). ValueError
        when no PDF is known; PdfError, FetchError when the download fails."""
        from reader.core.fetch.http import HttpClient
        from reader.core.fetch.pdf import Downloaded, download_pdf

        paper = self.paper(paper_id)
        target = self.pdf_path(paper.id)
        if target.is_file():
            return Downloaded(target, target.stat().st_size, already=True)
        settings = self.fetch_settings()
        url = self.pdf_url(paper)
        if url is None:
            raise ValueError(f"no PDF is known for {paper.id}: it has no arXiv id and no PDF link")
        return download_pdf(
            HttpClient(),
            url,
            target,
            lock_dir=self.library.paths.data_dir / ".locks",
            max_bytes=settings.pdf_max_mb * 2**20,
            progress=progress,
            cancel=cancel,
        )

    def open_pdf(self, paper_id: str) -> str:
        """Show the downloaded PDF in `pdf_viewer` or the system's viewer; the command used.
        ValueError if it is not downloaded; ToolError if no viewer works."""
        from reader.core.tools import open_file

        paper = self.paper(paper_id)
        path = self.pdf_if_any(paper.id)
        if path is None:
            raise ValueError(f"the PDF of {paper.id} is not downloaded")
        return open_file(path, self.config.pdf_viewer)

    # -- summaries -------------------------------------------------------------------------

    def summary(self, paper_id: str) -> str:
        """The kept summary ("" if there is none)."""
        return self.library.user.summary(self.paper(paper_id).id)

    def summarize(
        self,
        paper_id: str,
        *,
        on_text: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Summary:
        """Ask the configured program for a summary, streamed to on_text as it comes, then
        kept in user/summaries/ and indexed. ValueError when no program is configured;
        ToolError (one line) when it fails; ToolCancelled when cancel is set."""
        from reader.core.tools import (
            ToolError,
            describe,
            fill,
            pdf_text,
            pdf_text_tool,
            run_streaming,
            summary_prompt,
        )

        paper = self.paper(paper_id)
        settings = self.config.summarize
        if settings is None:
            raise ValueError(HOW_TO_SUMMARIZE.format(config=self.library.paths.config_file))
        pdf = self.pdf_if_any(paper.id)
        text = pdf_text(pdf) if pdf is not None else None
        note = None
        if pdf is None:
            note = "the PDF is not downloaded ('reader pdf ID' first puts its text in the prompt)"
        elif pdf_text_tool() is None:
            note = "the PDF's text needs pdftotext (poppler-utils) or pypdf (pip install pypdf)"
        elif text is None:
            note = "no text could be read from the PDF"
        words = fill(settings.command, {"id": paper.id, "title": paper.title})
        name = f"the summarizer ({describe(settings.command)})"
        output = run_streaming(
            words,
            summary_prompt(paper, text.text if text else None),
            name=name,
            timeout=settings.timeout,
            on_text=on_text,
            cancel=cancel,
        ).strip()
        if not output:
            raise ToolError(f"{name} wrote nothing on stdout")
        self.library.user.set_summary(paper.id, output + "\n")
        path = self.library.user.summary_path(paper.id)
        return Summary(paper.id, output + "\n", path, text.tool if text else None, note)
