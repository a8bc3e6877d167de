"""`reader mcp --print-config`: the snippet for an agent's settings, and that it starts a server."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp_helpers import SESSION_TIMEOUT_S, reader_command


def printed_config(*argv: str, env: dict[str, str] | None = None) -> dict:
    done = subprocess.run(
        [*reader_command(), *argv, "mcp", "--print-config"],
        env={"PATH": "/usr/bin:/bin", "HOME": os.environ["HOME"], **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return json.loads(done.stdout)


def test_the_default_data_dir_needs_no_env() -> None:
    server = printed_config()["mcpServers"]["reader"]
    assert server["command"] == reader_command()[0] and Path(server["command"]).is_absolute()
    assert server["args"] == [*reader_command()[1:], "mcp"]
    assert "env" not in server


def test_a_chosen_data_dir_is_passed_on(tmp_path: Path) -> None:
    by_option = printed_config("--data-dir", str(tmp_path / "lib"))["mcpServers"]["reader"]
    assert by_option["env"] == {"READER_DATA_DIR": str(tmp_path / "lib")}
    by_env = printed_config(env={"READER_DATA_DIR": str(tmp_path / "other")})
    assert by_env["mcpServers"]["reader"]["env"] == {"READER_DATA_DIR": str(tmp_path / "other")}


def test_the_printed_config_starts_a_server_that_can_write(library_dir: Path) -> None:
    """Exactly what a user pastes into an agent's settings: the agent can start the server."""
    done = subprocess.run(
        [*reader_command(), "--data-dir", str(library_dir), "mcp", "--allow-write",
         "--print-config"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    server = json.loads(done.stdout)["mcpServers"]["reader"]
    assert server["args"][-2:] == ["mcp", "--allow-write"]
    params = StdioServerParameters(
        command=server["command"],
        args=server["args"],
        env={**server["env"], "READER_DAILY_BACKUP": "0"},
    )

    async def tools() -> set[str]:
        with anyio.fail_after(SESSION_TIMEOUT_S):
            async with (
                stdio_client(params) as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                return {tool.name for tool in (await session.list_tools()).tools}

    assert {"search", "bookmark", "append_note"} <= anyio.run(tools)
