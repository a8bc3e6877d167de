"""config.yaml: defaults, notices with positions, and the theme edit that keeps the user's file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import yaml

from reader.core import durable
from reader.core.settings.config import Config, load_config, save_theme_choice


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults_and_no_notice(tmp_path: Path) -> None:
    config, notices = load_config(tmp_path / "config.yaml")
    assert config == Config()
    assert (config.theme, config.default_sort, config.debounce_ms) == (
        "reader-dark",
        "relevance",
        None,
    )
    assert config.mark_read_delay_s == 2.0 and config.keymap == {} and config.feeds is None
    assert notices == []


def test_empty_or_comment_only_file_is_defaults(tmp_path: Path) -> None:
    path = write(tmp_path / "config.yaml", "# nothing set yet\n")
    assert load_config(path) == (Config(), [])


def test_full_valid_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.yaml",
        "theme: reader-light\n"
        "default_sort: date\n"
        "debounce_ms: 80\n"
        "mark_read_delay_s: 0.5\n"
        "keymap:\n"
        "  search: ctrl+f\n"
        "  help: [f1, '?']\n"
        "  quit: 'ctrl+q, q'\n"
        "feeds:\n"
        "  - hf: {days: 2}\n"
        "fetch: {arxiv_delay: 5}\n",
    )
    config, notices = load_config(path)
    assert notices == []
    assert config.theme == "reader-light"
    assert config.default_sort == "date"
    assert config.debounce_ms == 80
    assert config.mark_read_delay_s == 0.5
    assert config.keymap == {"search": "ctrl+f", "help": "f1,?", "quit": "ctrl+q,q"}
    assert config.feeds == [{"hf": {"days": 2}}]  # passed through as safe_load reads it


def test_broken_yaml_names_file_line_col_and_is_left_alone(tmp_path: Path) -> None:
    text = "theme: reader-light\nkeymap:\n  search: [ctrl+f\ndefault_sort: date\n"
    path = write(tmp_path / "config.yaml", text)
    before = path.stat().st_mtime_ns
    config, notices = load_config(path)
    assert config == Config()
    assert len(notices) == 1
    assert notices[0].startswith(f"{path}:4:")
    assert "not valid YAML" in notices[0] and "default settings" in notices[0]
    assert path.read_text(encoding="utf-8") == text and path.stat().st_mtime_ns == before


def test_not_utf8_is_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"theme: caf\xe9\n")
    config, notices = load_config(path)
    assert config == Config()
    assert notices == [f"{path}:1:11: not UTF-8 text; using the default settings until it is fixed"]


def test_top_level_list_is_a_notice(tmp_path: Path) -> None:
    path = write(tmp_path / "config.yaml", "- theme\n- reader-light\n")
    config, notices = load_config(path)
    assert config == Config()
    assert notices == [
        f"{path}: expected a mapping of settings (key: value), found a list; "
        "using the default settings"
    ]


def test_each_bad_value_is_a_notice_and_the_rest_is_used(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.yaml",
        "theme: reader-sepia\n"  # 1 good
        "default_sort: newest\n"  # 2 bad
        "debounce_ms: fast\n"  # 3 bad
        "mark_read_delay_s: -1\n"  # 4 bad
        "them: x\n"  # 5 unknown, close to theme
        "colour: red\n"  # 6 unknown
        "keymap:\n"  # 7
        "  search: ctrl+f\n"  # 8 good
        "  help: 12\n"  # 9 bad
        "  quit: ''\n",  # 10 bad
    )
    config, notices = load_config(path)
    assert config.theme == "reader-sepia"
    assert config.keymap == {"search": "ctrl+f"}
    assert (config.default_sort, config.debounce_ms, config.mark_read_delay_s) == (
        "relevance",
        None,
        2.0,
    )
    assert len(notices) == 7
    starts = [notice.split(": ", 1)[0] for notice in notices]
    assert starts == [
        f"{path}:{line}:{col}"
        for line, col in ((2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (9, 3), (10, 3))
    ]
    assert "one of relevance, date, title, upvotes, not 'newest'" in notices[0]
    assert "did you mean 'theme'?" in notices[3]
    assert "known: theme, keymap" in notices[4]


@pytest.mark.parametrize("value", ["true", "1.5", "-5", "99999"])
def test_debounce_must_be_a_whole_number_in_range(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "config.yaml", f"debounce_ms: {value}\n")
    config, notices = load_config(path)
    assert config.debounce_ms is None
    assert len(notices) == 1 and "debounce_ms must be a whole number" in notices[0]


def test_keymap_of_wrong_shape(tmp_path: Path) -> None:
    path = write(tmp_path / "config.yaml", "keymap: [search, ctrl+f]\n")
    config, notices = load_config(path)
    assert config.keymap == {}
    assert notices == [
        f"{path}:1:1: keymap must map binding ids to keys (e.g. 'search: ctrl+f'), not a list"
    ]


def test_unsafe_yaml_tag_is_refused_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = write(
        tmp_path / "config.yaml",
        f"theme: !!python/object/apply:os.system ['touch {marker}']\n",
    )
    config, notices = load_config(path)
    assert config == Config()
    assert len(notices) == 1 and "not valid YAML" in notices[0]
    assert not marker.exists()


# -- save_theme_choice -------------------------------------------------------------------------

COMMENTED = """\
# my reader settings
theme: reader-dark   # the default, for now
keymap:
  search: ctrl+f     # like a browser

