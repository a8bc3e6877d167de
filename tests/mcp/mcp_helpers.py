"""Driving `reader mcp` as an agent does: a real `reader mcp` process, the SDK's stdio client."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.types import CallToolResult

from reader.cli import main

T = TypeVar("T")
Scenario = Callable[[ClientSession], Awaitable[T]]
SESSION_TIMEOUT_S = 90  # a whole scenario, start to close, on a busy 2-core machine


def reader_command() -> list[str]:
    """The installed `reader` script of this Python (else `python -m reader`)."""
    script = Path(sys.executable).with_name("reader")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader"]


def server_env(data_dir: Path) -> dict[str, str]:
    return {"READER_DATA_DIR": str(data_dir), "READER_DAILY_BACKUP": "0"}


@asynccontextmanager
async def connected(
    data_dir: Path, *flags: str, name: str = "server"
) -> AsyncIterator[ClientSession]:
    """`reader mcp [flags]` on data_dir, initialized; at the end its stdin is closed (the way
    clients stop a stdio server). Its stderr must stay empty: nothing went wrong to tell."""
    command, *args = reader_command()
    params = StdioServerParameters(
        command=command, args=[*args, "mcp", *flags], env=server_env(data_dir)
    )
    errlog = data_dir.parent / f"{name}-stderr.txt"
    with errlog.open("w") as err:
        async with (
            stdio_client(params, errlog=err) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            yield session
    assert errlog.read_text() == ""


def with_server(data_dir: Path, scenario: Scenario[T], *flags: str) -> T:
    """Run a scenario against one server and return what it returned."""

    async def run() -> T:
        with anyio.fail_after(SESSION_TIMEOUT_S):
            async with connected(data_dir, *flags) as session:
                return await scenario(session)

    return anyio.run(run)


def data(result: CallToolResult) -> dict[str, Any]:
    """A tool's answer: the JSON text and the structured content must say the same."""
    assert not result.is_error, result.content
    (block,) = result.content
    parsed = json.loads(block.text)  # type: ignore[union-attr]
    assert parsed == result.structured_content
    return parsed


def failure(result: CallToolResult) -> str:
    """A tool error's one line of text."""
    assert result.is_error
    (block,) = result.content
    text = block.text  # type: ignore[union-attr]
    assert "\n" not in text
    return text


def cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> str:
    """`reader ARGV` in this process (as the CLI tests run it); its stdout."""
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def cli_json(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> Any:
    return json.loads(cli(capsys, data_dir, *argv, "--json"))


def without_timing(found: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in found.items() if key != "took_ms"}


def reader_process(data_dir: Path, *argv: str) -> subprocess.Popen[str]:
    """Another reader process at work on the same library (killed if the test fails)."""
    return subprocess.Popen(
        [*reader_command(), *argv],
        env={**server_env(data_dir), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
