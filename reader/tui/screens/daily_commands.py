"""What the daily loop's keys do to a paper, for every screen of papers: follow (`f`), mute
(`ctrl+x`), the reading queue (`a`, `J`/`K`, and `m` or reading to the end, which finish a
queued paper), its PDF (`p`) and a summary (`z`).

Following and muting run a search, so they run in a worker under the library lock; then a
worker finds again which papers the follows and mutes pick (WatchMarks: the list's ◆), and
the screens repaint. Queue edits go to the data layer's single writer, in order, like every
other edit. Once a change has landed, `relisted` says what changed and which paper the
cursor should stay on: a screen whose list depends on it (the Queue, a feed) searches again.
The PDF and the summary are jobs of their own (PdfDownloads, Summaries); Esc stops them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding, BindingType
from textual.signal import Signal
from textual.worker import get_current_worker

from reader.core.library import Library
from reader.tui.data import LibraryAccess
from reader.tui.feeds import FeedRefresh, Refreshed
from reader.tui.pdf_downloads import PdfDownloads
from reader.tui.screens.paper_commands import PaperCommands
from reader.tui.screens.watch_chooser import FOLLOW, MUTE, TYPED, Choice, Watch, WatchChooser
from reader.tui.summaries import Summaries
from reader.tui.textspans import one_line
from reader.tui.watch_marks import WatchMarks
from reader.tui.widgets.paper_detail import DailyState

_AUTHORS = 8  # authors offered to follow at most (a paper may have hundreds)

# The keys, in every screen of papers. Esc stops a job first (a PDF coming in, a summary
# being written): it comes before the screens' other Esc bindings.
STOP_JOB = Binding(
    "escape", "stop_job", "Stop", id="job.stop", tooltip="Stop the PDF download or the summary"
)
# Keys shown only where they apply (the Queue, a feed with muted papers): early in the
# footer, so that they are seen when they are there.
CONTEXT_KEYS: list[BindingType] = [
    STOP_JOB,
    Binding("J", "queue_move(1)", "Later", id="queue.later", priority=True, tooltip="Queue: later"),
    Binding(
        "K", "queue_move(-1)", "Sooner", id="queue.sooner", priority=True, tooltip="Queue: sooner"
    ),
    Binding(
        "ctrl+u", "show_muted", "Muted", id="muted.show", tooltip="Show or hide the muted papers"
    ),
]
DAILY_KEYS: list[BindingType] = [
    Binding(
        "f", "follow", "Follow", id="follow", priority=True, tooltip="Follow an author or a query"
    ),
    Binding("ctrl+x", "mute", "Mute", id="mute", tooltip="Mute a query: out of your feeds"),
    Binding(
        "a", "queue", "Queue", id="queue", priority=True, tooltip="Put on the reading queue or off"
    ),
    Binding("p", "pdf", "PDF", id="pdf", priority=True, tooltip="Download and open the PDF"),
    Binding(
        "z", "summarize", "Summary", id="summarize", priority=True, tooltip="Summarize the paper"
    ),
]
# Letter keys are priority bindings (see papers.py); the keys that need a paper are dimmed
# without one. J and K need the Queue too (PapersScreen.check_action).
DAILY_LETTERS = {"follow", "queue", "pdf", "summarize"}
DAILY_FOR_A_PAPER = {"follow", "mute", "queue", "pdf", "summarize"}


@dataclass(frozen=True, slots=True)
class Relisted:
    """A change that may move papers in or out of a list: the queue, or follows and mutes."""

    paper_id: str | None  # the paper the cursor should stay on
    queue: bool = False
    watch: bool = False


class DailyCommands:
    def __init__(
        self, app: App[object], data: LibraryAccess, commands: PaperCommands, feeds: FeedRefresh
    ) -> None:
        self.app = app
        self.data = data
        self.commands = commands
        self.pdfs = PdfDownloads(app, data)
        self.summaries = Summaries(app, data)
        self.relisted: Signal[Relisted] = Signal(app, "daily-relisted")
        feeds.finished.subscribe(app, self._refreshed)

    # -- what the detail pane shows ----------------------------------------------------------

    def state(self, paper_id: str) -> DailyState:
        """The paper in the daily loop (main thread: the user's files are in memory)."""
        watched = self.data.marks.watched
        queue = self.data.user.queue
        position = queue.position(paper_id)
        summary, writing = self.summaries.text(paper_id)
        return DailyState(
            following=tuple(watched.following(paper_id)),
            muted_by=tuple(watched.muted_by(paper_id)),
            queued=None if position is None else position + 1,
            queue_length=len(queue),
            pdf=self.data.library.reading.pdf_if_any(paper_id) is not None,
            summary=summary,
            writing=writing,
        )

    # -- follows and mutes -------------------------------------------------------------------

    def follow(self, paper_id: str | None) -> None:
        if paper_id is not None:
            self._offer(paper_id, FOLLOW)

    def mute(self, paper_id: str | None) -> None:
        if paper_id is not None:
            self._offer(paper_id, MUTE)

    def _offer(self, paper_id: str, watch: Watch) -> None:
        """Find what to offer (the key terms need the index: a worker), then ask."""

        def gather() -> None:
            try:
                choices = self.data.locked(lambda library: _choices(library, paper_id, watch))
            except Exception as error:  # a worker reports, never kills the app
                self._call(self._failed, f"{watch.verb}: {error}")
                return
            self._call(self._ask, paper_id, watch, choices)

        self.app.run_worker(gather, group="watch-offer", thread=True, exit_on_error=False)

    def _ask(self, paper_id: str, watch: Watch, choices: list[Choice]) -> None:
        from reader.tui.screens.prompt import PromptScreen

        def typed(query: str | None) -> None:
            if query is not None:
                self._apply(paper_id, watch, Choice(query, "typed"))

        def chosen(choice: Choice | None) -> None:
            if choice is TYPED:
                prompt = PromptScreen(
                    f"{watch.verb} a query",
                    placeholder='e.g. author:"Albert Gu" or title:"state space"',
                    hint="The query language of the search bar · Esc cancels",
                )
                self.app.push_screen(prompt, typed)
            elif choice is not None:
                self._apply(paper_id, watch, choice)

        paper = self.data.get(paper_id)
        title = paper.title if paper else paper_id
        self.app.push_screen(WatchChooser(watch, title, choices), chosen)

    def _apply(self, paper_id: str, watch: Watch, choice: Choice) -> None:
        def change() -> None:
            try:
                self.data.wait_to_write()  # the store check after an unclean end, if it runs
                message = self.data.locked(lambda library: _watch(library, watch, choice))
            except ValueError as error:  # a query that cannot be searched as written
                self._call(self._failed, f"Not {watch.past}: {error}")
                return
            except Exception as error:
                self._call(self._failed, f"{watch.verb}: {error}")
                return
            self._call(self._watched, paper_id, message)

        self.app.run_worker(change, group="watch-edit", thread=True, exit_on_error=False)

    def _watched(self, paper_id: str, message: str) -> None:
        self.app.notify(message, timeout=8, markup=False)
        self.rewatch(then=Relisted(paper_id, watch=True))

    def _call(self, call: Callable[..., object], *args: object) -> None:
        """From a worker: `call` on the main thread, unless the app is closing."""
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(call, *args)

    def _failed(self, message: str) -> None:
        self.app.notify(message, severity="error", timeout=10, markup=False)

    def rewatch(self, ready: threading.Event | None = None, then: Relisted | None = None) -> None:
        """Find again which papers the follows and mutes pick (in a worker, once `ready`),
        then repaint (and relist `then`)."""

        def find() -> None:
            worker = get_current_worker()
            while ready is not None and not ready.wait(0.1):
                if worker.is_cancelled:
                    return
            try:
                marks = self.data.locked(_watch_marks)
            except Exception as error:  # e.g. the index could not be opened: said at start-up
                self._call(self._failed, f"Follows and mutes: {error}")
                return
            self._call(self._rewatched, marks, then)

        self.app.run_worker(find, group="watch", exclusive=True, thread=True, exit_on_error=False)

    def _rewatched(self, marks: WatchMarks, then: Relisted | None) -> None:
        if marks == self.data.marks.watched and then is None:
            return  # (no follows or mutes, most often): nothing to repaint
        self.data.marks.watched = marks
        self.commands.landed()
        if then is not None:
            self.relisted.publish(then)

    def _refreshed(self, refreshed: Refreshed) -> None:
        if refreshed.changed:  # new papers: some may be followed or muted
            self.rewatch()

    # -- the reading queue -------------------------------------------------------------------

    def toggle_queue(self, paper_id: str | None) -> None:
        """`a`: on the queue (at the end), or off it if it is there."""
        if paper_id is None:
            return
        title = self._title(paper_id)
        if paper_id in self.data.user.queue:
            off = f"Off the queue: {title}."
            self._edit(paper_id, lambda library: library.reading.dequeue([paper_id]), off)
            return

        def queued() -> None:
            position = self.data.user.queue.position(paper_id)
            where = f" (#{position + 1})" if position is not None else ""
            self.app.notify(f"Queued {title}{where}.", markup=False)
            if self.data.library.reading.config.queue_downloads:
                self.pdfs.get(paper_id, open=False)

        self._edit(paper_id, lambda library: library.reading.enqueue([paper_id]), queued)

    def move(self, paper_id: str | None, steps: int) -> None:
        """`J`/`K`: a queued paper one place later or earlier."""
        if paper_id is not None and paper_id in self.data.user.queue:
            self._edit(paper_id, lambda library: library.reading.move(paper_id, steps))

    def finish(self, paper_id: str) -> None:
        """Read to the end (or `m`): off the queue and marked read."""
        title = self._title(paper_id)
        message = f"Read {title}: off the queue."
        self._edit(paper_id, lambda library: library.reading.finish(paper_id), message)

    def _edit(
        self, paper_id: str, edit: Callable[[Library], object], then: str | Callable[[], None] = ""
    ) -> None:
        """A queue edit through the single writer; once it landed, the message (or call),
        the repaint and the relisting."""
        library = self.data.library
        done: list[bool] = []

        def change(_: object) -> None:
            edit(library)
            done.append(True)

        def landed() -> None:
            self.commands.landed()
            if not done:
                return  # the writer said why
            if callable(then):
                then()
            elif then:
                self.app.notify(then, markup=False)
            self.relisted.publish(Relisted(paper_id, queue=True))

        self.data.submit(change, after=landed)

    def _title(self, paper_id: str) -> str:
        paper = self.data.get(paper_id)
        return f"“{one_line(paper.title)}”" if paper else paper_id

    # -- jobs --------------------------------------------------------------------------------

    def pdf(self, paper_id: str | None) -> None:
        if paper_id is not None:
            self.pdfs.get(paper_id, open=True)

    def summarize(self, paper_id: str | None) -> None:
        if paper_id is not None:
            self.summaries.summarize(paper_id)

    @property
    def busy(self) -> bool:
        """A job Esc would stop is running."""
        return self.pdfs.running or self.summaries.running

    def cancel(self) -> None:
        stopped = [self.pdfs.cancel(), self.summaries.cancel()]
        if not any(stopped):
            self.app.notify("Nothing to stop.")

    def stop(self) -> None:
        """The app is closing."""
        self.pdfs.stop()
        self.summaries.stop()


# -- in a worker, under the library lock -------------------------------------------------------


def _choices(library: Library, paper_id: str, watch: Watch) -> list[Choice]:
    """What to offer: the follows (mutes) that find the paper now, ✓; then its authors and
    key terms (authors first to follow, key terms first to mute)."""
    from reader.core.library import author_query

    watching = library.watching
    paper = library.get(paper_id)
    if paper is None:
        raise ValueError("that paper is no longer in the library")
    following = watch is FOLLOW
    current = [entry.query for entry in (watching.follows() if following else watching.mutes())]
    finding = [query for query in current if paper.id in watching.matches(query)]
    authors = [author_query(name) for name in paper.authors[:_AUTHORS] if name.strip()]
    terms = watching.mute_suggestions(paper.id)
    kinds = [(authors, "author"), (terms, "key term")]
    offered = [Choice(q, "following" if following else "muted", on=True) for q in finding]
    for queries, why in kinds if following else kinds[::-1]:
        for query in queries:
            if query not in finding:
                offered.append(Choice(query, why, on=query in current))
    return list({choice.query: choice for choice in offered}.values())


def _watch(library: Library, watch: Watch, choice: Choice) -> str:
    """Follow or mute the choice (or undo it): what to say about it."""
    watching = library.watching
    query = one_line(choice.query)
    if choice.on:
        (watching.unfollow if watch is FOLLOW else watching.unmute)(choice.query)
        return f"{watch.undone} {query}."
    watched = (watching.follow if watch is FOLLOW else watching.mute)(choice.query)
    query = one_line(watched.entry.query)
    if not watched.fresh:
        return f"{query} is {watch.past} already."
    papers = f"{watched.matches:,} paper{'s' if watched.matches != 1 else ''}"
    if watch is FOLLOW:
        text = f"Following {query}: {papers} now, and those still to come."
    else:
        text = f"Muted {query}: {papers} leave your feeds (a search still finds them)."
    if watched.matches == 0 and watched.suggestion:
        text += f" Did you mean {one_line(watched.suggestion)}?"
    return text


def _watch_marks(library: Library) -> WatchMarks:
    watching = library.watching
    return WatchMarks(
        tuple((entry.query, watching.matches(entry.query)) for entry in watching.follows()),
        tuple((entry.query, watching.matches(entry.query)) for entry in watching.mutes()),
    )
