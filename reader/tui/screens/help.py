"""The `?` screen: every key of the app, grouped by where it works, as the keymap has them.

Not only the keys of the focused pane: the app's, the screen's, every pane's on it, and those
of the screens the app opens on top (given as `more`: the note editor, the prompts...). The
rows come from the bindings the classes declare (keymap.declared_bindings) with the user's
keymap applied (keymap.keys_now), so the help can never disagree with the footer or the
keymap. A class names its group with BINDING_GROUP_TITLE; a screen may sort its own keys into
finer groups with a classmethod `help_group(action) -> group or None` (the keys on a paper).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from reader.tui.keymap import declared_bindings, keys_now


@dataclass(slots=True)
class HelpRow:
    group: str
    keys: list[str] = field(default_factory=list)
    description: str = ""
    binding_id: str = ""
    owner: type[DOMNode] | None = None  # the class that declares it (its keys are joined)


def help_rows(
    app: App[object], places: Iterable[type[DOMNode]], keymap: Mapping[str, str]
) -> list[HelpRow]:
    """One row per described binding (its keys joined), in groups; a binding id declared in
    several places (the screens of papers share theirs) is listed once, where first met."""
    rows: dict[str, HelpRow] = {}
    for cls in places:
        title = cls.BINDING_GROUP_TITLE or cls.__name__
        finer: Callable[[str], str | None] = getattr(cls, "help_group", lambda action: None)
        for binding in declared_bindings(cls):
            if not (binding.id and binding.description) or binding.system:
                continue  # Textual's own (a screen's tab, a modal's ctrl+c): not the app's keys
            row = rows.setdefault(
                binding.id,
                HelpRow(
                    finer(binding.action) or title,
                    description=binding.description,
                    binding_id=binding.id,
                    owner=cls,
                ),
            )
            if row.owner is cls:
                for key in keys_now(keymap, binding):
                    shown = app.get_key_display(replace(binding, key=key))
                    if shown not in row.keys:
                        row.keys.append(shown)
    grouped: dict[str, list[HelpRow]] = {}
    for row in rows.values():
        grouped.setdefault(row.group, []).append(row)
    return [row for group in grouped.values() for row in group]


class HelpScreen(ModalScreen[None]):
    """Lists every key of the screen it was opened over (its panes too), the app's, and the
    keys of the screens in `more`."""

    BINDING_GROUP_TITLE = "Help"
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
    ]

    def __init__(
        self, more: Sequence[type[DOMNode]] = (), keymap: Mapping[str, str] | None = None
    ) -> None:
        """more: the screens whose keys are listed too; keymap: the user's, as applied."""
        super().__init__()
        self.more = more
        self.keymap = keymap or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Keys, by where they work", id="title")
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
        for row in help_rows(self.app, self.places(), self.keymap):
            if row.group != group:
                group = row.group
                table.add_row(Text(group, style="bold"), "", "")
            table.add_row(
                Text(" / ".join(row.keys), style="bold"),
                Text(row.description),
                Text(row.binding_id, style="dim"),
            )
        table.move_cursor(row=1)  # row 0 is a group heading
        table.focus()

    def places(self) -> list[type[DOMNode]]:
        """The app, the screen below and the panes on it (the app's own classes: Textual's
        widgets inside them, an Input's cursor keys, are not what the user asked for), then
        the screens in `more`, then this one."""
        stack = self.app.screen_stack
        below = stack[stack.index(self) - 1] if self in stack and stack.index(self) > 0 else None
        found: list[type[DOMNode]] = [type(self.app)]
        if below is not None:
            found += [type(below)] + [type(node) for node in below.query("*")]
        found += [*self.more, type(self)]
        return [cls for cls in dict.fromkeys(found) if not cls.__module__.startswith("textual.")]

    def action_close(self) -> None:
        self.dismiss(None)
