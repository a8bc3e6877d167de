"""Another program changes the user's data while the app runs: the app shows it, and searches
find it (#18, point 1). Real processes (`reader tag`, `reader bookmark`, `reader import`) and
a hand edit of tags.yaml; the app is never told, it looks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.pilot import Pilot
from tui_helpers import main_screen, make_app, reader_command, settle, until

from reader.core.paths import DataPaths
from reader.tui.screens.main import MainScreen
from reader.tui.widgets.paper_list import MARK_BOOKMARK, MARK_FOLLOWED

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures" / "disk"))

from small_disk import fill, small_disk


def reader(paths: DataPaths, *args: str) -> None:
    """`reader ARGS` in a process of its own, on the app's data dir."""
    command = [*reader_command(), "--data-dir", str(paths.data_dir), *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def detail_text(screen: MainScreen) -> str:
    return " ".join(str(static.render()) for static in screen.detail.query("Static"))


async def search(pilot: Pilot[object], query: str) -> MainScreen:
    screen = main_screen(pilot.app)
    await pilot.press("slash", *query, "enter")
    await until(pilot, lambda: screen.panes.shown_query == query, f"the results of {query}")
    return await settle(pilot)


async def test_a_tag_from_another_process_shows_and_is_found(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper = screen.paper_id
        assert paper is not None
        reader(sample_paths, "tag", paper, "kea")
        await until(pilot, lambda: " kea " in detail_text(screen), "the new tag in the detail")
        screen = await search(pilot, "tag:kea")
        assert list(screen.paper_list.rows.ids) == [paper]


async def test_a_hand_edit_of_tags_yaml_is_taken_in(sample_paths: DataPaths) -> None:
    """A hand edit (or a sync) does not index anything itself: the app catches the index up."""
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper = screen.paper_list.rows.paper_id(2)
        assert paper is not None
        tags = sample_paths.user_dir / "tags.yaml"
        tags.parent.mkdir(parents=True, exist_ok=True)
        tags.write_text(f"{paper}: [by-hand]\n", encoding="utf-8")
        screen = await search(pilot, "tag:by-hand")
        await until(
            pilot,
            lambda: list(screen.paper_list.rows.ids) == [paper],
            "tag:by-hand to find the paper (searched again once the index caught up)",
        )


async def test_a_bookmark_from_another_process_marks_the_list(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper = screen.paper_list.rows.paper_id(1)
        assert paper is not None and MARK_BOOKMARK not in screen.paper_list.render_line(1).text
        reader(sample_paths, "bookmark", paper)
        await until(pilot, lambda: MARK_BOOKMARK in screen.paper_list.render_line(1).text, "the ★")
        await until(pilot, lambda: screen.saved.counts["Bookmarked"].total == 1, "the count of one")


async def test_papers_imported_elsewhere_join_the_list(
    sample_paths: DataPaths, tmp_path: Path
) -> None:
    bib = Path(__file__).parents[1] / "fixtures" / "importers" / "bibtex" / "library.bib"
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        before = screen.status.total
        assert before == 406
        reader(sample_paths, "import", str(bib))
        await until(pilot, lambda: (screen.status.total or 0) > before, "the new papers listed")
        screen = await search(pilot, "title:attention")
        titles = [p.title for p in screen.data.papers(list(screen.paper_list.rows.ids)).values()]
        assert "Attention Is All You Need" in titles


async def test_an_edit_whose_index_step_fails_says_saved(
    sample_paths: DataPaths, tmp_path: Path
) -> None:
    """A full disk: the tag is saved (tags.yaml has room), the index segment is not."""
    with small_disk(tmp_path / "disk") as disk:
        subprocess.run(["cp", "-a", str(sample_paths.data_dir), str(disk / "data")], check=True)
        paths = DataPaths.resolve(disk / "data")
        app = make_app(paths)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await settle(pilot)
            paper = screen.paper_id
            fill(disk, leave=4096)
            await pilot.press("t", *"rl", "enter")
            told = lambda: [n.message for n in app._notifications if "index" in n.message]  # noqa: E731
            await until(pilot, told, "the index's notice")
            assert told() == [f"{paper}: saved; the index will catch up (No space left on device)"]
            assert f"{paper}: [rl]" in (paths.user_dir / "tags.yaml").read_text(encoding="utf-8")


async def test_a_follow_from_another_process_marks_its_papers(sample_paths: DataPaths) -> None:
    """follows.yaml is not keyed by paper: the app compares the lists to notice it."""
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert MARK_FOLLOWED not in screen.paper_list.render_line(0).text
        reader(sample_paths, "follow", "add", "pruning")
        await until(pilot, lambda: screen.saved.counts["Followed"].total > 0, "Followed counted")
        screen = await search(pilot, "pruning")
        await until(pilot, lambda: MARK_FOLLOWED in screen.paper_list.render_line(0).text, "the ◆")


async def test_the_queue_and_a_saved_search_from_another_process_show(
    sample_paths: DataPaths,
) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper = screen.paper_list.rows.paper_id(3)
        assert paper is not None
        reader(sample_paths, "queue", "add", paper)
        reader(sample_paths, "saved", "add", "lottery", "lottery ticket")
        await until(pilot, lambda: screen.saved.counts["Queue"].total == 1, "the Queue's count")
        await until(
            pilot,
            lambda: "lottery" in [entry.name for entry in screen.saved.entries],
            "the saved search in the searches pane",
        )
