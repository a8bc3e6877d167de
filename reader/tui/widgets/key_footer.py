"""Textual's Footer, rebuilt only when the keys it shows change.

The stock footer recomposes (unmounts and mounts a widget per key) on every refresh of the
screen's bindings: each focus change, each time there starts or stops being a paper. That is
25 to 100 ms of the main thread each time, six or seven times during start-up, and most of
those refreshes leave the keys on show exactly as they were.

The stock footer lists the focused pane's keys first and the app's last, so a narrow terminal
cut off `? Help` and `q Quit`, the two a new user needs most: here they come first.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[object, ...], ...]
FIRST = ("help", "quit")  # actions shown before every other key, in this order


class KeyFooter(Footer, inherit_bindings=False):  # never focused: its scroll keys never apply
    """The keys, their labels and whether each is enabled: a recompose only when that moves."""

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        self._shown: Shown | None = None

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        first = [key for action in FIRST for key in keys if getattr(key, "action", None) == action]
        yield from first
        yield from (key for key in keys if key not in first)

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = self.keys_on_show(screen)
        if shown == self._shown and self._bindings_ready:
            return
        if screen.app.app_focus:  # Footer skips an unfocused app's refresh: so must the memo
            self._shown = shown
        super().bindings_changed(screen)

    def keys_on_show(self, screen: Screen[object]) -> Shown:
        """All that Footer.compose reads from the bindings, in the order it reads them."""
        app = screen.app
        return tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
                binding.key == app.COMMAND_PALETTE_BINDING,
            )
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )
