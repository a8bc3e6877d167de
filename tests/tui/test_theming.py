"""Themes registered with a real app; a bad user theme never stops the app from starting."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Label

from reader.core.settings.themes import load_themes
from reader.tui.theming import apply_theme, build_themes, register_themes


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("host")
        yield Footer()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run_with_themes(user_dir: Path | None, wanted: str) -> tuple[list[str], list[str], str]:
    """Register themes, switch to wanted, render; returns (names, notices, theme in use)."""

    async def scenario() -> tuple[list[str], list[str], str]:
        app = Host()
        async with app.run_test() as pilot:
            names, notices = register_themes(app, user_dir)
            notices += apply_theme(app, wanted)
            await pilot.pause()
            app.screen.refresh()
            await pilot.pause()
            return names, notices, app.theme

    return asyncio.run(scenario())


def test_every_bundled_theme_registers_and_renders() -> None:
    names, notices, _ = run_with_themes(None, "reader-dark")
    assert notices == []
    assert {"reader-dark", "reader-light", "reader-sepia", "reader-contrast"} <= set(names)
    for name in ("reader-light", "reader-sepia", "reader-contrast"):
        assert run_with_themes(None, name)[2] == name


def test_unknown_theme_falls_back_to_reader_dark() -> None:
    _, notices, theme = run_with_themes(None, "no-such-theme")
    assert theme == "reader-dark"
    assert len(notices) == 1 and notices[0].startswith("unknown theme 'no-such-theme'")


def test_bad_variable_values_are_dropped_and_the_app_starts(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "risky.yaml",
        "name: risky\n"
        "primary: navy\n"  # a colour name: checked by Textual's parser here
        "accent: notacolour\n"
        "variables:\n"
        "  footer-key-foreground: bold\n"  # a style where a colour belongs
        "  block-cursor-text-style: sparkly\n"
        "  text: auto 80%\n"  # fine
        "  my-own-variable: '#ffffff'\n"
        "  border: '#ff0000'\n",  # fine
    )
    names, notices, theme = run_with_themes(tmp_path, "risky")
    assert theme == "risky" and "risky" in names
    assert notices[0].startswith(f"{path}: accent: failed to parse 'notacolour' as a color")
    assert notices[1:] == [
        f"{path}: variables.footer-key-foreground: 'bold' is not a valid value; ignored",
        f"{path}: variables.block-cursor-text-style: 'sparkly' is not a valid value; ignored",
        f"{path}: variables.my-own-variable: not a Textual theme variable; ignored",
    ]


def test_theme_with_a_bad_primary_name_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "nope.yaml", "name: nope\nprimary: blurple\n")
    names, notices, theme = run_with_themes(tmp_path, "nope")
    assert "nope" not in names and theme == "reader-dark"
    assert notices[0].startswith(f"{path}: primary: failed to parse 'blurple'")
    assert notices[1] == f"{path}: theme 'nope' skipped: it needs a valid primary colour"
    assert notices[2].startswith("unknown theme 'nope'")


def test_built_themes_carry_every_field() -> None:
    themes, notices = build_themes(load_themes()[0])
    assert notices == []
    dark = next(theme for theme in themes if theme.name == "reader-dark")
    assert dark.dark and dark.primary == "#6CB6FF" and dark.background == "#14161B"
    assert dark.variables["footer-key-foreground"] == "#F2B866"
    light = next(theme for theme in themes if theme.name == "reader-light")
    assert not light.dark


def test_a_textual_builtin_theme_is_accepted() -> None:
    _, notices, theme = run_with_themes(None, "nord")
    assert (theme, notices) == ("nord", [])
