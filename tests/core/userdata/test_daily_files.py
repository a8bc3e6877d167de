"""The daily loop's user files: follows.yaml, mutes.yaml, queue.yaml, digest-state.yaml and
summaries/<id>.md. Atomic, locked and hand-editable like the rest; a broken one is reported
by FILE:LINE:COL, kept byte for byte and never saved over."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.paths import DataPaths
from reader.core.userdata import SaveError, UserData


def write(paths: DataPaths, name: str, text: str) -> Path:
    path = paths.user_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_follows_and_mutes_are_queries_with_when_they_were_added(paths: DataPaths) -> None:
    user = UserData(paths)
    entry, fresh = user.follows.add('  author:"Yann LeCun" ')
    again, fresh_again = user.follows.add('author:"Yann LeCun"')
    user.follows.add('title:"state space"')
    user.mutes.add("abstract:survey")

    assert (entry.query, fresh, fresh_again) == ('author:"Yann LeCun"', True, False)
    assert again.added == entry.added and entry.added.endswith("Z")
    other = UserData(paths)
    assert [q.query for q in other.follows.queries()] == [
        'author:"Yann LeCun"',
        'title:"state space"',
    ]
    assert other.mutes.texts() == ("abstract:survey",)
    text = (paths.user_dir / "follows.yaml").read_text(encoding="utf-8")
    assert text.startswith("# reader follows") and "version: 1\nfollows:\n" in text
    assert "'author:\"Yann LeCun\"': '" in text  # quoted so it reads back exactly

    other.follows.remove('author:"Yann LeCun"')
    assert UserData(paths).follows.texts() == ('title:"state space"',)
    with pytest.raises(ValueError, match="not among the followed queries"):
        other.follows.remove("author:nobody")


@pytest.mark.parametrize("query", ["", "   ", "a\x07b", "x" * 501])
def test_a_bad_query_is_refused(paths: DataPaths, query: str) -> None:
    with pytest.raises(ValueError):
        UserData(paths).follows.add(query)
    assert not (paths.user_dir / "follows.yaml").exists()


def test_follows_written_by_hand_as_a_plain_list_read_and_save_in_shape(paths: DataPaths) -> None:
    write(paths, "follows.yaml", '- author:"Yann LeCun"\n- diffusion\n')
    write(paths, "mutes.yaml", "version: 1\nmutes:\n  - abstract:survey\n")
    write(paths, "queue.yaml", "queue:\n  - 2401.00002\n  - 2401.00001\n")
    user = UserData(paths)

    assert user.load_errors == []
    assert user.follows.texts() == ('author:"Yann LeCun"', "diffusion")
    assert [q.added for q in user.follows.queries()] == [None, None]
    assert user.mutes.texts() == ("abstract:survey",)
    assert user.queue.ids() == ["2401.00002", "2401.00001"]

    user.follows.add("transformers")
    saved = (paths.user_dir / "follows.yaml").read_text(encoding="utf-8")
    assert "version: 1" in saved and "diffusion: null" in saved
    assert list((paths.user_dir / "kept").iterdir())  # the hand-written shape was kept aside


BROKEN = [
    ("follows.yaml", "version: 1\nfollows:\n  - ok\n  - [a, b]\n", 4, 5, "expected text"),
    ("mutes.yaml", "version: 1\nmutes:\n  q: [1]\n", 3, 6, "single value"),
    ("queue.yaml", "version: 1\nqueue: {a: b}\n", 2, 8, "list of paper ids"),
    ("queue.yaml", "version: 1\nqueue:\n  - a\n  - 'b\n", 5, 1, "not valid YAML"),
    ("digest-state.yaml", "version: 1\ndigest: [x]\n", 2, 9, "expected a mapping"),
]


@pytest.mark.parametrize(("name", "text", "line", "column", "words"), BROKEN)
def test_a_broken_daily_file_is_reported_kept_and_not_saved_over(
    paths: DataPaths, name: str, text: str, line: int, column: int, words: str
) -> None:
    path = write(paths, name, text)
    user = UserData(paths)

    [error] = user.load_errors
    assert (error.path, error.line, error.column) == (path, line, column)
    assert words in error.message
    assert f"{path}:{line}:{column}" in str(error)
    change = {
        "follows.yaml": lambda: user.follows.add("x"),
        "mutes.yaml": lambda: user.mutes.add("x"),
        "queue.yaml": lambda: user.queue.add(["2401.00001"]),
        "digest-state.yaml": lambda: user.set_last_digest("2024-05-01T07:00:00Z"),
    }[name]
    with pytest.raises(SaveError, match="not saving over a file with an error"):
        change()
    assert path.read_bytes() == text.encode("utf-8")


def test_the_queue_keeps_its_order_and_each_paper_once(paths: DataPaths) -> None:
    user = UserData(paths)
    assert user.queue.add(["a", "b", "c", "a"]) == ["a", "b", "c"]
    assert user.queue.add(["b", "d"], first=True) == ["d"]
    assert user.queue.ids() == ["d", "a", "b", "c"]

    assert user.queue.move("c", -1) == 2  # K: up one
    assert user.queue.move("d", 1) == 1  # J: down one
    assert user.queue.move("b", -99) == 0  # stops at the top
    assert user.queue.move_to("b", 99) == 3
    assert UserData(paths).queue.ids() == ["a", "d", "c", "b"]

    assert user.queue.remove(["d", "zzz"]) == ["d"]
    assert user.queue.position("c") == 1 and user.queue.position("d") is None
    with pytest.raises(ValueError, match="not in the reading queue"):
        user.queue.move("d", 1)
    text = (paths.user_dir / "queue.yaml").read_text(encoding="utf-8")
    assert text.endswith("queue:\n  - a\n  - c\n  - b\n")  # one id a line: easy to reorder


def test_queued_ids_that_became_aliases_fold_into_one_place(paths: DataPaths) -> None:
    current = {"old-1": "2401.00001"}
    write(paths, "queue.yaml", "version: 1\nqueue:\n  - x\n  - old-1\n  - 2401.00001\n")
    user = UserData(paths, resolve=lambda pid: current.get(pid, pid))

    assert user.queue.ids() == ["x", "2401.00001"]
    assert user.queue.add(["old-1"]) == []  # the same paper under its old id


def test_two_instances_editing_the_queue_keep_both_edits(paths: DataPaths) -> None:
    app, script = UserData(paths), UserData(paths)
    app.queue.add(["a", "b"])
    script.queue.add(["c"])  # never saw a and b: must not drop them
    app.queue.move("b", -1)

    assert UserData(paths).queue.ids() == ["b", "a", "c"]


def test_summaries_are_one_file_per_paper_like_notes(paths: DataPaths) -> None:
    user = UserData(paths)
    user.set_summary("hep-th/9901001", "It does **this**.\n")

    fresh = UserData(paths)
    assert fresh.summary("hep-th/9901001") == "It does **this**.\n"
    assert fresh.ids_with_summaries() == {"hep-th/9901001"}
    path = fresh.summary_path("hep-th/9901001")
    assert path.parent == paths.user_dir / "summaries" and path.read_text() == "It does **this**.\n"
    fresh.set_summary("hep-th/9901001", "")
    assert not path.exists() and UserData(paths).ids_with_summaries() == set()


def test_the_last_digest_time_is_remembered(paths: DataPaths) -> None:
    user = UserData(paths)
    assert user.last_digest() is None
    user.set_last_digest("2024-05-01T07:00:00Z")
    assert UserData(paths).last_digest() == "2024-05-01T07:00:00Z"
