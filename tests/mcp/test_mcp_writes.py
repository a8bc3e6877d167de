"""The writes (`reader mcp --allow-write`): the CLI's own saves, safe beside other readers."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
from mcp import ClientSession
from mcp_helpers import (
    SESSION_TIMEOUT_S,
    cli,
    cli_json,
    connected,
    data,
    failure,
    reader_process,
    with_server,
)

PROCESS_TIMEOUT_S = 60


def some_ids(capsys, library_dir: Path, query: str, count: int) -> list[str]:
    found = cli_json(capsys, library_dir, "search", query, "--limit", str(count))
    assert len(found["results"]) == count
    return [hit["id"] for hit in found["results"]]


def test_bookmark_tags_and_notes_reach_the_cli(capsys, library_dir: Path) -> None:
    pid, other = some_ids(capsys, library_dir, "lottery", 2)
    cli(capsys, library_dir, "note", pid, "--set", "Mine, typed in the app.")

    async def scenario(session: ClientSession) -> list:
        call = session.call_tool
        return [
            data(await call("bookmark", {"id": pid})),
            data(await call("bookmark", {"id": other})),
            data(await call("bookmark", {"id": other, "on": False})),
            data(await call("add_tags", {"id": pid, "tags": ["pruning", "survey"]})),
            data(await call("add_tags", {"id": pid, "tags": ["theory"]})),
            data(await call("append_note", {"id": pid, "text": "Agent: see also 2106.09685."})),
            data(await call("append_note", {"id": pid, "text": "Agent: one more thing.\n"})),
            data(await call("append_note", {"id": other, "text": "First words."})),
            failure(await call("add_tags", {"id": pid, "tags": ["two words"]})),
            failure(await call("bookmark", {"id": "9999.99999"})),
            failure(await call("append_note", {"id": pid, "text": ""})),
        ]

    (marked, other_on, other_off, tags, more_tags, note, note2, new_note, bad_tag, unknown,
     empty) = with_server(library_dir, scenario, "--allow-write")  # fmt: skip
    assert marked == {"id": pid, "bookmarked": True}
    assert (other_on["bookmarked"], other_off["bookmarked"]) == (True, False)
    assert tags == {"id": pid, "tags": ["pruning", "survey"]}
    assert more_tags["tags"] == ["pruning", "survey", "theory"]  # added, none replaced
    expected = "Mine, typed in the app.\n\nAgent: see also 2106.09685.\n\nAgent: one more thing.\n"
    assert note["note"] == "Mine, typed in the app.\n\nAgent: see also 2106.09685."
    assert note2["note"] == expected and Path(note2["path"]).read_text() == expected
    assert new_note["note"] == "First words."
    assert "tags not changed: a tag cannot contain spaces or commas" in bad_tag
    assert unknown.endswith("unknown paper: 9999.99999")
    assert "text" in empty
    assert cli_json(capsys, library_dir, "note", pid)["note"] == expected
    exported = json.loads(cli(capsys, library_dir, "export", "--format", "json", "--bookmarked"))
    assert [paper["id"] for paper in exported] == [pid]
    assert cli_json(capsys, library_dir, "search", "tag:theory")["results"][0]["id"] == pid


def test_writes_while_other_reader_processes_write(capsys, library_dir: Path) -> None:
    """The server bookmarks and notes while other processes bookmark and note the same
    library at the same time: every bookmark and every appended line is kept."""
    ids = some_ids(capsys, library_dir, "model", 16)
    ours, theirs = ids[:8], ids[8:]
    shared = ids[0]

    async def scenario(session: ClientSession) -> list[dict]:
        others = [reader_process(library_dir, "bookmark", pid) for pid in theirs]
        others.append(reader_process(library_dir, "tag", shared, "from-the-cli"))
        answers = []
        for number, pid in enumerate(ours):
            answers.append(data(await session.call_tool("bookmark", {"id": pid})))
            line = f"line {number}"
            answers.append(
                data(await session.call_tool("append_note", {"id": shared, "text": line}))
            )
        for process in others:
            with anyio.fail_after(PROCESS_TIMEOUT_S):
                code = await anyio.to_thread.run_sync(process.wait)
            assert code == 0, process.stderr.read() if process.stderr else ""
        answers.append(data(await session.call_tool("reading_list", {"limit": 100})))
        answers.append(data(await session.call_tool("get_paper", {"id": shared})))
        return answers

    *writes, listed, paper = with_server(library_dir, scenario, "--allow-write")
    assert all(answer.get("bookmarked", True) for answer in writes)
    assert {entry["id"] for entry in listed["results"]} == set(ids)  # the server sees theirs
    assert paper["note"] == "\n\n".join(f"line {n}" for n in range(8))
    assert paper["tags"] == ["from-the-cli"] and paper["bookmarked"]
    exported = json.loads(cli(capsys, library_dir, "export", "--format", "json", "--bookmarked"))
    assert {entry["id"] for entry in exported} == set(ids)


def test_two_servers_appending_to_one_note_keep_every_line(capsys, library_dir: Path) -> None:
    """Two agents, each with its own `reader mcp`, append to the same note at once: the
    append holds the notes' lock from reading the note to saving it, so none is lost."""
    (pid,) = some_ids(capsys, library_dir, "lottery", 1)
    lines = {agent: [f"{agent} {n}" for n in range(10)] for agent in ("one", "two")}

    async def append(agent: ClientSession, name: str) -> None:
        for text in lines[name]:
            data(await agent.call_tool("append_note", {"id": pid, "text": text}))

    async def both() -> None:
        with anyio.fail_after(SESSION_TIMEOUT_S):
            async with (
                connected(library_dir, "--allow-write", name="one") as one,
                connected(library_dir, "--allow-write", name="two") as two,
                anyio.create_task_group() as at_once,
            ):
                at_once.start_soon(append, one, "one")
                at_once.start_soon(append, two, "two")

    anyio.run(both)
    note = cli_json(capsys, library_dir, "note", pid)["note"]
    kept = note.split("\n\n")
    assert sorted(kept) == sorted(lines["one"] + lines["two"])
    for agent in lines.values():  # each agent's lines in the order it sent them
        assert [line for line in kept if line in agent] == agent
