"""`f` and `ctrl+x`: what to follow or mute for a paper, chosen from a short list.

The list offers the paper's authors (for `f` first) and its key terms (for `ctrl+x` first),
each as the query it would save, and "Type a query…" for any other. A query already followed
(or muted) that finds this paper is offered with a ✓: choosing it undoes the follow (or the
mute), so the same key takes a mistake back. Names and terms are the paper's text: each
option is Content built from plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.tui.textspans import one_line


@dataclass(frozen=True, slots=True)
class Choice:
    query: str  # "" for "Type a query…"
    why: str  # what it is: "author", "key term", or the follow or mute that finds the paper
    on: bool = False  # followed (or muted) now: choosing it undoes that


TYPED = Choice("", "any query, as in the search bar")


@dataclass(frozen=True, slots=True)
class Watch:
    """Following or muting: the words the chooser and its messages use."""

    verb: str  # "Follow"
    past: str  # "followed"
    undo: str  # "unfollow"
    undone: str  # "Unfollowed"
    explain: str


FOLLOW = Watch(
    "Follow",
    "followed",
    "unfollow",
    "Unfollowed",
    "A follow is a query: its papers are marked ◆, today's and those still to come.",
)
MUTE = Watch(
    "Mute",
    "muted",
    "unmute",
    "Unmuted",
    "A mute is a query: its papers leave your feeds and their counts (never a search).",
)


class WatchChooser(ModalScreen[Choice | None]):
    """Dismisses with the choice (TYPED: ask for a query), or None on Esc."""

    BINDING_GROUP_TITLE = "Follow or mute chooser"
    CSS_PATH = "watch_chooser.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="watch.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="watch.down"),
        Binding("k", "move(-1)", "Up", show=False, id="watch.up"),
    ]

    def __init__(self, watch: Watch, title: str, choices: Sequence[Choice]) -> None:
        super().__init__()
        self.watch = watch
        self.paper_title = title
        self.choices = [*choices, TYPED]

    def compose(self) -> ComposeResult:
        with Vertical(id="watch-dialog"):
            yield Label(Content(f"{self.watch.verb}…"), id="watch-title", markup=False)
            yield Label(Content(f"“{one_line(self.paper_title)}”"), id="watch-paper", markup=False)
            yield OptionList(
                *(Option(self._prompt(c), id=f"choice-{n}") for n, c in enumerate(self.choices)),
                id="watch-choices",
            )
            hint = f"{self.watch.explain}\nEnter chooses (✓: {self.watch.undo}) · Esc cancels"
            yield Label(Content(hint), id="watch-hint", markup=False)

    def _prompt(self, choice: Choice) -> Content:
        if choice is TYPED:
            return Content.assemble(("Type a query…", "italic"), "  ", (choice.why, "$text-muted"))
        why = f"{choice.why} · Enter: {self.watch.undo}" if choice.on else choice.why
        return Content.assemble(
            ("✓ " if choice.on else "  ", "bold $text-success"),
            (one_line(choice.query), "bold" if choice.on else ""),
            "  ",
            (one_line(why), "$text-muted"),
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
