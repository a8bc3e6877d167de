"""`S`: the papers like the current one, in the list (a mixin of MainScreen).

The list then holds those papers, best first; the status line and the hint under the search
bar say whose they are, and the detail pane names the key terms each one shares with it.
`S` again goes one paper further; Esc goes back a step (to the list it came from, the cursor
on the paper it was pressed on), and a new search, a saved search or a sort leaves at once.
The search runs in a worker like any search: dropped if a newer search began meanwhile, and
dropping any search still on its way when it lands (unless it found nothing to show).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input

from reader.tui.textspans import one_line
from reader.tui.widgets.paper_detail import Likeness

if TYPE_CHECKING:
    from reader.core.library import SimilarResult  # made by the worker that finds them
    from reader.tui.screens.main import MainScreen

SIMILAR_LIMIT = 30  # papers listed; they come from one pass over a dozen posting lists
_STATUS_TITLE = 36  # characters of the paper's title in the status line
_HINT_TERMS = 5  # key terms named under the search bar at most (the strongest)
_DISABLED_MEANWHILE = {"cycle_sort", "save_search"}  # they work on searches, not this list


@dataclass(slots=True)
class SimilarList:
    """One list of papers like a paper: what the list, the bar and the detail show."""

    result: SimilarResult
    shared: dict[str, Likeness]  # result id -> why it is here


@dataclass(slots=True)
class Step:
    """Where Esc goes back to: a search (`similar` None) or an earlier list of similar papers."""

    query: str
    active_search: str | None
    paper_id: str
    similar: SimilarList | None


class SimilarActions:
    SIMILAR_BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "S",
            "similar",
            "Similar",
            id="similar",
            priority=True,
            tooltip="Similar papers: the ones like this paper",
        ),
        Binding("escape", "leave_similar", "Back", id="similar.back", tooltip="Back to the list"),
    ]
    _similar: SimilarList | None = None
    _steps: tuple[Step, ...] = ()  # rebound, never changed in place

    def check_action(self: MainScreen, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "similar" and isinstance(self.focused, Input):
            return False  # typing in the search bar: S is a letter
        if action == "similar":
            return True if self.paper_id is not None else None
        if action == "leave_similar":  # the detail pane's Esc goes to the list first
            return self._similar is not None and self.focused is not self.detail
        if action in _DISABLED_MEANWHILE and self._similar is not None:
            return None
        return super().check_action(action, parameters)  # type: ignore[misc]

    def action_similar(self: MainScreen) -> None:
        paper_id = self.paper_id
        if paper_id is None:
            return
        self.status.busy = True
        self.find_similar(paper_id, self._generation)  # a search begun after this one wins

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def find_similar(self: MainScreen, paper_id: str, generation: int) -> None:
        try:
            result = self.data.locked(
                lambda library: library.similar(paper_id, limit=SIMILAR_LIMIT)
            )
        except Exception as error:  # a worker reports, never kills the app
            self.app.call_from_thread(self._similar_failed, generation, error)
            return
        self.app.call_from_thread(self._similar_found, generation, paper_id, result)

    def _similar_failed(self: MainScreen, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self.status.busy = False
            self.notify(f"Could not find similar papers: {error}", severity="error", markup=False)

    def _similar_found(
        self: MainScreen, generation: int, paper_id: str, result: SimilarResult | None
    ) -> None:
        if generation != self._generation:
            return  # a search was typed meanwhile: it wins
        self.status.busy = False
        if result is not None and result.results:
            self._generation += 1  # a search still on its way must not replace this list
        if result is None:
            self.notify("That paper is no longer in the library.", severity="warning")
            return
        if not result.results:
            self.notify(
                f"No papers like “{one_line(result.title)}”: it shares no distinctive words "
                "with any other paper.",
                severity="warning",
                markup=False,
            )
            return
        step = Step(self.query_text, self._active_search, paper_id, self._similar)
        self._steps = (*self._steps, step)
        title = one_line(result.title)
        shared = {hit.id: Likeness(title, tuple(hit.terms)) for hit in result.results}
        self._show_similar(SimilarList(result, shared), keep=None)

    def _show_similar(self: MainScreen, similar: SimilarList, keep: str | None) -> None:
        self._similar = similar
        result = similar.result
        self._active_search = None
        self.saved.mark_active(None)
        self.paper_list.show_results([hit.id for hit in result.results], result.stems, keep=keep)
        title = one_line(result.title)
        self.status.context = f"like “{_cut(title, _STATUS_TITLE)}”"
        self.status.total, self.status.took_ms = len(result.results), result.took_ms
        self.focus_now(self.paper_list)
        self.search_bar.show_message(_hint(result, self.search_bar.size.width - 4))
        self.refresh_bindings()

    def action_leave_similar(self: MainScreen) -> None:
        """One step back: the list of similar papers before this one, or the search."""
        if self._similar is None or not self._steps:
            return
        *earlier, step = self._steps
        self._steps = tuple(earlier)
        if step.similar is not None:
            self._show_similar(step.similar, keep=step.paper_id)
            return
        self.end_similar()
        self._active_search = step.active_search
        self.saved.mark_active(step.active_search)
        self._keep = step.paper_id
        self.search(step.query)

    def end_similar(self: MainScreen) -> None:
        """Back to searching (a new search began): forget every list of similar papers."""
        if self._similar is None:
            return
        self._similar = None
        self._steps = ()
        self.status.context = None
        self.refresh_bindings()

    def likeness(self: MainScreen, paper_id: str) -> Likeness | None:
        """Why a paper is in the list, for the detail pane (None outside a similar list)."""
        return self._similar.shared.get(paper_id) if self._similar is not None else None


def _cut(text: str, room: int) -> str:
    """text in `room` characters, cut at a word where one ends near the limit."""
    if len(text) <= room:
        return text
    head = text[: room - 1]
    space = head.rfind(" ")
    if space > room // 2:
        head = head[:space]
    return head.rstrip(" :,;-") + "…"


def _hint(result: SimilarResult, width: int) -> Content:
    """ "Papers like “title” · key terms: a, b, c" in one line of `width` where it fits: the
    title takes up to half, then as many of the strongest terms as fit."""
    title = _cut(one_line(result.title), max(20, width // 2))
    parts: list[str | tuple[str, str]] = [("Papers like ", "bold"), f"“{title}”"]
    used = len("Papers like “”") + len(title) + len(" · key terms: ")
    terms: list[str] = []
    for term in (one_line(term) for term in result.terms[:_HINT_TERMS]):
        if terms and used + len(term) + 2 > width:
            break
        terms.append(term)
        used += len(term) + 2
    if terms:
        parts += [" · key terms: ", (", ".join(terms), "$text-accent")]
    return Content.assemble(*parts)
