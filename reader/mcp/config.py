"""`reader mcp --print-config`: the JSON an agent's MCP settings take to start this server."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

DATA_DIR_ENV = "READER_DATA_DIR"


def launcher() -> list[str]:
    """How to start this very reader wherever the agent runs it: the `reader` script that is
    running now by its absolute path (an agent need not have our venv on its PATH), else this
    Python with `-m reader`."""
    script = Path(sys.argv[0])
    if script.name in ("reader", "reader.exe") and script.is_file():
        return [str(script.absolute())]
    return [sys.executable, "-m", "reader"]


def client_config(data_dir: Path | None, *, allow_write: bool) -> str:
    """The `mcpServers` entry; `env` names the data dir only when it is not the default one."""
    command, *args = launcher()
    server: dict[str, object] = {
        "command": command,
        "args": [*args, "mcp", *(["--allow-write"] if allow_write else [])],
    }
    if data_dir is not None:
        server["env"] = {DATA_DIR_ENV: str(data_dir)}
    return json.dumps({"mcpServers": {"reader": server}}, indent=2) + "\n"


def chosen_data_dir(option: str | None, resolved: Path) -> Path | None:
    """The data dir to pass on: the one --data-dir or $READER_DATA_DIR chose, else None."""
    return resolved if option or os.environ.get(DATA_DIR_ENV) else None
