"""o, y, ?, ctrl+p and the keymap: every action reachable, and footer/help/palette in sync."""

from __future__ import annotations

import sys
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import Input
from tui_helpers import make_app, run_command, saved, settle, until

from reader.core.library.facade import Library
from reader.core.model import Record
from reader.core.paths import DataPaths
from reader.core.userdata import UserData
from reader.tui.screens.copy_menu import CopyMenu
from reader.tui.screens.help import HelpScreen

ARXIV = Record(
    title="Attention Is All You Need",
    abstract="The dominant sequence transduction models are based on recurrent networks.",
    authors=["Ashish Vaswani", "Noam Shazeer"],
    arxiv_id="1706.03762",
    published="2017-06-12",
    categories=["cs.CL"],
    source="test:1",
)


@pytest.fixture
def arxiv_paths(sample_paths: DataPaths) -> DataPaths:
    """The sample plus one paper with an arXiv id (the sample's pages carry none)."""
    library = Library(sample_paths)
    assert library.import_items([ARXIV]).added == 1
    library.close()
    return sample_paths


@pytest.fixture
def browser_log(tmp_path: Path) -> Iterator[Path]:
    """A real browser command (a script that logs the URL it is asked to open)."""
    log = tmp_path / "opened.txt"
    script = tmp_path / "browser.py"
    script.write_text(f"import sys\nopen({str(log)!r}, 'a').write(sys.argv[1] + '\\n')\n")
    browser = webbrowser.GenericBrowser([sys.executable, str(script), "%s"])
    webbrowser.register("reader-test", None, browser, preferred=True)
    yield log
    webbrowser._tryorder.remove("reader-test")  # type: ignore[union-attr]
    webbrowser._browsers.pop("reader-test", None)  # type: ignore[attr-defined]


