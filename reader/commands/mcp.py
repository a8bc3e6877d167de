"""`reader mcp`: the library as an MCP server over stdio, for coding and writing agents.

Only the argument parsing lives here: the server and the MCP SDK load when the command runs,
never at the start of another command.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from reader.commands.errors import InputError

if TYPE_CHECKING:
    from reader.commands.context import Context

COMMANDS = ("mcp",)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "mcp", help="serve the library to agents over MCP (stdio); --print-config to set one up"
    )
    p.add_argument(
        "--allow-write",
        action="store_true",
        help="also offer bookmark, add_tags and append_note (else agents only read)",
    )
    p.add_argument(
        "--print-config",
        action="store_true",
        help="print the JSON for an agent's MCP settings, and exit",
    )
    p.set_defaults(handler=cmd_mcp)


def cmd_mcp(args: argparse.Namespace, ctx: Context) -> int:
    if args.print_config:
        from reader.mcp.config import chosen_data_dir, client_config

        data_dir = chosen_data_dir(args.data_dir, ctx.paths.data_dir)
        sys.stdout.write(client_config(data_dir, allow_write=args.allow_write))
        return 0
    try:
        from reader.mcp.server import serve
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] == "reader":
            raise
        raise InputError(
            f"reader mcp needs the MCP SDK ({error.name} is not installed): "
            "run pip install '.[mcp]' in your clone of reader"
        ) from None
    return serve(ctx.library(), allow_write=args.allow_write)
