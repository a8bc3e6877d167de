"""Saved searches over MCP: what is new since the user last opened one, and reading that
marks nothing as seen."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import ClientSession
from mcp_helpers import cli, cli_json, data, failure, with_server

from reader.core.library import Library
from reader.mcp.reading import first_new


def opened_in_the_app(library_dir: Path, name: str, shown: list[str]) -> None:
    """What the app does when the user opens a saved search: what it shows is now seen."""
    library = Library.open(library_dir)
    try:
        library.user.mark_opened(name, shown)
    finally:
        library.close()


def test_new_papers_since_the_user_last_looked(capsys, library_dir: Path) -> None:
    cli(capsys, library_dir, "saved", "add", "diffusion", "diffusion", "--sort", "date")
    cli(capsys, library_dir, "saved", "add", "never-opened", "lottery")
    everything = cli_json(
        capsys, library_dir, "search", "diffusion", "--sort", "date", "--limit", "500"
    )
    order = [hit["id"] for hit in everything["results"]]
    assert len(order) == everything["total"] > 10
    unseen = [order[1], order[4], order[len(order) // 2], order[-1]]  # new since then, in order
    opened_in_the_app(library_dir, "diffusion", [pid for pid in order if pid not in unseen])
    state = library_dir / "user" / "search-state.yaml"
    state_before = state.read_bytes()

    async def scenario(session: ClientSession) -> list:
        call = session.call_tool
        return [
            data(await call("list_saved_searches", {})),
            data(await call("new_in_saved_search", {"name": "diffusion"})),
            data(await call("new_in_saved_search", {"name": "diffusion", "limit": 2})),
            data(await call("new_in_saved_search", {"name": "diffusion", "abstracts": True})),
            data(await call("new_in_saved_search", {"name": "never-opened", "limit": 3})),
            failure(await call("new_in_saved_search", {"name": "no such"})),
        ]

    listed, new, first_two, with_abstracts, never, unknown = with_server(library_dir, scenario)
    saved = cli_json(capsys, library_dir, "saved", "list")
    assert [{k: s[k] for k in saved[0]} for s in listed["saved_searches"]] == saved
    counts = {s["name"]: (s["total"], s["new"]) for s in listed["saved_searches"]}
    lottery = cli_json(capsys, library_dir, "search", "lottery", "--limit", "1")["total"]
    assert counts == {"diffusion": (len(order), 4), "never-opened": (lottery, lottery)}
    assert new["name"] == "diffusion" and new["query"] == "diffusion" and new["sort"] == "date"
    assert (new["total"], new["new"]) == (len(order), 4)
    assert [paper["id"] for paper in new["results"]] == unseen
    assert set(new["results"][0]) == {"id", "title", "authors", "date"}
    assert [paper["id"] for paper in first_two["results"]] == unseen[:2]
    assert all(paper["abstract"] for paper in with_abstracts["results"])
    assert never["new"] == lottery and len(never["results"]) == 3
    assert "no saved search named 'no such'" in unknown
    assert state.read_bytes() == state_before  # reading marked nothing as seen


@pytest.mark.parametrize(
    ("new_ids", "limit"),
    [
        (set(), 10),
        ({"a"}, 10),
        ({"z"}, 10),
        (set("abcdefghijklmnopqrstuvwxyz"), 5),
        (set("aeiou"), 10),
        (set("aeiou"), 3),
        (set("bcdfghjklmnpqrstvwxyz"), 30),
    ],
)
def test_first_new_finds_the_first_new_ids_in_order(new_ids: set[str], limit: int) -> None:
    ids = list("abcdefghijklmnopqrstuvwxyz")
    counts: list[int] = []

    def count_new(some: list[str]) -> int:
        counts.append(len(some))
        return sum(pid in new_ids for pid in some)

    found = first_new(count_new, ids, len(new_ids), limit)
    assert found == [pid for pid in ids if pid in new_ids][:limit]
    assert len(counts) <= 2 * max(len(found), 1) * 5  # log2(26) < 5: never one count per id