default_sort: date
"""


def test_theme_edit_keeps_comments_and_layout(tmp_path: Path) -> None:
    path = write(tmp_path / "config.yaml", COMMENTED)
    assert save_theme_choice(path, "reader-light") is None
    assert path.read_text(encoding="utf-8") == COMMENTED.replace(
        "theme: reader-dark   #", "theme: reader-light   #"
    )
    config, notices = load_config(path)
    assert config.theme == "reader-light" and config.default_sort == "date" and notices == []


def test_theme_edit_appends_when_absent_and_creates_when_missing(tmp_path: Path) -> None:
    path = write(tmp_path / "config.yaml", "default_sort: title  # no newline at end")
    assert save_theme_choice(path, "reader-sepia") is None
    assert path.read_text(encoding="utf-8") == (
        "default_sort: title  # no newline at end\ntheme: reader-sepia\n"
    )
    fresh = tmp_path / "new" / "config.yaml"
    assert save_theme_choice(fresh, "reader-contrast") is None
    assert fresh.read_text(encoding="utf-8") == "theme: reader-contrast\n"


@pytest.mark.parametrize(
    "before",
    [
        "theme:\nkeymap: {}\n",  # empty value
        "theme:   # pick one\nkeymap: {}\n",  # empty value with a comment
        "theme: |\n  reader-dark\nkeymap: {}\n",  # block scalar
        "'theme': \"reader-dark\"\nkeymap: {}\n",  # quoted key and value
        "theme: {name: x}\nkeymap: {}\n",  # wrong shape: replaced by the name
        "theme: reader-dark\r\nkeymap: {}\r\n",  # Windows line ends
    ],
)
def test_theme_edit_handles_odd_but_valid_files(tmp_path: Path, before: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(before.encode())
    assert save_theme_choice(path, "reader-light") is None
    after = path.read_bytes().decode()
    assert yaml.safe_load(after) == {"theme": "reader-light", "keymap": {}}
    assert ("\r\n" in after) == ("\r\n" in before)
    if "#" in before:
        assert "# pick one" in after


def test_theme_edit_keeps_bom_and_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"\xef\xbb\xbftheme: reader-dark\n")
    os.chmod(path, 0o600)
    assert save_theme_choice(path, "reader-light") is None
    assert path.read_bytes() == b"\xef\xbb\xbftheme: reader-light\n"
    assert path.stat().st_mode & 0o777 == 0o600


def test_theme_name_that_yaml_would_retype_is_quoted(tmp_path: Path) -> None:
    path = write(tmp_path / "config.yaml", "theme: reader-dark\n")
    assert save_theme_choice(path, "yes") is None
    assert path.read_text(encoding="utf-8") == 'theme: "yes"\n'
    assert load_config(path)[0].theme == "yes"


def test_broken_file_is_never_touched(tmp_path: Path) -> None:
    text = "theme: reader-dark\nkeymap: [oops\n"
    path = write(tmp_path / "config.yaml", text)
    notice = save_theme_choice(path, "reader-light")
    assert notice is not None
    assert notice.startswith(f"theme not saved: {path}:") and "fix the file first" in notice
    assert path.read_text(encoding="utf-8") == text
    assert list(tmp_path.iterdir()) == [path]  # no temp file left behind


def test_flow_mapping_file_without_theme_is_refused_not_broken(tmp_path: Path) -> None:
    text = "{default_sort: date}"
    path = write(tmp_path / "config.yaml", text)
    notice = save_theme_choice(path, "reader-light")
    assert notice == (
        f"theme not saved: could not edit {path} safely; add 'theme: reader-light' by hand"
    )
    assert path.read_text(encoding="utf-8") == text


def test_unreadable_path_is_a_notice(tmp_path: Path) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file, so nothing lives under it", encoding="utf-8")
    notice = save_theme_choice(blocker / "config.yaml", "reader-light")
    assert notice is not None and notice.startswith(f"theme not saved: could not read {blocker}")
    assert load_config(blocker / "config.yaml")[1][0].startswith(f"could not read {blocker}")


def test_failed_write_is_a_notice_and_the_old_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "config.yaml", "theme: reader-dark\n")

    def disk_full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(durable.hooks, "fsync", disk_full)  # the OS boundary, not our code
    notice = save_theme_choice(path, "reader-light")
    assert notice == f"theme not saved: could not write {path}: {os.strerror(errno.ENOSPC)}"
    assert path.read_text(encoding="utf-8") == "theme: reader-dark\n"
    assert list(tmp_path.iterdir()) == [path]


def test_an_unknown_setting_lists_each_known_one_once(tmp_path: Path) -> None:
    path = write(tmp_path / "config.yaml", "feeds: []\nbogus: 1\n")
    _, notices = load_config(path)
    (notice,) = notices
    known = notice.split("(known: ")[1].rstrip(")").split(", ")
    assert "feeds" in known and len(known) == len(set(known))
