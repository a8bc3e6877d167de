"""The config's keymap applied to a real app: bad and clashing entries become notices."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Label

# For their classes: binding_scopes finds the reader.tui classes imported so far.
import reader.tui.screens.main
import reader.tui.screens.note_editor  # noqa: F401
from reader.tui.keymap import apply_keymap, binding_scopes, check_keymap, normalise_keys


class Host(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "count('a')", "A", id="a"),
        Binding("b", "count('b')", "B", id="b"),
        Binding("c", "count('c')", "C", id="c"),
        Binding("d", "count('d')", "D", id="d"),
        Binding("x", "count('x')", "No id"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Label("host")
        yield Footer()

    def action_count(self, name: str) -> None:
        self.pressed.append(name)


def host_scopes() -> dict[str, list[Binding]]:
    return {"anywhere": binding_scopes(Host())["anywhere"]}  # an app's own keys


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("ctrl+f", "ctrl+f"),
        ("?", "question_mark"),
        ("ctrl+?", "ctrl+question_mark"),
        ("ctrl+/", "ctrl+slash"),
        ("F1", "f1"),
        ("Ctrl+Shift+Up", "ctrl+shift+up"),
        ("j, down", "j,down"),
        ("space", "space"),
        ("question_mark", "question_mark"),
        ("+", "plus"),
    ],
)
def test_normalise_keys(keys: str, expected: str) -> None:
    assert normalise_keys(keys) == (expected, None)


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        ("hyper2+x", "'hyper2' in 'hyper2+x' is not a modifier"),
        ("ctrl+nokey", "'nokey' in 'ctrl+nokey' is not a key Textual knows"),
        ("a,,b", "empty key in 'a,,b'"),
        ("\x07", "is not a key Textual knows"),
    ],
)
def test_bad_keys(keys: str, problem: str) -> None:
    normalised, found = normalise_keys(keys)
    assert normalised == "" and found is not None and problem in found


def test_unknown_and_malformed_entries_are_notices() -> None:
    accepted, notices = check_keymap({"b": "ctrl+b", "bb": "y", "c": "ctrl+zz"}, host_scopes())
    assert accepted == {"b": "ctrl+b"}
    assert notices == [
        "keymap: unknown binding id 'bb' (did you mean 'b'?); ignored",
        "keymap: c: 'zz' in 'ctrl+zz' is not a key Textual knows; ignored",
    ]


def test_a_key_taken_in_the_same_scope_is_refused() -> None:
    accepted, notices = check_keymap({"a": "b", "c": "x"}, host_scopes())
    assert accepted == {}
    assert notices == [
        "keymap: a: b is already the key of b anywhere; not applied (a stays on a)",
        "keymap: c: x is already the key of “No id” anywhere; not applied (c stays on c)",
    ]


def test_two_ids_on_one_new_key_are_both_refused() -> None:
    accepted, notices = check_keymap({"a": "z", "b": "z"}, host_scopes())
    assert accepted == {} and len(notices) == 2


def test_a_swap_is_fine() -> None:
    accepted, notices = check_keymap({"a": "b", "b": "a"}, host_scopes())
    assert accepted == {"a": "b", "b": "a"} and notices == []


def test_a_refusal_that_frees_no_key_refuses_what_relied_on_it() -> None:
    # a moves to d's key (refused), so a stays on "a", which c wanted: c is refused too.
    accepted, notices = check_keymap({"a": "d", "c": "a"}, host_scopes())
    assert accepted == {}
    assert [notice.split(":")[1].strip() for notice in notices] == ["a", "c"]


def test_same_key_in_different_scopes_is_allowed() -> None:
    scopes = binding_scopes(Host())
    # "escape" closes the note editor; on the host it is free, so "a" may have it.
    accepted, notices = check_keymap({"a": "escape"}, scopes)
    assert accepted == {"a": "escape"} and notices == []


def test_scopes_include_the_reader_screens() -> None:
    scopes = binding_scopes(Host())
    editor = scopes["in the note editor"]
    assert {binding.id for binding in editor if binding.id} >= {"note.save", "note.close"}
    accepted, notices = check_keymap({"note.save": "escape"}, scopes)
    assert accepted == {}
    assert notices == [  # in the user's words: where, the two ids, the key
        "keymap: note.save: escape is already the key of note.close in the note editor; "
        "not applied (note.save stays on ctrl+s)"
    ]


def test_a_clash_on_the_main_screen_is_named_as_the_user_knows_it() -> None:
    accepted, notices = check_keymap({"read": "t"}, binding_scopes(Host()))
    assert accepted == {}
    assert notices == [
        "keymap: read: t is already the key of tags in the main screen; not applied "
        "(read stays on m)"
    ]
    assert not any("reader.tui" in notice for notice in notices)


def test_applied_keymap_drives_the_app() -> None:
    async def scenario() -> tuple[list[list[str]], list[str]]:
        app = Host()
        seen: list[list[str]] = []
        async with app.run_test() as pilot:
            _applied, notices = apply_keymap(app, {"a": "ctrl+y", "b": "c", "nope": "q"})
            for key in ("ctrl+y", "a", "b", "c"):
                await pilot.press(key)
                await pilot.pause()
                seen.append(list(app.pressed))
        return seen, notices

    seen, notices = asyncio.run(scenario())
    assert seen == [
        ["a"],  # ctrl+y now runs a
        ["a"],  # "a" no longer does
        ["a", "b"],  # b's move onto c was refused: b keeps its key
        ["a", "b", "c"],
    ]
    assert len(notices) == 2
    assert notices[0].startswith("keymap: unknown binding id 'nope'")
    assert notices[1] == "keymap: b: c is already the key of c anywhere; not applied (b stays on b)"
