"""The right (or lower) pane: one paper in full, scrolling on its own.

Every field is built as Content from plain text; the note is the user's Markdown and goes
through Textual's Markdown widget, whose text is never parsed as Textual markup. A summary is
the user's program's output: plain text too, shown as it streams in. Pressing a key that
goes down once the end is in view says the paper was read to the end (ReachedEnd).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import PurePath
from typing import ClassVar
from urllib.parse import quote_plus, urlsplit

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from reader.core.library import Trend
from reader.core.model import Paper
from reader.tui.textspans import one_line, plain

MATCH_STYLE = "bold $text-accent"
_CODE_HOSTS = ("github.com", "gitlab.com", "huggingface.co", "bitbucket.org")
_FIELDS = ("authors", "meta", "state", "daily", "like", "reason", "abstract", "links", "tags")


@dataclass(frozen=True, slots=True)
class Likeness:
    """Why a paper is in a list of papers like another one."""

    title: str  # of the paper it is like
    terms: tuple[str, ...]  # the key terms the two share, strongest first


@dataclass(frozen=True, slots=True)
class DailyState:
    """The paper in the daily loop: who follows or mutes it, the queue, its PDF, its summary."""

    following: tuple[str, ...] = ()  # the followed queries that find it
    muted_by: tuple[str, ...] = ()
    queued: int | None = None  # its place in the reading queue (1: next)
    queue_length: int = 0
    pdf: bool = False  # downloaded
    summary: str = ""
    writing: bool = False  # the summary is being written (`summary`: what came so far)


@dataclass(slots=True)
class DetailView:
    """Everything the pane shows about one paper: the paper and the user's state of it."""

    paper: Paper
    terms: frozenset[str] = frozenset()
    tags: list[str] = field(default_factory=list)
    note: str = ""
    bookmarked: bool = False
    read: bool = False
    upvotes: Trend | None = None
    like: Likeness | None = None
    daily: DailyState = DailyState()
    reason: str | None = None  # why For you offers it
    dismissed: bool = False  # the user said it is not for them


def upvote_text(trend: Trend, today: date | None = None) -> str:
    """The "▲ 42, +17 since yesterday" of the detail pane: the change since the day before
    the latest fetch, named by its date when that fetch was not today (UTC)."""
    text = f"▲ {trend.latest:,}"
    if trend.delta is None:
        return text
    since = "yesterday"
    if trend.fetched_at:
        fetched = datetime.fromisoformat(trend.fetched_at).astimezone(UTC).date()
        if fetched != (today or datetime.now(UTC).date()):
            since = (fetched - timedelta(days=1)).isoformat()
    change = "unchanged" if trend.delta == 0 else f"{trend.delta:+,}"
    return f"{text}, {change} since {since}"


def paper_links(paper: Paper) -> list[tuple[str, str]]:
    """(label, url): the arXiv page and PDF, every link the paper carries, and for a paper
    without an arXiv id an arXiv title search, so `o` always leads somewhere useful."""
    links: list[tuple[str, str]] = []
    if paper.is_arxiv:
        links += [
            ("arXiv", f"https://arxiv.org/abs/{paper.id}"),
            ("PDF", f"https://arxiv.org/pdf/{paper.id}"),
        ]
    known = {url for _, url in links}
    for url in paper.links:
        if url not in known:
            known.add(url)
            links.append(("code" if any(h in url for h in _CODE_HOSTS) else "link", url))
    if not paper.is_arxiv:
        query = quote_plus(one_line(paper.title))
        links.append(("find", f"https://arxiv.org/search/?query={query}&searchtype=title"))
    return links


def source_names(paper: Paper) -> list[str]:
    """Where a paper came from: file:line without the folders (they vary by machine), and
    for a fetched page its site, once (a page's URL with its query says nothing more)."""
    names: dict[str, None] = {}
    for source in paper.sources:
        if source.startswith(("http://", "https://")):
            names.setdefault(urlsplit(source).netloc, None)
        else:
            names.setdefault(PurePath(source).name, None)
    return list(names)


