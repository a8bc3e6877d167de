"""The `?` screen: every key the screen underneath answers to, read from its live bindings.

The rows come from Screen.active_bindings (after the keymap is applied), the same source the
footer uses, so the help can never disagree with the footer or with the user's keymap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label


@dataclass(slots=True)
class HelpRow:
    group: str
    keys: list[str] = field(default_factory=list)
    description: str = ""
    binding_id: str = ""
    enabled: bool = True


def help_rows(app: App[object], bindings: Mapping[str, ActiveBinding]) -> list[HelpRow]:
    """One row per described binding (its keys joined), grouped by where it is defined."""
    rows: dict[tuple[int, str, str], HelpRow] = {}
    for active in bindings.values():
        binding: Binding = active.binding
        if not binding.description:
            continue
        node = active.node
        group = node.BINDING_GROUP_TITLE or type(node).__name__
        slot = (id(node), binding.id or f"action:{binding.action}", binding.description)
        row = rows.setdefault(
            slot, HelpRow(group, description=binding.description, binding_id=binding.id or "")
        )
        row.keys.append(app.get_key_display(binding))
        row.enabled = row.enabled and active.enabled
    return list(rows.values())


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen it was opened over (or of the bindings it is given)."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
    ]

    def __init__(self, bindings: Mapping[str, ActiveBinding] | None = None) -> None:
        super().__init__()
        self.given = bindings

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Keys", id="title")
            yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)
            yield Label(
                "Esc closes. Change a key in config.yaml: keymap: {binding id: key}",
                id="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        table = self.query_one("#keys", DataTable)
        table.add_columns("Key", "Action", "Binding id")
        group = None
        for row in help_rows(self.app, self._listed_bindings()):
            if row.group != group:
                group = row.group
                table.add_row(Text(group, style="bold"), "", "")
            style = "" if row.enabled else "dim"
            table.add_row(
                Text(" / ".join(row.keys), style=f"bold {style}".strip()),
                Text(row.description, style=style),
                Text(row.binding_id, style="dim"),
            )
        table.move_cursor(row=1)  # row 0 is a group heading
        table.focus()

    def _listed_bindings(self) -> Mapping[str, ActiveBinding]:
        if self.given is not None:
            return self.given
        stack = self.app.screen_stack
        below = stack[stack.index(self) - 1] if self in stack and stack.index(self) > 0 else None
        return below.active_bindings if below is not None else {}

    def action_close(self) -> None:
        self.dismiss(None)
