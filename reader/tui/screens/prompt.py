"""Ask for one line of text: a saved search's name, or tags (with completion of known tags)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label

Check = Callable[[str], str | None]  # the text -> why it cannot be used, or None


class PromptScreen(ModalScreen[str | None]):
    """Dismisses with the text (stripped) on Enter, or None on Esc; `check` can refuse it."""

    BINDING_GROUP_TITLE = "Prompt"
    CSS_PATH = "prompt.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        hint: str = "",
        suggester: Suggester | None = None,
        check: Check | None = None,
    ) -> None:
        super().__init__()
        self.prompt_title = title
        self.initial = value
        self.placeholder = placeholder
        self.hint = hint
        self.suggester = suggester
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.prompt_title, id="title", markup=False)
            yield Input(
                self.initial,
                placeholder=self.placeholder,
                suggester=self.suggester,
                select_on_focus=False,
                id="answer",
            )
            yield Label(self.hint, id="hint", markup=False)
            yield Label("", id="error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#hint", Label).display = bool(self.hint)
        self.query_one("#error", Label).display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        problem = "Type something, or press Esc to cancel." if not text else None
        if problem is None and self.check is not None:
            problem = self.check(text)
        if problem:
            error = self.query_one("#error", Label)
            error.update(problem)
            error.display = True
            return
        self.dismiss(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#error", Label).display = False

    def action_cancel(self) -> None:
        self.dismiss(None)
