"""`y`: choose what to copy of the current paper (link, title or BibTeX), one key each."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

CHOICES = (("link", "l", "Link"), ("title", "t", "Title"), ("bibtex", "b", "BibTeX"))


class CopyMenu(ModalScreen[str | None], inherit_bindings=False):
    """Dismisses with "link", "title" or "bibtex", or None on Esc."""

    BINDING_GROUP_TITLE = "Copy menu"
    CSS_PATH = "copy_menu.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "choose('link')", "Link", id="copy.link"),
        Binding("t", "choose('title')", "Title", id="copy.title"),
        Binding("b", "choose('bibtex')", "BibTeX", id="copy.bibtex"),
        Binding("escape", "choose('')", "Cancel", id="copy.cancel"),
        Binding("tab", "app.focus_next", "Next", show=False, id="copy.focus_next"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-dialog"):
            yield Label("Copy to the clipboard", id="copy-title")
            yield OptionList(
                *(
                    Option(Content.assemble((key, "bold $text-accent"), f"  {label}"), id=name)
                    for name, key, label in CHOICES
                ),
                id="copy-choices",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