def highlighted(text: str, terms: frozenset[str]) -> Content:
    content = Content(plain(text))
    if not terms:
        return content
    from reader.core.library import match_spans  # Whoosh's analysis: once there is a query

    for start, end in match_spans(content.plain, terms):
        content = content.stylize(MATCH_STYLE, start, end)
    return content


class PaperDetail(VerticalScroll, inherit_bindings=False):
    BINDING_GROUP_TITLE = "Paper detail"
    BORDER_TITLE = "Paper"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="detail.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="detail.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="detail.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="detail.bottom"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="detail.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="detail.page_up"),
    ]

    class ReachedEnd(Message):
        """A key went down with the end of the paper in view: it was read to the end."""

        def __init__(self, paper_id: str) -> None:
            super().__init__()
            self.paper_id = paper_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: DetailView | None = None
        self._note_shown = ""

    def compose(self) -> ComposeResult:
        yield Static(Content("Select a paper."), id="detail-title")
        yield Static(id="detail-authors")
        yield Static(id="detail-meta")
        yield Static(id="detail-state")
        yield Static(id="detail-daily")
        yield Static(id="detail-like")
        yield Static(id="detail-reason")
        yield Static(id="detail-summary-heading")  # first: `z` shows it as it comes
        yield Static(id="detail-summary")
        yield Static(id="detail-abstract")
        yield Static(id="detail-links")
        yield Static(id="detail-tags")
        yield Static(Content("Note"), id="detail-note-heading")

    def on_mount(self) -> None:
        self.query_one("#detail-note-heading").display = False

    def show(self, view: DetailView | None) -> None:
        """Show a paper (None: nothing selected); the scroll goes back to the top."""
        same_paper = (
            self.view is not None and view is not None and self.view.paper.id == view.paper.id
        )
        self.view = view
        if view is None:
            self._set("#detail-title", Content("No paper selected."))
            for name in _FIELDS:
                self._set(f"#detail-{name}", Content(""))
            self.show_summary("", writing=False)
            self._show_note("")
            return
        paper = view.paper
        self._set("#detail-title", highlighted(one_line(paper.title), view.terms))
        authors = ", ".join(one_line(a) for a in paper.authors) or "Authors unknown"
        self._set("#detail-authors", Content(authors))
        meta = [paper.date or paper.listed or "date unknown", paper.id, *source_names(paper)]
        self._set("#detail-meta", Content(" · ".join(one_line(m) for m in meta)))
        self._set("#detail-state", self._state(view))
        self._set("#detail-daily", self._daily(view.daily))
        self._set("#detail-like", self._like(view.like))
        reason = view.reason and Content.assemble(("For you ", "bold"), one_line(view.reason))
        self._set("#detail-reason", reason or Content(""))
        abstract = paper.abstract or "(no abstract)"
        self._set("#detail-abstract", highlighted(abstract, view.terms))
        self.show_summary(view.daily.summary, writing=view.daily.writing)
        self._set("#detail-links", self._links(paper))
        self._set("#detail-tags", self._tags(view.tags))
        self._show_note(view.note)
        if not same_paper:
            self.scroll_home(animate=False, immediate=True)

    def show_summary(self, text: str, *, writing: bool) -> None:
        """The paper's summary, or what has come of it so far (the program's text: plain)."""
        body = plain(text).strip()
        heading = "Summary" + (" · being written…" if writing else "")
        self._set("#detail-summary-heading", Content(heading if body or writing else ""))
        self._set("#detail-summary", Content(body))

    # -- going down: past the end, the paper was read to the end -----------------------------

    def action_scroll_down(self) -> None:
        if not self._read_to_the_end():
            super().action_scroll_down()

    def action_page_down(self) -> None:
        if not self._read_to_the_end():
            super().action_page_down()

    def action_scroll_end(self) -> None:
        if not self._read_to_the_end():
            super().action_scroll_end()

    def _read_to_the_end(self) -> bool:
        """At the end already (where a scroll is heading counts): say so, and go no further."""
        if self.view is None or self.scroll_target_y < self.max_scroll_y:
            return False
        self.post_message(self.ReachedEnd(self.view.paper.id))
        return True

    def _set(self, selector: str, content: Content) -> None:
        widget = self.query_one(selector, Static)
        widget.update(content)
        widget.display = bool(content.plain)

    def _show_note(self, note: str) -> None:
        text = plain(note) if note.strip() else ""
        if text == self._note_shown:
            return  # most papers have no note: moving between them rebuilds nothing
        self._note_shown = text
        self.query_one("#detail-note-heading").display = bool(text)
        self.run_worker(self._render_note(text), group="note", exclusive=True)

    async def _render_note(self, text: str) -> None:
        """Markdown builds its blocks later, in its own batch; once they exist, lay this pane
        out again so its scroll range covers the note (else the end of the pane can stay
        out of reach until some other event happens to re-layout the screen).

        The Markdown widget (and the Markdown parser behind it, a tenth of the app's start-up
        imports) is made when the first note is shown, not before the first paint."""
        from textual.widgets import Markdown

        found = self.query("#detail-note")
        if found:
            markdown = found.first(Markdown)
        elif text:
            markdown = Markdown(id="detail-note", open_links=True)
            await self.mount(markdown)
        else:
            return
        markdown.display = bool(text)
        await markdown.update(text)
        self.refresh(layout=True)

    @staticmethod
    def _state(view: DetailView) -> Content:
        parts: list[str | tuple[str, str]] = [
            ("★ bookmarked", "$text-warning") if view.bookmarked else ("☆ not bookmarked", "dim"),
            "   ",
            ("read", "dim") if view.read else ("● unread", "$text-accent"),
        ]
        if view.upvotes is not None:
            parts += ["   ", (upvote_text(view.upvotes), "$text-success")]
        if view.dismissed:
            parts += ["   ", ("✗ not for me", "$text-warning")]
        return Content.assemble(*parts)

    @staticmethod
    def _daily(state: DailyState) -> Content:
        parts: list[str | tuple[str, str]] = []
        if state.following:
            queries = ", ".join(one_line(query) for query in state.following)
            parts += [("◆ following ", "bold $reader-followed"), queries]
        if state.muted_by:
            queries = ", ".join(one_line(query) for query in state.muted_by)
            parts += ["   " if parts else "", ("⊘ muted by ", "bold"), (queries, "dim")]
        if state.queued is not None:
            where = f"queue #{state.queued} of {state.queue_length}"
            parts += ["   " if parts else "", (where, "$text-accent")]
        if state.pdf:
            parts += ["   " if parts else "", ("PDF downloaded", "$text-success")]
        return Content.assemble(*parts)

    @staticmethod
    def _like(like: Likeness | None) -> Content:
        if like is None:
            return Content("")
        parts: list[str | tuple[str, str]] = [("Like ", "bold"), f"“{one_line(like.title)}”"]
        if like.terms:
            parts += [": shares ", (", ".join(one_line(t) for t in like.terms), MATCH_STYLE)]
        return Content.assemble(*parts)

    @staticmethod
    def _links(paper: Paper) -> Content:
        parts: list[str | tuple[str, str]] = []
        for label, url in paper_links(paper):
            parts += [(f"{label:<6}", "bold"), " ", (one_line(url), "underline"), "\n"]
        return Content.assemble(*parts).rstrip()

    @staticmethod
    def _tags(tags: list[str]) -> Content:
        if not tags:
            return Content("")
        parts: list[str | tuple[str, str]] = [("Tags ", "bold")]
        for tag in tags:
            parts += [(f" {one_line(tag)} ", "reverse $text-secondary"), " "]
        return Content.assemble(*parts).rstrip()
