"""The user's settings file (config.yaml): read leniently, and written only by a one-line edit.

A missing file means defaults. A file that is not valid YAML gives one notice naming
FILE:LINE:COL, the defaults are used, and the file is never written over, so the user can fix
it. Each unknown key or bad value gives a notice of its own and the rest of the file is used.
The `feeds:` and `fetch:` sections belong to reader.core.fetch.feeds, which checks them.
"""

from __future__ import annotations

import codecs
import difflib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reader.core.durable import atomic_write_bytes
from reader.core.model import SORTS
from reader.core.settings.commands import Summarizer, command_line, summarizer
from reader.core.settings.yaml_positions import (
    Loaded,
    YamlFileError,
    load_file,
    load_text,
    top_level_value_node,
)

DEFAULT_THEME = "reader-dark"
MAX_DEBOUNCE_MS = 2000
MAX_MARK_READ_DELAY_S = 3600.0
_PASSED_THROUGH = ("feeds", "fetch")  # checked by reader.core.fetch.feeds
_PLAIN_SCALAR = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(slots=True)
class Config:
    theme: str = DEFAULT_THEME
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> "key[,key...]"
    default_sort: str = "relevance"
    debounce_ms: int | None = None  # None: none while searches are fast, else 150 ms
    mark_read_delay_s: float = 2.0
    feeds: object = None  # the raw `feeds:` value, untouched
    pdf_viewer: tuple[str, ...] | None = None  # a command with {path}; None: the system's
    queue_downloads: bool = False  # queueing a paper downloads its PDF
    summarize: Summarizer | None = None


def load_config(path: Path) -> tuple[Config, list[str]]:
    """The settings in path (defaults where missing or wrong) and one notice per problem."""
    config = Config()
    try:
        loaded = load_file(path)
    except FileNotFoundError:
        return config, []
    except YamlFileError as error:
        return config, [f"{error}; using the default settings until it is fixed"]
    except OSError as error:
        return config, [f"could not read {path}: {error.strerror}; using the default settings"]
    if loaded.data is None:
        return config, []
    if not isinstance(loaded.data, dict):
        return config, [
            f"{path}: expected a mapping of settings (key: value), found "
            f"{_kind(loaded.data)}; using the default settings"
        ]
    notices: list[str] = []
    for key, value in loaded.data.items():
        name = str(key)
        check = _CHECKS.get(name)
        if check is not None:
            check(config, value, loaded, notices)
        elif name not in _PASSED_THROUGH:
            notices.append(
                f"{loaded.where((name,))}: unknown setting {name!r}{_did_you_mean(name)}"
            )
    return config, notices


def save_theme_choice(path: Path, theme: str) -> str | None:
    """Make `theme:` in path say theme, keeping every other byte (comments, order, layout).

    Returns None when saved, else a notice saying why not (a broken file is never touched).
    """
    try:
        raw: bytes | None = path.read_bytes()
    except FileNotFoundError:
        raw = None
    except OSError as error:
        return f"theme not saved: could not read {path}: {error.strerror}"
    scalar = _yaml_scalar(theme)
    if raw is None:
        data = f"theme: {scalar}\n".encode()
    else:
        bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
        try:
            text = raw[len(bom) :].decode("utf-8")
            loaded = load_text(text, path)
        except UnicodeDecodeError:
            return f"theme not saved: {path} is not UTF-8 text"
        except YamlFileError as error:
            return f"theme not saved: {error} (fix the file first)"
        edited = _with_theme(text, loaded, scalar)
        if edited is None or not _reads_back(edited, loaded, theme):
            return f"theme not saved: could not edit {path} safely; add 'theme: {scalar}' by hand"
        data = bom + edited.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
    except OSError as error:
        return f"theme not saved: could not write {path}: {error.strerror or error}"
    return None


# -- checks, one per known setting ---------------------------------------------------------

Check = Callable[[Config, object, Loaded, list[str]], None]


def _check_theme(config: Config, value: object, loaded: Loaded, notices: list[str]) -> None:
    if isinstance(value, str) and value.strip():
        config.theme = value.strip()
    else:
        notices.append(
            f"{loaded.where(('theme',))}: theme must be a theme name, not {_kind(value)}"
        )


