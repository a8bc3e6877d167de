"""The palette's "Import a file…" and "Export this search…" (#20), on real files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from textual.widgets import Input
from tui_helpers import make_app, run_command, settle, until

from reader.core.paths import DataPaths
from reader.core.userdata import UserData
from reader.tui.path_suggester import complete_path
from reader.tui.screens.export_file import ExportScreen
from reader.tui.screens.import_file import ImportScreen

BIBTEX = Path(__file__).parents[1] / "fixtures" / "importers" / "bibtex"


def told(app: object, text: str) -> list[str]:
    return [n.message for n in app._notifications if text in n.message]  # type: ignore[attr-defined]


def test_a_path_completes_from_the_disk(tmp_path: Path) -> None:
    (tmp_path / "papers").mkdir()
    (tmp_path / "library.bib").write_text("")
    (tmp_path / ".hidden.bib").write_text("")
    assert complete_path(f"{tmp_path}/lib") == f"{tmp_path}/library.bib"
    assert complete_path(f"{tmp_path}/pa") == f"{tmp_path}/papers/"
    assert complete_path(f"{tmp_path}/") == f"{tmp_path}/library.bib"  # not the hidden one
    assert complete_path(f"{tmp_path}/.h") == f"{tmp_path}/.hidden.bib"
    assert complete_path(f"{tmp_path}/nothing") is None
    assert complete_path(f"{tmp_path}/library.bib") is None  # complete already


async def test_import_a_bib_file_from_the_palette(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await run_command(pilot, "Import a file")
        dialog = app.screen
        assert isinstance(dialog, ImportScreen)
        await pilot.press(*f"{BIBTEX}/lib")
        path = dialog.query_one("#path", Input)
        await until(pilot, lambda: path._suggestion.endswith("library.bib"), "the completion")
        await pilot.press("tab")  # takes it
        assert path.value == f"{BIBTEX}/library.bib"
        await pilot.press("enter")
        await until(pilot, lambda: told(app, "Imported library.bib"), "the summary")
        assert told(app, "Imported library.bib") == [
            "Imported library.bib: 12 added, 0 updated, 0 duplicates, 3 rejected.\n"
            "12 bookmarked as yours, with their tags and notes."
        ]
        await until(pilot, lambda: told(app, "Rejected"), "the rejections")
        assert told(app, "Rejected")[0].startswith("Rejected library.bib:68: no title")
        assert not isinstance(app.screen, ImportScreen)
        await until(pilot, lambda: screen.status.total == 418, "the new papers listed")
        await until(pilot, lambda: screen.saved.counts["Bookmarked"].total == 12, "bookmarked")
    assert len(UserData(sample_paths).bookmarks()) == 12


async def test_a_path_that_is_not_there_is_said_in_the_dialog(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await run_command(pilot, "Import a file")
        await pilot.press(*"/no/such/file.bib", "enter")
        dialog = app.screen
        assert isinstance(dialog, ImportScreen) and dialog.importing is None
        assert "No such file or folder: /no/such/file.bib" in str(
            dialog.query_one("#error").render()
        )
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportScreen)


async def test_export_this_search_as_bibtex(sample_paths: DataPaths, tmp_path: Path) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"pruning", "enter")
        await until(pilot, lambda: screen.panes.shown_query == "pruning", "the results")
        screen = await settle(pilot)
        total = screen.status.total
        await run_command(pilot, "Export this search")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert f"Export {total} papers (pruning)" in str(dialog.query_one("#title").render())
        await pilot.press("tab")
        field = dialog.query_one("#path", Input)
        assert field.value.endswith("pruning.bib")
        field.value = str(tmp_path / "out.bib")
        await pilot.press("enter")
        target = tmp_path / "out.bib"
        await until(pilot, lambda: told(app, "Exported"), "the export")
        assert told(app, "Exported") == [f"Exported {total} papers (BibTeX) to {target}"]
    text = target.read_text(encoding="utf-8")
    assert text.count("\n@") + text.startswith("@") == total


async def test_export_as_csv_and_an_existing_file_needs_a_second_enter(
    sample_paths: DataPaths, tmp_path: Path
) -> None:
    target = tmp_path / "list.csv"
    target.write_text("keep me\n")
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await run_command(pilot, "Export this search")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        await pilot.press("j", "j", "j", "j", "tab")  # BibTeX, CSL-JSON, Markdown, JSON, CSV
        field = dialog.query_one("#path", Input)
        assert field.value.endswith("all-papers.csv")
        field.value = str(target)
        await pilot.press("enter")
        assert "exists: Enter again to replace it" in str(dialog.query_one("#error").render())
        assert target.read_text() == "keep me\n"
        await pilot.press("enter")
        await until(pilot, lambda: told(app, "Exported"), "the export")
        total = screen.status.total
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == total == 406


async def test_export_as_csl_json(sample_paths: DataPaths, tmp_path: Path) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await run_command(pilot, "Export this search")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        await pilot.press("j", "tab")
        field = dialog.query_one("#path", Input)
        assert field.value.endswith(".json")
        field.value = str(tmp_path / "zotero.json")
        await pilot.press("enter")
        await until(pilot, lambda: told(app, "Exported"), "the export")
    items = json.loads((tmp_path / "zotero.json").read_text(encoding="utf-8"))
    assert len(items) == 406 and all("title" in item for item in items)
