"""Colour themes as plain data: the bundled ones (themes/*.yaml) and the user's own.

A theme file is a mapping of Textual Theme fields. It is checked here without Textual: its
keys, colour syntax (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl(), hsla(); a bare name is
left for the TUI to check against Textual's colour names) and variable names. A problem gives a
notice naming FILE:LINE:COL; a theme that cannot be used is skipped and the app still starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from reader.core.settings.yaml_positions import Loaded, YamlFileError, load_text, read_text

COLOUR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "warning",
    "error",
    "success",
)
NUMBER_FIELDS = ("luminosity_spread", "text_alpha")  # fractions from 0 to 1
KNOWN_FIELDS = ("name", *COLOUR_FIELDS, "dark", *NUMBER_FIELDS, "variables")
FALLBACK_THEME = "reader-dark"

_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_VARIABLE = re.compile(r"[a-z][a-z0-9-]{0,62}")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_FUNCTION = re.compile(r"(rgba?|hsla?)\(([^()]*)\)")
_COLOUR_NAME = re.compile(r"[a-z][a-z0-9_]*")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_UNSAFE_IN_VARIABLE = re.compile(r"[;{}\n\r\x00-\x1f\x7f]")


@dataclass(slots=True)
class ThemeSet:
    """Themes by name (plain dicts of Textual Theme fields), and where each came from."""

    themes: dict[str, dict[str, object]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def add(self, theme: dict[str, object], source: str) -> None:
        name = str(theme["name"])
        self.themes[name] = theme
        self.sources[name] = source


def bundled_themes() -> Traversable:
    """The themes shipped with reader: reader/themes in the wheel, themes/ in a checkout.

    setuptools' editable installs cannot map a data-only folder to a subpackage, and a checkout
    run without installing has no mapping at all; both read the top-level folder directly.
    """
    try:
        return resources.files("reader.themes")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[3] / "themes"


def load_themes(user_themes_dir: Path | None = None) -> tuple[ThemeSet, list[str]]:
    """The bundled themes, then the user's (a user theme replaces a bundled one of its name)."""
    found = ThemeSet()
    notices: list[str] = []
    try:
        shipped = sorted(bundled_themes().iterdir(), key=lambda item: item.name)
    except OSError as error:  # a broken install: the app still starts on Textual's themes
        notices.append(f"the bundled themes are missing ({error}); reinstall reader")
        shipped = []
    for entry in shipped:
        if entry.name.endswith((".yaml", ".yml")):
            _add_file(found, notices, Path(str(entry)), entry.read_text(encoding="utf-8-sig"))
    if user_themes_dir is not None and user_themes_dir.is_dir():
        for path in sorted(user_themes_dir.iterdir()):
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                continue
            try:
                text = read_text(path)
            except YamlFileError as error:
                notices.append(f"{error}; theme skipped")
                continue
            except OSError as error:
                notices.append(f"{path}: theme skipped: could not read it: {error.strerror}")
                continue
            _add_file(found, notices, path, text)
    return found, notices


def choose_theme(wanted: str, available: ThemeSet | dict[str, object]) -> tuple[str, list[str]]:
    """wanted if it exists, else the fallback theme and a notice saying so."""
    names = available.themes if isinstance(available, ThemeSet) else available
    if wanted in names:
        return wanted, []
    return FALLBACK_THEME, [
        f"unknown theme {wanted!r} (known: {', '.join(sorted(names))}); using {FALLBACK_THEME}"
    ]


