"""Saved searches: a name for a query, and how many results are new since it was last opened."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reader.core.paths import DataPaths
from reader.core.userdata import SavedSearch, UserData


def test_add_list_and_remove(paths: DataPaths) -> None:
    user = UserData(paths)
    added = user.add_saved("  Weekly RL ", "reinforcement learning is:unread", sort="date")
    user.add_saved("alpha", "diffusion")

    assert isinstance(added, SavedSearch)
    assert (added.name, added.query, added.sort) == (
        "Weekly RL",
        "reinforcement learning is:unread",
        "date",
    )
    assert added.created and added.last_opened is None and added.seen_count == 0
    assert [s.name for s in UserData(paths).saved_searches()] == ["alpha", "Weekly RL"]

    user.remove_saved("Weekly RL")
    assert [s.name for s in UserData(paths).saved_searches()] == ["alpha"]


def test_new_since_last_opened(paths: DataPaths) -> None:
    user = UserData(paths)
    user.add_saved("rl", "rl")
    assert user.new_since_opened("rl", ["a", "b"]) == 2  # never opened: all are new

    user.mark_opened("rl", ["a", "b"])
    fresh = UserData(paths)

    assert fresh.new_since_opened("rl", ["a", "b", "c", "d"]) == 2
    assert fresh.new_since_opened("rl", ["a"]) == 0
    [saved] = fresh.saved_searches()
    assert saved.last_opened is not None and saved.seen_count == 2


def test_opening_rewrites_only_the_state_file(paths: DataPaths) -> None:
    user = UserData(paths)
    user.add_saved("rl", "rl")
    definitions = (paths.user_dir / "searches.yaml").read_bytes()
    user.mark_opened("rl", [f"2401.{i:05d}" for i in range(50)])
    assert (paths.user_dir / "searches.yaml").read_bytes() == definitions


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda u: u.add_saved("", "q"), "cannot be empty"),
        (lambda u: u.add_saved("a\nb", "q"), "control characters"),
        (lambda u: u.add_saved("x" * 101, "q"), "at most 100"),
        (lambda u: u.add_saved("n", "two\nlines"), "one line"),
        (lambda u: u.add_saved("n", "q", sort="date; rm"), "not a sort order"),
        (lambda u: u.add_saved("taken", "other"), "exists; remove it first"),
        (lambda u: u.remove_saved("missing"), "no saved search named 'missing'"),
        (lambda u: u.mark_opened("missing", []), "no saved search"),
        (lambda u: u.new_since_opened("missing", []), "no saved search"),
    ],
)
def test_bad_input_is_one_clear_value_error(
    paths: DataPaths, call: Callable[[UserData], object], message: str
) -> None:
    user = UserData(paths)
    user.add_saved("taken", "q")
    with pytest.raises(ValueError, match=message):
        call(user)
    assert [s.query for s in UserData(paths).saved_searches()] == ["q"]


def test_tags_completion_counts_and_bad_tags(paths: DataPaths) -> None:
    user = UserData(paths)
    assert user.add_tags("p1", ["rl", "survey"]) == ["rl", "survey"]
    user.add_tags("p2", ["rl"])
    assert user.remove_tags("p1", ["survey"]) == ["rl"]
    assert user.all_tags() == {"rl": 2}
    assert user.tagged() == {"p1": ["rl"], "p2": ["rl"]}
    for bad in ["", "two words", "a,b", "bell\x07", "x" * 65]:
        with pytest.raises(ValueError, match="a tag"):
            user.add_tags("p1", [bad])
    assert user.remove_tags("p1", ["rl"]) == []
    assert UserData(paths).tagged() == {"p2": ["rl"]}
