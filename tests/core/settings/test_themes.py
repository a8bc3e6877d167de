"""Themes as plain data: the bundled set, user themes, and a notice (with a line) per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.settings.themes import (
    COLOUR_FIELDS,
    KNOWN_FIELDS,
    ThemeSet,
    bundled_themes,
    choose_theme,
    colour_problem,
    load_themes,
)

REPO_THEMES = Path(__file__).resolve().parents[3] / "themes"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_themes_load_cleanly() -> None:
    themes, notices = load_themes()
    assert notices == []
    assert {"reader-dark", "reader-light", "reader-sepia", "reader-contrast"} <= set(themes.themes)
    assert themes.themes["reader-dark"]["dark"] is True
    assert themes.themes["reader-light"]["dark"] is False
    for theme in themes.themes.values():
        assert set(theme) <= set(KNOWN_FIELDS)
        assert all(field in theme for field in ("primary", "background", "foreground"))


def test_bundled_files_are_the_repo_themes_folder() -> None:
    names = sorted(entry.name for entry in bundled_themes().iterdir())
    assert names == sorted(path.name for path in REPO_THEMES.glob("*.yaml"))
    assert len(names) >= 4


def test_user_theme_is_added_and_can_replace_a_bundled_one(tmp_path: Path) -> None:
    write(tmp_path, "ocean.yaml", 'name: ocean\nprimary: "#0077be"\ndark: true\n')
    write(tmp_path, "mine.yml", 'name: reader-dark\nprimary: "rgb(200, 10, 10)"\n')
    write(tmp_path, "notes.txt", "not a theme")
    themes, notices = load_themes(tmp_path)
    assert notices == []
    assert themes.themes["ocean"] == {"name": "ocean", "primary": "#0077be", "dark": True}
    assert themes.themes["reader-dark"] == {"name": "reader-dark", "primary": "rgb(200, 10, 10)"}
    assert themes.sources["reader-dark"] == str(tmp_path / "mine.yml")


def test_missing_user_folder_is_fine(tmp_path: Path) -> None:
    themes, notices = load_themes(tmp_path / "nope")
    assert notices == [] and "reader-light" in themes.themes


def test_name_defaults_to_the_file_name(tmp_path: Path) -> None:
    write(tmp_path, "plain.yaml", 'primary: "#123"\n')
    themes, notices = load_themes(tmp_path)
    assert notices == [] and themes.themes["plain"]["primary"] == "#123"


def test_bad_values_give_notices_with_lines_and_the_theme_still_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "odd.yaml",
        "name: odd\n"
        'primary: "#336699"\n'
        'accent: "#12345"\n'  # 3: five hex digits
        "dark: maybe\n"  # 4: not a bool
        "sparkle: true\n"  # 5: unknown field
        "text_alpha: 2\n"  # 6: out of range
        "variables:\n"
        '  footer-key-foreground: "#ffaa00"\n'  # 8: fine
        '  "Bad Name": "#fff"\n'  # 9: bad variable name
        '  border: "red; } Screen { display: none"\n',  # 10: injection
    )
    themes, notices = load_themes(tmp_path)
    assert themes.themes["odd"] == {
        "name": "odd",
        "primary": "#336699",
        "variables": {"footer-key-foreground": "#ffaa00"},
    }
    where = [notice.split(": ", 1)[0] for notice in notices]
    assert where == [
        f"{path}:{line}:{col}" for line, col in ((3, 1), (4, 1), (5, 1), (6, 1), (9, 3), (10, 3))
    ]
    assert "'#12345' is not a colour" in notices[0]
    assert "unknown theme field 'sparkle'" in notices[2]


def test_unquoted_hex_is_explained(tmp_path: Path) -> None:
    path = write(tmp_path, "bare.yaml", "name: bare\nprimary: #336699\n")
    themes, notices = load_themes(tmp_path)
    assert "bare" not in themes.themes  # no usable primary colour
    assert notices[0].startswith(f"{path}:2:1: primary is empty (in YAML a bare # starts a comment")
    assert notices[1] == f"{path}: theme 'bare' skipped: it needs a valid primary colour"


def test_broken_theme_file_is_skipped_and_the_others_load(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "name: broken\nprimary: [\n")
    write(tmp_path, "good.yaml", 'primary: "#abcdef"\n')
    themes, notices = load_themes(tmp_path)
    assert "good" in themes.themes and "broken" not in themes.themes
    assert len(notices) == 1
    assert notices[0].startswith(f"{path}:3:1: not valid YAML") and notices[0].endswith("skipped")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a list\n", "expected a mapping of theme fields"),
        ('name: "Has Spaces"\nprimary: "#fff"\n', "name must be lower-case letters"),
    ],
)
def test_unusable_theme_files(tmp_path: Path, text: str, problem: str) -> None:
    write(tmp_path, "x.yaml", text)
    themes, notices = load_themes(tmp_path)
    assert len(notices) == 1 and problem in notices[0] and "skipped" in notices[0]
    assert set(themes.themes) == set(load_themes()[0].themes)


def test_non_utf8_user_theme(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"name: latin\nprimary: '#fff' # caf\xe9\n")
    themes, notices = load_themes(tmp_path)
    assert notices == [f"{path}:2:22: not UTF-8 text; theme skipped"]
    assert "latin" not in themes.themes


@pytest.mark.parametrize(
    "colour",
    [
        "#abc",
        "#abcd",
        "#AABBCC",
        "#aabbcc80",
        "rgb(0, 128, 255)",
        "rgba(0,0,0,0.5)",
        "hsl(210, 50%, 40%)",
        "hsla(210, 50.5%, 40%, 1)",
        "navy",
        "ansi_red",
    ],
)
def test_colours_accepted(colour: str) -> None:
    assert colour_problem(colour, "primary") is None


@pytest.mark.parametrize(
    ("colour", "problem"),
    [
        ("#ab", "is not a colour (use #rrggbb"),
        ("#gggggg", "is not a colour (use #rrggbb"),
        ("rgb(0, 300, 0)", "'300' is not a channel value from 0 to 255"),
        ("rgb(0, 0)", "rgb() takes 3 values"),
        ("rgba(0, 0, 0, 2)", "'2' is not an alpha from 0 to 1"),
        ("hsl(10, 50, 40%)", "'50' is not a percentage"),
        ("hsl(10, 150%, 40%)", "'150%' is not from 0% to 100%"),
        ("hsl(x, 50%, 40%)", "'x' is not a hue in degrees"),
        ("Dark Blue", "is not a colour"),
        (12, 'must be a colour such as "#336699", not 12'),
    ],
)
def test_colours_refused(colour: object, problem: str) -> None:
    found = colour_problem(colour, "accent")
    assert found is not None and problem in found


def test_every_colour_field_is_checked(tmp_path: Path) -> None:
    text = "name: all\n" + "".join(f"{field}: '#zzz'\n" for field in COLOUR_FIELDS)
    write(tmp_path, "all.yaml", text)
    themes, notices = load_themes(tmp_path)
    assert len(notices) == len(COLOUR_FIELDS) + 1  # one per field, then "skipped"
    assert "all" not in themes.themes


def test_choose_theme_falls_back_with_a_notice() -> None:
    themes, _ = load_themes()
    assert choose_theme("reader-light", themes) == ("reader-light", [])
    chosen, notices = choose_theme("solarized", themes)
    assert chosen == "reader-dark"
    assert notices[0].startswith("unknown theme 'solarized' (known: reader-contrast, reader-dark")
    assert choose_theme("x", ThemeSet())[0] == "reader-dark"
