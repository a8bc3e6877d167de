"""Apply the config's `keymap:` (binding id -> keys) with App.set_keymap, minus the bad entries.

Textual applies a keymap blindly: an unknown id does nothing and a key taken twice in one
scope silently hides a binding. Here every entry is checked first against the bindings the
app's classes declare; an unknown id, a key Textual has no name for, or a key that two binding
ids would share in one scope (a screen or widget class) becomes a notice and is not applied.
A notice names the scope as the user knows it: the title the help screen groups its keys under
("the main screen", "the paper list", "anywhere" for the app's own keys).

This module is the one seam to Textual's bindings: what a class declares, and the keymap the
app applies (the help screen lists every key through `declared_bindings` and `keys_now`).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_PACKAGE = "reader.tui"

Scopes = Mapping[str, list[Binding]]  # where the keys work, in words -> the bindings there


def apply_keymap(
    app: App[object], keymap: Mapping[str, str], scopes: Scopes | None = None
) -> tuple[dict[str, str], list[str]]:
    """Set app's keymap to the usable entries of keymap: (those entries, which the help
    shows through keys_now; a notice for each one left out)."""
    accepted, notices = check_keymap(keymap, binding_scopes(app) if scopes is None else scopes)
    app.set_keymap(accepted)
    return accepted, notices


def binding_scopes(
    app: App[object], extra: Iterable[type[DOMNode]] = ()
) -> dict[str, list[Binding]]:
    """The bindings of app's class and of every screen and widget class in reader.tui, by
    where they work (two classes of one title are told apart by their class names)."""
    classes = [type(app), *_reader_classes(), *extra]
    scopes: dict[str, list[Binding]] = {}
    for cls in classes:
        bindings = declared_bindings(cls)
        if bindings:
            where = place(cls)
            scopes[where if where not in scopes else f"{where} ({cls.__qualname__})"] = bindings
    return scopes


def place(cls: type[DOMNode]) -> str:
    """Where a class's keys work, as the user says it: "anywhere" for the app's, else in
    its BINDING_GROUP_TITLE ("Paper list": "in the paper list")."""
    if issubclass(cls, App):
        return "anywhere"
    title = cls.BINDING_GROUP_TITLE or cls.__name__
    return f"in the {title[:1].lower()}{title[1:]}"


def declared_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The bindings a class declares (its bases' too, unless it does not inherit them), one
    per key, in the order they are declared."""
    return [binding for _key, binding in cls._merge_bindings()]


def keys_now(keymap: Mapping[str, str], binding: Binding) -> list[str]:
    """The keys a binding answers to now: those the applied keymap gives its id, else its own."""
    remapped = keymap.get(binding.id) if binding.id else None
    return (remapped or binding.key).split(",")


def key_in_words(key: str) -> str:
    """A key as the user would write it in config.yaml: "?" for question_mark, "escape"."""
    char = key_to_character(key)
    return char if char is not None and char.isprintable() and not char.isspace() else key


def check_keymap(keymap: Mapping[str, str], scopes: Scopes) -> tuple[dict[str, str], list[str]]:
    """(the entries safe to apply, normalised; a notice per entry left out)."""
    known = {binding.id for bindings in scopes.values() for binding in bindings if binding.id}
    accepted: dict[str, str] = {}
    notices: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            notices.append(f"keymap: unknown binding id {binding_id!r}{hint}; ignored")
            continue
        normalised, problem = normalise_keys(keys)
        if problem:
            notices.append(f"keymap: {binding_id}: {problem}; ignored")
            continue
        accepted[binding_id] = normalised
    while clashes := _clashes(accepted, scopes):
        for binding_id, message in clashes.items():
            accepted.pop(binding_id, None)
            own = dict.fromkeys(key_in_words(b.key) for b in _bindings_of(binding_id, scopes))
            notices.append(
                f"keymap: {binding_id}: {message}; not applied ({binding_id} stays on "
                f"{', '.join(own)})"
            )
    return accepted, notices


def _bindings_of(binding_id: str, scopes: Scopes) -> list[Binding]:
    return [b for bindings in scopes.values() for b in bindings if b.id == binding_id]


def normalise_keys(keys: str) -> tuple[str, str | None]:
    """keys as Textual names them ("ctrl+?" -> "ctrl+question_mark"), or why they are not keys."""
    names: list[str] = []
    for raw in keys.split(","):
        key = raw.strip()
        if not key:
            return "", f"empty key in {keys!r}"
        *modifiers, base = key.split("+") if len(key) > 1 else [key]
        modifiers = [modifier.lower() for modifier in modifiers]
        unknown = [modifier for modifier in modifiers if modifier not in MODIFIERS]
        if unknown:
            return (
                "",
                f"{unknown[0]!r} in {key!r} is not a modifier ({', '.join(sorted(MODIFIERS))})",
            )
        name = _base_name(base)
        if name is None:
            return "", f"{base!r} in {key!r} is not a key Textual knows"
        names.append("+".join([*modifiers, name]))
    return ",".join(names), None


def _base_name(base: str) -> str | None:
    if len(base) == 1:
        if not base.isprintable():
            return None
        if base.isalnum():
            return base
        name = unicodedata.name(base, "").lower().replace("-", "_").replace(" ", "_")
        return KEY_NAME_REPLACEMENTS.get(name, name) or None
    lowered = base.lower()
    if lowered in _named_keys() or key_to_character(lowered) is not None:
        return lowered
    return None


@cache
def _named_keys() -> frozenset[str]:
    names = {key.value.rpartition("+")[2] for key in Keys}
    return frozenset(names | {"space", "enter", "tab", "escape", "backspace", "delete"})


def _clashes(accepted: Mapping[str, str], scopes: Scopes) -> dict[str, str]:
    """Remapped ids that would share a key with another binding in one scope, and why."""
    found: dict[str, str] = {}
    for scope, bindings in scopes.items():
        holders: dict[str, set[str]] = {}
        for binding in bindings:
            label = binding.id or f"“{binding.description or binding.action}”"
            keys = accepted[binding.id].split(",") if binding.id in accepted else [binding.key]
            for key in keys:
                holders.setdefault(key, set()).add(label)
        for key, labels in holders.items():
            remapped = sorted(label for label in labels if label in accepted)
            if len(labels) < 2 or not remapped:
                continue
            for binding_id in remapped:
                others = " and ".join(sorted(labels - {binding_id}))
                found.setdefault(
                    binding_id, f"{key_in_words(key)} is already the key of {others} {scope}"
                )
    return found


def _reader_classes() -> list[type[DOMNode]]:
    """Every DOMNode subclass defined in reader.tui (those imported so far)."""
    found: list[type[DOMNode]] = []
    pending = list(DOMNode.__subclasses__())
    seen: set[type[DOMNode]] = set()
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        if cls.__module__ == _PACKAGE or cls.__module__.startswith(_PACKAGE + "."):
            found.append(cls)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))