async def test_o_opens_the_paper_in_the_browser(arxiv_paths: DataPaths, browser_log: Path) -> None:
    app = make_app(arxiv_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.paper_id == "1706.03762"  # the newest addition is first
        await pilot.press("o")
        await until(pilot, lambda: browser_log.exists() and browser_log.read_text(), "the URL")
        assert browser_log.read_text() == "https://arxiv.org/abs/1706.03762\n"
        await pilot.press("j", "o")  # a sample paper: no arXiv id, so an arXiv title search
        await until(pilot, lambda: len(browser_log.read_text().splitlines()) == 2, "the URL")
        url = browser_log.read_text().splitlines()[1]
        paper = screen.data.get(screen.paper_id)  # type: ignore[arg-type]
        assert paper is not None and not paper.is_arxiv
        assert url == (paper.links or [url])[0]
        assert paper.links or url.startswith("https://arxiv.org/search/?query=")


async def test_y_copies_link_title_or_bibtex(arxiv_paths: DataPaths) -> None:
    app = make_app(arxiv_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper = screen.data.get(screen.paper_id)  # type: ignore[arg-type]
        assert paper is not None and paper.id == "1706.03762"
        await pilot.press("y")
        assert isinstance(app.screen, CopyMenu)
        await pilot.press("l")
        assert app.clipboard == f"https://arxiv.org/abs/{paper.id}"
        await pilot.press("y", "t")
        assert app.clipboard == paper.title
        await pilot.press("y", "b")
        assert app.clipboard.startswith("@misc{") and f"eprint = {{{paper.id}}}" in app.clipboard
        await pilot.press("y", "escape")
        assert app.clipboard.startswith("@misc{")  # an arXiv preprint: no journal


async def test_help_lists_the_live_keys(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths, keymap={"bookmark": "B"})
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#keys")
        cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        for description in ("Bookmark", "Read", "Note", "Tags", "Save", "Copy", "Sort", "Search"):
            assert description in cells
        assert "B" in cells and "bookmark" in cells
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def help_groups(app: object) -> dict[str, list[tuple[str, str, str]]]:
    """The help table as {group: [(keys, description, binding id)]}."""
    table = app.screen.query_one("#keys")  # type: ignore[attr-defined]
    groups: dict[str, list[tuple[str, str, str]]] = {}
    current: list[tuple[str, str, str]] = []
    for index in range(table.row_count):
        keys, description, binding_id = (str(cell) for cell in table.get_row_at(index))
        if not description:
            current = groups.setdefault(keys, [])
        else:
            current.append((keys, description, binding_id))
    return groups


async def test_help_lists_every_key_grouped_by_where_it_works(sample_paths: DataPaths) -> None:
    """Not only the focused pane's: d, ctrl+y and Space were missing from the list's help."""
    app = make_app(sample_paths, keymap={"detail.page_down": "pagedown,space,x"})
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)  # the paper list has the focus
        await pilot.press("question_mark")
        groups = help_groups(app)
        assert list(groups)[:2] == ["Anywhere", "Main screen"]
        for group in ("On a paper", "Search bar", "Searches pane", "Paper list", "Paper detail"):
            assert group in groups
        for group in ("Similar papers", "Note editor", "Question", "Copy menu", "Help"):
            assert group in groups  # the screens opened on top, too
        assert ("d", "Delete search", "saved.delete") in groups["Searches pane"]
        assert ("^y", "Use suggestion", "suggestion") in groups["Main screen"]
        assert ("pgdn / space / x", "Page down", "detail.page_down") in groups["Paper detail"]
        assert ("b", "Bookmark", "bookmark") in groups["On a paper"]
        assert ("esc", "Back", "similar.back") in groups["Similar papers"]
        # The daily loop's keys: on a paper, or where they apply (not the whole screen).
        assert ("f", "Follow", "follow") in groups["On a paper"]
        assert ("J", "Later", "queue.later") in groups["In the Queue"]
        assert ("^u", "Muted", "muted.show") in groups["Muted papers"]
        assert ("esc", "Stop", "job.stop") in groups["While a job runs"]
        assert ("esc", "Cancel", "watch.cancel") in groups["Follow or mute chooser"]
        ids = [row[2] for rows in groups.values() for row in rows]
        assert len(ids) == len(set(ids))  # each binding once


async def test_d_where_it_deletes_nothing_says_why(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("d")  # in the paper list
        assert any("deletes a saved search" in n.message for n in app._notifications)
        app.clear_notifications()
        screen.saved.focus()
        await pilot.press("d")  # on All papers, a built-in search
        assert any("is built in" in n.message for n in app._notifications)


async def test_the_palette_runs_actions_opens_searches_and_papers(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        first = screen.paper_id
        await run_command(pilot, "Bookmark or unbookmark")
        await saved(pilot)
        assert UserData(sample_paths).is_bookmarked(first)  # type: ignore[arg-type]

        await run_command(pilot, "Search: Unread")
        await settle(pilot)
        assert screen.query_text == "is:unread"

        await run_command(pilot, "Theme: reader-light")
        assert app.theme == "reader-light"
        assert "theme: reader-light" in sample_paths.config_file.read_text()

        await run_command(pilot, "Lottery Ticket", hit="Paper: Proving the Lottery Ticket")
        await settle(pilot)
        paper = screen.data.get(screen.paper_id)  # type: ignore[arg-type]
        assert paper is not None and paper.title.startswith("Proving the Lottery Ticket")
        assert screen.paper_list.current_id == screen.paper_id  # the list's cursor is on it


async def test_keymap_remaps_a_key_everywhere(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths, keymap={"bookmark": "B"})
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper = screen.paper_id
        await pilot.press("b")
        await saved(pilot)
        assert not UserData(sample_paths).is_bookmarked(paper)  # type: ignore[arg-type]
        await pilot.press("B")
        await saved(pilot)
        assert UserData(sample_paths).is_bookmarked(paper)  # type: ignore[arg-type]
        footer_keys = {
            active.binding.id: app.get_key_display(active.binding)
            for active in screen.active_bindings.values()
        }
        assert footer_keys["bookmark"] == "B"


async def test_a_keymap_conflict_is_reported_and_not_applied(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths, keymap={"bookmark": "t"})
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert any("keymap: bookmark" in n.message for n in app._notifications)
        paper = screen.paper_id
        await pilot.press("b")
        await saved(pilot)
        assert UserData(sample_paths).is_bookmarked(paper)  # type: ignore[arg-type]


def textual_actions(cls: type) -> set[str]:
    """The actions of the bindings a class inherits from Textual's own classes."""
    inherited = (c for c in cls.__mro__ if c.__module__.startswith("textual."))
    bindings = (b for c in inherited for b in c.__dict__.get("BINDINGS", []))
    return {b.action if isinstance(b, Binding) else b[1] for b in bindings}


async def test_every_binding_has_an_id_and_a_description(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        for node in [app, screen, *screen.query("*")]:
            if type(node).__module__.startswith("reader."):
                # The search bar's input (QueryInput) keeps Textual's editing keys as they are.
                editing = textual_actions(type(node)) if isinstance(node, Input) else set()
                for _key, binding in node._bindings:
                    if binding.action not in editing:
                        assert binding.id and binding.description, (node, binding)