def check_theme(loaded: Loaded) -> tuple[dict[str, object] | None, list[str]]:
    """The usable part of one parsed theme file, and a notice per problem found."""
    data = loaded.data
    if not isinstance(data, dict):
        return None, [f"{loaded.path}: theme skipped: expected a mapping of theme fields"]
    notices: list[str] = []
    theme: dict[str, object] = {}
    name = data.get("name", Path(loaded.path).stem)
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        notices.append(
            f"{loaded.where(('name',))}: theme skipped: name must be lower-case letters, digits "
            f"and dashes, not {name!r}"
        )
        return None, notices
    theme["name"] = name
    for key, value in data.items():
        where = loaded.where((str(key),))
        if key == "name":
            continue
        if key in COLOUR_FIELDS:
            problem = colour_problem(value, str(key))
            if problem is None:
                theme[key] = value.strip()  # type: ignore[union-attr]
            else:
                notices.append(f"{where}: {problem}")
        elif key == "dark":
            if isinstance(value, bool):
                theme["dark"] = value
            else:
                notices.append(f"{where}: dark must be true or false, not {value!r}")
        elif key in NUMBER_FIELDS:
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1:
                theme[key] = float(value)
            else:
                notices.append(f"{where}: {key} must be a number from 0 to 1, not {value!r}")
        elif key == "variables":
            theme["variables"] = _check_variables(value, loaded, notices)
        else:
            notices.append(
                f"{where}: unknown theme field {key!r} (known: {', '.join(KNOWN_FIELDS)})"
            )
    if "primary" not in theme:
        notices.append(f"{loaded.path}: theme {name!r} skipped: it needs a valid primary colour")
        return None, notices
    return theme, notices


def colour_problem(value: object, key: str) -> str | None:
    """Why value is not a colour Textual can parse, or None if it looks like one."""
    if value is None:
        return f'{key} is empty (in YAML a bare # starts a comment: write {key}: "#336699")'
    if not isinstance(value, str):
        return f'{key} must be a colour such as "#336699", not {value!r}'
    text = value.strip()
    if _HEX.fullmatch(text) or _COLOUR_NAME.fullmatch(text):
        return None
    function = _FUNCTION.fullmatch(text)
    if function is None:
        return f"{key}: {value!r} is not a colour (use #rrggbb, rgb(r, g, b) or hsl(h, s%, l%))"
    kind, args = function.group(1), [arg.strip() for arg in function.group(2).split(",")]
    problem = _function_problem(kind, args)
    return f"{key}: {value!r} is not a colour: {problem}" if problem else None


def _function_problem(kind: str, args: list[str]) -> str | None:
    wanted = 4 if kind.endswith("a") else 3
    if len(args) != wanted:
        return f"{kind}() takes {wanted} values"
    if kind.startswith("rgb"):
        channels, alpha = args[:3], args[3:]
        for channel in channels:
            if not _NUMBER.fullmatch(channel) or not 0 <= float(channel) <= 255:
                return f"{channel!r} is not a channel value from 0 to 255"
    else:
        hue, *percents = args[:3]
        alpha = args[3:]
        if not _NUMBER.fullmatch(hue):
            return f"{hue!r} is not a hue in degrees"
        for percent in percents:
            number = percent[:-1]
            if not percent.endswith("%") or not _NUMBER.fullmatch(number):
                return f"{percent!r} is not a percentage"
            if not 0 <= float(number) <= 100:
                return f"{percent!r} is not from 0% to 100%"
    for value in alpha:
        if not _NUMBER.fullmatch(value) or not 0 <= float(value) <= 1:
            return f"{value!r} is not an alpha from 0 to 1"
    return None


def _check_variables(value: object, loaded: Loaded, notices: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        notices.append(
            f"{loaded.where(('variables',))}: variables must be a mapping of CSS "
            f"variable names to values"
        )
        return {}
    checked: dict[str, str] = {}
    for name, setting in value.items():
        where = loaded.where(("variables", str(name)))
        if not isinstance(name, str) or not _VARIABLE.fullmatch(name):
            notices.append(f"{where}: {name!r} is not a variable name (e.g. footer-key-foreground)")
        elif not isinstance(setting, str) or not setting.strip():
            notices.append(f'{where}: variable {name} needs a value such as "#336699"')
        elif _UNSAFE_IN_VARIABLE.search(setting):
            notices.append(f"{where}: variable {name} has a character not allowed in a value")
        else:
            checked[name] = setting.strip()
    return checked


def _add_file(found: ThemeSet, notices: list[str], path: Path, text: str) -> None:
    try:
        loaded = load_text(text, path)
    except YamlFileError as error:
        notices.append(f"{error}; theme skipped")
        return
    theme, problems = check_theme(loaded)
    notices.extend(problems)
    if theme is not None:
        found.add(theme, str(path))
