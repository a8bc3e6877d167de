"""Turn the checked theme dicts from reader.core.settings.themes into Textual themes and
register them.

Core checks a theme's shape without Textual; here each colour goes through Textual's own
parser and each variable through Textual's CSS parser, because one bad value in a registered
theme would stop the stylesheet from parsing and the app from starting.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from textual.app import App
from textual.color import Color, ColorParseError
from textual.css.stylesheet import Stylesheet, StylesheetParseError
from textual.theme import Theme

from reader.core.library import COLOUR_FIELDS, ThemeSet, choose_theme, load_themes

# reader's own theme variables (a theme's `variables:` may set them), each with the colour of
# the theme it falls back to: the followed papers' mark is the theme's secondary text colour
READER_VARIABLES = {"reader-followed": "text-secondary"}


def register_themes(app: App[object], user_themes_dir: Path | None) -> tuple[list[str], list[str]]:
    """Register every usable theme with app; returns (theme names, notices)."""
    theme_set, notices = load_themes(user_themes_dir)
    themes, problems = build_themes(theme_set)
    for theme in themes:
        app.register_theme(theme)
    return [theme.name for theme in themes], [*notices, *problems]


def apply_theme(app: App[object], wanted: str) -> list[str]:
    """Switch app to wanted (ours, the user's or one of Textual's), else to the fallback."""
    available = app.available_themes
    chosen, notices = choose_theme(wanted, dict.fromkeys(available))
    if chosen in available:
        app.theme = chosen
    return notices


def reader_variables(theme: Theme) -> dict[str, str]:
    """READER_VARIABLES' values for a theme that does not set them (App's
    get_theme_variable_defaults: a variable the CSS uses must always have a value)."""
    generated = theme.to_color_system().generate()
    return {name: generated[source] for name, source in READER_VARIABLES.items()}


def build_themes(theme_set: ThemeSet) -> tuple[list[Theme], list[str]]:
    """A Textual Theme for each usable theme; a notice per dropped value or theme."""
    themes: list[Theme] = []
    notices: list[str] = []
    for name, fields in theme_set.themes.items():
        source = theme_set.sources.get(name, name)
        theme = _build_theme(dict(fields), source, notices)
        if theme is not None:
            themes.append(theme)
    return themes, notices


def _build_theme(fields: dict[str, object], source: str, notices: list[str]) -> Theme | None:
    name = str(fields["name"])
    for key in COLOUR_FIELDS:
        value = fields.get(key)
        if value is None:
            continue
        try:
            Color.parse(str(value))
        except ColorParseError as error:
            notices.append(f"{source}: {key}: {error}")
            if key == "primary":
                notices.append(f"{source}: theme {name!r} skipped: it needs a valid primary colour")
                return None
            del fields[key]
    variables = fields.get("variables")
    if isinstance(variables, dict):
        fields["variables"] = _usable_variables(variables, source, notices)
    theme = Theme(**fields)  # type: ignore[arg-type]
    try:
        theme.to_color_system().generate()
    except (ColorParseError, ValueError) as error:
        notices.append(f"{source}: theme {name!r} skipped: {error}")
        return None
    return theme


def _usable_variables(variables: dict[str, str], source: str, notices: list[str]) -> dict[str, str]:
    known = _textual_variables()
    usable: dict[str, str] = {}
    for name, value in variables.items():
        default = known.get(name)
        if default is None:
            notices.append(f"{source}: variables.{name}: not a Textual theme variable; ignored")
        elif not all(_parses(prop, value) for prop in _properties_for(name, default)):
            notices.append(f"{source}: variables.{name}: {value!r} is not a valid value; ignored")
        else:
            usable[name] = value
    return usable


def _properties_for(name: str, default: str) -> tuple[str, ...]:
    """The CSS properties a variable of this kind ends up in, so the test parse is fair."""
    if "style" in name:
        return ("text-style",)
    if default.startswith("auto"):
        return ("color",)
    if default.startswith("#"):
        return ("background", "border")
    return ("background",)


def _parses(prop: str, value: str) -> bool:
    stylesheet = Stylesheet(variables={"v": value})
    template = "solid $v" if prop == "border" else "$v"
    stylesheet.add_source(f"Screen {{ {prop}: {template}; }}", read_from=("theme", ""))
    try:
        stylesheet.parse()
    except StylesheetParseError:
        return False
    return True


@cache
def _textual_variables() -> dict[str, str]:
    """The variables Textual's colour system defines and reader's own, with their default
    values."""
    probe = Theme(name="probe", primary="#0178D4")
    return {**probe.to_color_system().generate(), **reader_variables(probe)}
