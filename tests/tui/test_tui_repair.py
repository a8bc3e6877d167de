"""A damaged index found at start: set aside, rebuilt, and the user told; the app works on."""

from __future__ import annotations

from tui_helpers import make_app, settle, until

from reader.core.paths import DataPaths


async def test_a_damaged_index_is_rebuilt_and_reported(sample_paths: DataPaths) -> None:
    postings = next(sample_paths.index_dir.glob("*.pst"))
    postings.write_bytes(b"\x00" * postings.stat().st_size)  # zeroed behind a sound TOC
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)

        def told() -> list[str]:
            return [n.message for n in app._notifications if "search index" in n.message]

        await until(pilot, told, "the notice")
        (notice,) = told()
        assert notice.startswith("The search index was damaged (")
        (aside,) = sample_paths.data_dir.glob("index.broken-*")
        assert str(aside) in notice and notice.endswith("rebuilt from the library.")
        await pilot.press("slash", *"lottery ticket", "enter")
        await until(pilot, lambda: screen.query_text == "lottery ticket", "the search")
        await settle(pilot)
        assert screen.status.total and not [n for n in app._notifications if "failed" in n.message]