def _check_keymap(config: Config, value: object, loaded: Loaded, notices: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        notices.append(
            f"{loaded.where(('keymap',))}: keymap must map binding ids to keys "
            f"(e.g. 'search: ctrl+f'), not {_kind(value)}"
        )
        return
    for binding_id, keys in value.items():
        where = loaded.where(("keymap", str(binding_id)))
        if not isinstance(binding_id, str) or not binding_id.strip():
            notices.append(f"{where}: a keymap entry needs a binding id, not {_kind(binding_id)}")
            continue
        joined = _key_list(keys)
        if joined is None:
            notices.append(
                f"{where}: keymap.{binding_id} must be a key or a list of keys "
                f"(quote keys YAML treats specially, e.g. '?'), not {_kind(keys)}"
            )
            continue
        config.keymap[binding_id.strip()] = joined


def _check_sort(config: Config, value: object, loaded: Loaded, notices: list[str]) -> None:
    if isinstance(value, str) and value.strip().lower() in SORTS:
        config.default_sort = value.strip().lower()
    else:
        notices.append(
            f"{loaded.where(('default_sort',))}: default_sort must be one of "
            f"{', '.join(SORTS)}, not {_show(value)}"
        )


def _check_debounce(config: Config, value: object, loaded: Loaded, notices: list[str]) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DEBOUNCE_MS:
        config.debounce_ms = value
    else:
        notices.append(
            f"{loaded.where(('debounce_ms',))}: debounce_ms must be a whole number of "
            f"milliseconds from 0 to {MAX_DEBOUNCE_MS}, not {_show(value)}"
        )


def _check_mark_read(config: Config, value: object, loaded: Loaded, notices: list[str]) -> None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and 0 <= value <= MAX_MARK_READ_DELAY_S:  # type: ignore[operator]
        config.mark_read_delay_s = float(value)  # type: ignore[arg-type]
    else:
        notices.append(
            f"{loaded.where(('mark_read_delay_s',))}: mark_read_delay_s must be a number of "
            f"seconds from 0 to {MAX_MARK_READ_DELAY_S:g}, not {_show(value)}"
        )


def _keep_feeds(config: Config, value: object, loaded: Loaded, notices: list[str]) -> None:
    config.feeds = value


def _check_pdf_viewer(config: Config, value: object, loaded: Loaded, notices: list[str]) -> None:
    try:
        config.pdf_viewer = command_line(value)
    except ValueError as error:
        notices.append(f"{loaded.where(('pdf_viewer',))}: pdf_viewer {error}")


def _check_queue_downloads(
    config: Config, value: object, loaded: Loaded, notices: list[str]
) -> None:
    if isinstance(value, bool):
        config.queue_downloads = value
    else:
        where = loaded.where(("queue_downloads",))
        notices.append(f"{where}: queue_downloads must be true or false, not {_show(value)}")


def _check_summarize(config: Config, value: object, loaded: Loaded, notices: list[str]) -> None:
    try:
        config.summarize = summarizer(value)
    except ValueError as error:
        key = str(error).split(" ", 1)[0]  # "command ..." or "timeout ...": point at that key
        path = ("summarize", key) if key in ("command", "timeout") else ("summarize",)
        where = loaded.where(path)
        notices.append(f"{where}: summarize {error}")


_CHECKS: Mapping[str, Check] = {
    "theme": _check_theme,
    "keymap": _check_keymap,
    "default_sort": _check_sort,
    "debounce_ms": _check_debounce,
    "mark_read_delay_s": _check_mark_read,
    "feeds": _keep_feeds,
    "pdf_viewer": _check_pdf_viewer,
    "queue_downloads": _check_queue_downloads,
    "summarize": _check_summarize,
}


def _key_list(keys: object) -> str | None:
    """ "ctrl+f", ["ctrl+f", "/"] or "ctrl+f, /" as Textual's comma-joined key string."""
    if isinstance(keys, str):
        parts = [part.strip() for part in keys.split(",")]
    elif isinstance(keys, list) and all(isinstance(part, str) for part in keys):
        parts = [part.strip() for part in keys]
    else:
        return None
    if not parts or any(not part for part in parts):
        return None
    return ",".join(parts)


def _did_you_mean(name: str) -> str:
    known = list(dict.fromkeys([*_CHECKS, *_PASSED_THROUGH]))
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return _show(value)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# -- the one-line edit -----------------------------------------------------------------------


def _yaml_scalar(text: str) -> str:
    """text as YAML that reads back as the same string: plain if safe, else double-quoted."""
    if _PLAIN_SCALAR.fullmatch(text) and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _with_theme(text: str, loaded: Loaded, scalar: str) -> str | None:
    """text with the top-level theme value replaced (or a `theme:` line appended)."""
    if loaded.data is not None and not isinstance(loaded.data, dict):
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    pair = top_level_value_node(loaded.root, "theme")
    if pair is None:
        separator = "" if not text or text.endswith(("\n", "\r")) else newline
        return f"{text}{separator}theme: {scalar}{newline}"
    key_node, value_node = pair
    start, end = key_node.end_mark.index, value_node.end_mark.index
    replaced = text[start:end]
    tail = newline if replaced.endswith("\n") else ""
    return f"{text[:start]}: {scalar}{tail}{text[end:]}"


def _reads_back(edited: str, before: Loaded, theme: str) -> bool:
    """The edit changed the theme and nothing else, as safe_load sees the file."""
    try:
        after = load_text(edited, before.path).data
    except YamlFileError:
        return False
    expected = dict(before.data) if isinstance(before.data, dict) else {}
    expected["theme"] = theme
    return after == expected
