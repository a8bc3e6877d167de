"""`reader ...`: the scriptable face of the core. Command groups live in reader/commands/."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from reader import __version__
from reader.commands import (
    backup,
    digest,
    export,
    fetch,
    foryou,
    mcp,
    papers,
    queue,
    reading,
    similar,
    userdata,
    watch,
)
from reader.commands.context import Context
from reader.commands.errors import InputError, UsageError
from reader.core.library import DataPaths

# Each group's COMMANDS are the commands its register() adds.
GROUPS = (
    papers,
    export,
    fetch,
    userdata,
    backup,
    similar,
    foryou,
    watch,
    queue,
    digest,
    reading,
    mcp,
)
# Commands that change the store or the user's data: the first of them each day is followed
# by the day's backup (the app makes it at its start).
CHANGING = frozenset({"import", "sample", "fetch", "bookmark", "tag", "summarize", "dismiss"})
_LISTS = frozenset({"saved", "follow", "mute", "queue"})  # changed by all but list and next
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr, not usage text plus a message."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def build_parser(command: str | None = None) -> Parser:
    """The whole command line, or with `command` (see `command_word`) only what parses it:
    building every group's parsers costs a cold `reader search` 9 ms."""
    parser = Parser(prog="reader", description="Read, search and curate research papers.")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the library lives (default: $READER_DATA_DIR, else the platform's data dir)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    tui = commands.add_parser("tui", help="open the terminal app (the default)")
    tui.set_defaults(handler=run_tui)
    for group in GROUPS:
        if command is None or command in group.COMMANDS:
            group.register(commands)
    return parser


def command_word(argv: Sequence[str]) -> str | None:
    """The command `argv` names ("" for none: the app), or None when that is not plain
    (help, an unknown word or option): then every command's parser is built."""
    words = iter(argv)
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif not word.startswith("--data-dir="):
            known = any(word in group.COMMANDS for group in GROUPS) or word == "tui"
            return word if known else None
    return ""


def run_tui(args: argparse.Namespace, ctx: Context) -> int:
    from reader.tui.app import run_app

    return run_app(ctx.paths)


def run() -> NoReturn:
    """The `reader` command (and `python -m reader`): main(), then the process's end.

    main() has closed what the command opened (Context.close()). What is left is the
    interpreter's teardown, and its one full collection walked every object the loaded
    modules hold: the longest step of a short command's end. Frozen, they are left out of
    it; their memory goes with the process. (Not in main(): a test calls it many times in
    one process.)"""
    code = main()
    gc.freeze()
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(command_word(argv))
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    handler = getattr(args, "handler", run_tui)
    ctx = Context(args)
    try:
        code = handler(args, ctx)
        ctx.changed = _changes_data(args)
        return code
    except UsageError as error:
        print(f"reader: {error}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as error:
        print(f"reader: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the promise: one line, never a traceback
        if os.environ.get("READER_DEBUG"):
            raise
        print(f"reader: {_one_line(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        ctx.close()
        if ctx.changed:
            _daily_backup(ctx.paths)


def _one_line(error: Exception) -> str:
    """An OS error as the system words it, with the file if it names one ("No space left on
    device: /data/index/x.seg"), not "[Errno 28] ..."."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error)


def _changes_data(args: argparse.Namespace) -> bool:
    if args.command == "note":
        return args.text is not None or args.edit
    if args.command in _LISTS:
        return args.action not in ("list", "next")
    return args.command in CHANGING


def _daily_backup(paths: DataPaths) -> None:
    """Start today's backup in the background if it is due; this command does not wait."""
    from reader.core.library import daily_backup_due, start_daily_backup  # not for a search

    try:
        if daily_backup_due(paths):
            start_daily_backup(paths)
    except OSError as error:  # e.g. no process can be started: the app will try at its start
        print(f"reader: could not start today's backup: {error}", file=sys.stderr)
