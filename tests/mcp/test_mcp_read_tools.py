"""The read tools, driven over stdio by the SDK's client, give what the CLI's --json gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import LOTTERY
from mcp import ClientSession
from mcp.shared.exceptions import MCPError
from mcp_helpers import cli, cli_json, data, failure, with_server, without_timing

from reader.core.library import Library

READS = {
    "search",
    "get_paper",
    "similar_papers",
    "list_saved_searches",
    "new_in_saved_search",
    "reading_list",
    "export_bibtex",
}
WRITES = {"bookmark", "add_tags", "append_note"}
# Listed once the library has it (another engineer builds it): the tool table's `needs`.
FOR_YOU = {"for_you"} if hasattr(Library, "for_you") else set()


def lottery_id(capsys: pytest.CaptureFixture[str], library_dir: Path) -> str:
    found = cli_json(capsys, library_dir, "search", f'title:"{LOTTERY}"', "--limit", "1")
    return found["results"][0]["id"]


def test_tools_without_the_flag_only_read(library_dir: Path) -> None:
    async def scenario(session: ClientSession) -> None:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert set(tools) == READS | FOR_YOU
        for tool in tools.values():
            assert tool.input_schema["type"] == "object"
            assert tool.annotations is not None and tool.annotations.read_only_hint
            assert "untrusted" in (tool.description or "")
        search = tools["search"].input_schema
        assert search["required"] == ["query"]
        assert search["properties"]["sort"]["enum"] == ["relevance", "date", "title", "upvotes"]
        assert search["properties"]["limit"]["default"] == 10
        refused = await session.call_tool("bookmark", {"id": "2401.00001"})
        assert failure(refused) == "Unknown tool: bookmark"

    with_server(library_dir, scenario)


def test_the_flag_adds_the_three_writes(library_dir: Path) -> None:
    async def scenario(session: ClientSession) -> None:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert set(tools) == READS | WRITES | FOR_YOU
        for name in WRITES:
            assert tools[name].annotations.read_only_hint is False  # type: ignore[union-attr]
        assert tools["append_note"].annotations.idempotent_hint is False  # type: ignore[union-attr]

    with_server(library_dir, scenario, "--allow-write")


def test_search_answers_as_reader_search_json(capsys, library_dir: Path) -> None:
    queries = [
        ("lottery ticket", {}),
        ("lotery tiket", {}),  # forgiven: a suggestion, and the paper still found
        ('title:(pruning AND "lottery', {}),  # malformed: searched as plain words, with a note
        ("date:2023 diffusion", {"sort": "date", "limit": 3}),
        ("", {"sort": "title", "limit": 5}),  # filters only: a listing from the store
    ]

    async def scenario(session: ClientSession) -> list[dict]:
        found = []
        for query, options in queries:
            found.append(data(await session.call_tool("search", {"query": query, **options})))
        page2 = data(await session.call_tool("search", {"query": "model", "limit": 2, "offset": 2}))
        full = data(
            await session.call_tool("search", {"query": "lottery", "limit": 4, "abstracts": True})
        )
        return [*found, page2, full]

    *answers, page2, full = with_server(library_dir, scenario)
    for (query, options), answer in zip(queries, answers, strict=True):
        argv = ["search", query, "--limit", str(options.get("limit", 10))]
        argv += ["--sort", str(options.get("sort", "relevance"))]
        assert without_timing(answer) == without_timing(cli_json(capsys, library_dir, *argv))
    assert answers[1]["suggestion"] == "lottery ticket" and answers[1]["total"] > 0
    assert answers[2]["note"].startswith("malformed query")
    first_four = cli_json(capsys, library_dir, "search", "model", "--limit", "4")["results"]
    assert page2["results"] == first_four[2:]
    for hit in full["results"]:
        shown = cli_json(capsys, library_dir, "show", hit["id"])
        assert hit["abstract"] == shown["abstract"] and hit["title"] == shown["title"]


def test_get_paper_has_what_the_user_added_meanwhile(capsys, library_dir: Path) -> None:
    """Another reader process tags, notes and bookmarks while the server runs: the server's
    next answer has it all, exactly as `reader export --format json` has it."""
    pid = lottery_id(capsys, library_dir)

    async def scenario(session: ClientSession) -> tuple[dict, dict, str, str]:
        before = data(await session.call_tool("get_paper", {"id": pid}))
        cli(capsys, library_dir, "tag", pid, "pruning", "to-read")
        cli(capsys, library_dir, "note", pid, "--set", "Reread section 3.\n")
        cli(capsys, library_dir, "bookmark", pid)
        after = data(await session.call_tool("get_paper", {"id": pid}))
        unknown = failure(await session.call_tool("get_paper", {"id": "9999.99999"}))
        empty = failure(await session.call_tool("get_paper", {"id": ""}))
        return before, after, unknown, empty

    before, after, unknown, empty = with_server(library_dir, scenario)
    assert (before["tags"], before["note"], before["bookmarked"]) == ([], "", False)
    exported = cli(capsys, library_dir, "export", "--format", "json", "--query", f"id:{pid}")
    (expected,) = json.loads(exported)  # the CLI's own view of the paper and the user's data
    assert after == {**expected, "resource": f"reader://paper/{pid}"}
    assert after["tags"] == ["pruning", "to-read"] and after["bookmarked"] is True
    assert after["note"] == "Reread section 3.\n" and after["read"] is False
    assert after["title"] == LOTTERY and {"links", "url", "abstract"} <= set(after)
    assert unknown == "Error executing tool get_paper: unknown paper: 9999.99999"
    assert "id" in empty  # the schema's minLength, checked by the SDK


def test_similar_papers_is_reader_similar_json(capsys, library_dir: Path) -> None:
    pid = lottery_id(capsys, library_dir)

    async def scenario(session: ClientSession) -> tuple[dict, str]:
        found = data(await session.call_tool("similar_papers", {"id": pid, "limit": 4}))
        unknown = failure(await session.call_tool("similar_papers", {"id": "nope"}))
        return found, unknown

    found, unknown = with_server(library_dir, scenario)
    expected = cli_json(capsys, library_dir, "similar", pid, "--limit", "4")
    assert without_timing(found) == without_timing(expected)
    assert len(found["results"]) == 4 and all(hit["terms"] for hit in found["results"])
    assert unknown.endswith("unknown paper: nope")


def test_reading_lists(capsys, library_dir: Path) -> None:
    ids = [hit["id"] for hit in cli_json(capsys, library_dir, "search", "diffusion")["results"]]
    for pid in ids[:5]:
        cli(capsys, library_dir, "bookmark", pid)
    cli(capsys, library_dir, "tag", ids[5], "c++", 'odd"tag')
    cli(capsys, library_dir, "tag", ids[6], "C++")

    async def scenario(session: ClientSession) -> list:
        call = session.call_tool
        return [
            data(await call("reading_list", {})),
            data(await call("reading_list", {"kind": "bookmarked", "limit": 2, "abstracts": True})),
            data(await call("reading_list", {"kind": "tag:c++"})),
            data(await call("reading_list", {"kind": 'tag:odd"tag'})),
            failure(await call("reading_list", {"kind": "queue"})),
            failure(await call("reading_list", {"kind": "read-later"})),
        ]

    marked, two, cpp, odd, queue, unknown = with_server(library_dir, scenario)
    exported = json.loads(cli(capsys, library_dir, "export", "--format", "json", "--bookmarked"))
    assert marked["kind"] == "bookmarked" and marked["total"] == 5
    assert {paper["id"] for paper in marked["results"]} == {paper["id"] for paper in exported}
    assert set(marked["results"][0]) == {"id", "title", "authors", "date"}
    dates = [paper["date"] for paper in marked["results"]]
    assert dates == sorted(dates, reverse=True)
    assert two["total"] == 5 and len(two["results"]) == 2 and "abstract" in two["results"][0]
    assert [paper["id"] for paper in cpp["results"]] == [ids[5]]  # exactly the tag, no case folding
    assert [paper["id"] for paper in odd["results"]] == [ids[5]]
    assert (
        queue
        == "Error executing tool reading_list: the reading queue is not available in this version"
    )
    assert "unknown kind 'read-later'" in unknown


def test_export_bibtex_by_ids_and_by_query(capsys, library_dir: Path) -> None:
    pid = lottery_id(capsys, library_dir)

    async def scenario(session: ClientSession) -> list:
        call = session.call_tool
        return [
            data(await call("export_bibtex", {"query": "lottery"})),
            data(await call("export_bibtex", {"query": "lottery", "limit": 2})),
            data(await call("export_bibtex", {"ids": [pid, pid]})),
            failure(await call("export_bibtex", {"ids": [pid, "9999.99999"]})),
            failure(await call("export_bibtex", {"query": 'title:"unclosed'})),
            failure(await call("export_bibtex", {})),
            failure(await call("export_bibtex", {"ids": [pid], "query": "lottery"})),
        ]

    by_query, two, by_ids, unknown, malformed, neither, both = with_server(library_dir, scenario)
    expected = cli(capsys, library_dir, "export", "--format", "bibtex", "--query", "lottery")
    assert by_query["bibtex"] == expected
    assert by_query["count"] == by_query["total"] == expected.count("\n@") + 1
    assert two["count"] == 2 and two["total"] == by_query["total"]
    assert two["bibtex"].count("title = ") == 2
    assert by_ids["count"] == 1 and "Lottery Ticket Hypothesis" in by_ids["bibtex"]
    assert unknown.endswith("unknown paper: 9999.99999")
    assert "malformed query (unclosed quote)" in malformed
    assert neither.endswith("give either ids or query") and both.endswith(
        "give either ids or query"
    )


def test_the_paper_resource_is_markdown_with_the_note(capsys, library_dir: Path, tmp_path) -> None:
    pid = lottery_id(capsys, library_dir)
    cli(capsys, library_dir, "note", pid, "--set", "My *own* words.")
    old_style = {  # an arXiv id from before 2007 has a / in it
        "id": "hep-th/9901001",
        "authors": "A. Physicist",
        "title": "Strings before the switch",
        "abstract": "An old paper.",
        "versions": [{"version": "v1", "created": "Fri, 1 Jan 1999 10:00:00 GMT"}],
    }
    (tmp_path / "old.jsonl").write_text(json.dumps(old_style) + "\n")
    cli(capsys, library_dir, "import", str(tmp_path / "old.jsonl"))

    async def scenario(session: ClientSession) -> tuple[list[str], str, str, str, str]:
        templates = (await session.list_resource_templates()).resource_templates
        uri = data(await session.call_tool("get_paper", {"id": pid}))["resource"]
        text = (await session.read_resource(uri)).contents[0].text  # type: ignore[union-attr]
        old_uri = data(await session.call_tool("get_paper", {"id": "hep-th/9901001"}))["resource"]
        old = (await session.read_resource(old_uri)).contents[0].text  # type: ignore[union-attr]
        with pytest.raises(MCPError) as unknown:
            await session.read_resource("reader://paper/9999.99999")
        return [t.uri_template for t in templates], text, old_uri, old, str(unknown.value)

    templates, text, old_uri, old, unknown = with_server(library_dir, scenario)
    assert templates == ["reader://paper/{id}"]
    assert text.startswith(f"## {LOTTERY}\n")
    assert text.rstrip().endswith("### Note\n\nMy *own* words.")
    assert old_uri == "reader://paper/hep-th%2F9901001"
    assert old.startswith("## Strings before the switch\n")
    assert "unknown paper: 9999.99999" in unknown
