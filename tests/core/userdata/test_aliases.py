"""Entries keyed by an old id (an alias after a merge or re-import) count for the current id,
and are rewritten under it on the next save of their file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.core.userdata import UserData

OLD, NEW = "t:0123456789ab", "2401.00001"


def _write(paths: DataPaths, name: str, text: str) -> Path:
    path = paths.user_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_kind_of_entry_follows_a_merge(paths: DataPaths) -> None:
    before = UserData(paths)  # the paper was known by its title id
    before.set_bookmark(OLD, True)
    before.set_read(OLD, True)
    before.add_tags(OLD, ["rl"])
    before.set_note(OLD, "note on the title id")

    aliases = {OLD: NEW}
    user = UserData(paths, resolve=lambda pid: aliases.get(pid, pid))  # now merged into NEW

    assert user.is_bookmarked(NEW) and user.is_read(NEW)
    assert user.tags(NEW) == ["rl"]
    assert user.note(NEW) == "note on the title id"
    assert user.bookmarks() == {NEW} and user.ids_with_notes() == {NEW}


def test_two_merged_papers_keep_the_union_and_the_earliest_date(paths: DataPaths) -> None:
    _write(
        paths,
        "bookmarks.yaml",
        f"version: 1\nbookmarks:\n  {NEW}: '2024-05-02T00:00:00Z'\n"
        f"  {OLD}: '2024-05-01T00:00:00Z'\n",
    )
    _write(paths, "tags.yaml", f"version: 1\ntags:\n  {NEW}: [b, c]\n  {OLD}: [a, b]\n")
    _write(paths, "notes/2401.00001.md", "new paper's note")
    _write(paths, "notes/t%3A0123456789ab.md", "old paper's note")
    user = UserData(paths, resolve=lambda pid: NEW if pid == OLD else pid)

    assert user.tags(NEW) == ["a", "b", "c"]
    assert user.note(NEW) == "new paper's note\n\nold paper's note"

    user.set_bookmark("2401.00009", True)  # any save of the file rewrites it under NEW
    user.add_tags("2401.00009", ["z"])
    user.set_note(NEW, user.note(NEW) + "\nmore")

    text = (paths.user_dir / "bookmarks.yaml").read_text(encoding="utf-8")
    assert OLD not in text and f"'{NEW}': '2024-05-01T00:00:00Z'" in text
    assert OLD not in (paths.user_dir / "tags.yaml").read_text(encoding="utf-8")
    assert sorted(p.name for p in paths.notes_dir.iterdir()) == ["2401.00001.md"]
    assert UserData(paths).note(NEW) == "new paper's note\n\nold paper's note\nmore"


def test_edits_through_an_alias_land_on_the_current_id(paths: DataPaths) -> None:
    user = UserData(paths, resolve=lambda pid: NEW if pid == OLD else pid)
    user.set_bookmark(OLD, True)
    user.add_tags(OLD, ["x"])
    assert UserData(paths).bookmarks() == {NEW}
    assert UserData(paths).tagged() == {NEW: ["x"]}


def test_reresolve_folds_ids_merged_while_running(paths: DataPaths) -> None:
    aliases: dict[str, str] = {}
    user = UserData(paths, resolve=lambda pid: aliases.get(pid, pid))
    user.add_tags(OLD, ["rl"])
    user.set_note(OLD, "n")
    aliases[OLD] = NEW  # an import merged the paper

    user.reresolve()

    assert user.tags(NEW) == ["rl"] and user.note(NEW) == "n"


def test_a_paper_that_took_a_new_id_is_not_new_to_a_saved_search(paths: DataPaths) -> None:
    """A title-only paper that an arXiv record later matches takes the arXiv id; a saved
    search that showed it under the old id must not count it as new."""
    from reader.core.library.facade import Library
    from reader.core.model import Record

    library = Library(paths)
    title = "Grokking as the Transition from Lazy to Rich Training Dynamics"
    abstract = "We propose that the grokking phenomenon arises from a transition."
    library.import_items([Record(title=title, abstract=abstract, source="page.txt:1")])
    library.user.add_saved("grok", "grokking")
    shown, _ = library.search_ids("grokking")
    (old,) = shown
    library.user.mark_opened("grok", shown)
    library.import_items(
        [
            Record(title=title, abstract=abstract, arxiv_id="2310.06110", source="https://x:1"),
            Record(title="Grokking at the edge", abstract="More grokking.", arxiv_id="2401.00005"),
        ]
    )
    now, _ = library.search_ids("grokking")
    assert old.startswith("t:") and "2310.06110" in now and old not in now
    assert library.user.new_since_opened("grok", now) == 1  # only the paper that is new
    library.close()


def test_a_library_resolves_a_whole_file_at_once(tmp_path: Path, seeds: list[Path]) -> None:
    """Through the store: an alias, a versioned arXiv id and an unknown id, in one file."""
    library = Library.open(tmp_path / "data")
    try:
        library.import_paths(seeds)
        old = library.search_ids("")[0][0]
        with library.store.transaction():  # the title id becomes an alias of an arXiv id
            stored = library.get(old)
            assert stored is not None
            library.store.replace(stored, replace(stored, id=NEW))
        assert library.store.resolve_many([old, NEW, "2999.00001"]) == {old: NEW, NEW: NEW}
        _write(
            library.paths,
            "bookmarks.yaml",
            f"version: 1\nbookmarks:\n  {old}: null\n  2401.00001v3: null\n  2999.00001: null\n",
        )
        _write(library.paths, f"notes/{old.replace(':', '%3A')}.md", "on the old id")

        assert library.user.bookmarks() == {NEW, "2999.00001"}
        assert library.user.note(NEW) == "on the old id"
    finally:
        library.close()
