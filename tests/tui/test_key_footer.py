"""The footer rebuilds only when the keys it shows change, and then shows the new ones."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets._footer import FooterKey

from reader.tui.widgets.key_footer import KeyFooter


class Keys(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "alpha", "Alpha", id="alpha"),
        Binding("b", "beta", "Beta", id="beta"),
    ]
    beta: bool | None = True  # True: shown, None: shown disabled, False: hidden

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.beta if action == "beta" else True

    def action_alpha(self) -> None: ...
    def action_beta(self) -> None: ...


def shown(app: App[None]) -> list[tuple[str, bool]]:
    return [(key.description, key._disabled) for key in app.query(FooterKey)]


async def test_a_refresh_that_changes_no_key_keeps_the_footer_as_it_is() -> None:
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        keys = list(app.query(FooterKey))
        assert shown(app)[:2] == [("Alpha", False), ("Beta", False)]
        for _ in range(3):
            app.screen.refresh_bindings()
            await pilot.pause()
        assert list(app.query(FooterKey)) == keys  # the same widgets: nothing was rebuilt


async def test_a_key_that_is_disabled_or_hidden_shows_at_once() -> None:
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.beta = None
        app.screen.refresh_bindings()
        await pilot.pause()
        assert ("Beta", True) in shown(app)
        app.beta = False
        app.screen.refresh_bindings()
        await pilot.pause()
        assert [description for description, _ in shown(app)][:1] == ["Alpha"]
        assert "Beta" not in [description for description, _ in shown(app)]
