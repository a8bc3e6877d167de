"""`reader foryou`: papers ranked for this user; `reader dismiss ID`: "not for me"."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from reader.commands.errors import InputError
from reader.commands.render import json_parent, safe

if TYPE_CHECKING:
    from reader.commands.context import Context

COMMANDS = ("foryou", "dismiss")


def register(commands: argparse._SubParsersAction) -> None:
    json_flag = json_parent()
    p = commands.add_parser(
        "foryou",
        parents=[json_flag],
        help="papers you have not read or kept, ranked by what you bookmark, tag, note and read",
    )
    p.add_argument("--limit", type=_positive, default=20, metavar="N")
    p.set_defaults(handler=cmd_foryou)

    p = commands.add_parser(
        "dismiss", parents=[json_flag], help="not for me: hide a paper from For you (--undo)"
    )
    p.add_argument("id", metavar="ID", help="a paper id, an old id or a versioned arXiv id")
    p.add_argument("--undo", action="store_true", help="take a dismissal back")
    p.set_defaults(handler=cmd_dismiss)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value


def cmd_foryou(args: argparse.Namespace, ctx: Context) -> int:
    result = ctx.library().for_you(limit=args.limit)
    if result.note and ctx.json:
        print(f"reader: {result.note}", file=sys.stderr)
    lines = [safe(result.note)] if result.note else []
    width = len(str(len(result.results)))
    for rank, hit in enumerate(result.results, 1):
        score = f"{hit.score:.3f}  " if result.learned else ""
        lines.append(f"{rank:>{width}}. {score}{safe(hit.id)}  {safe(hit.title)}")
        lines.append(f"{' ' * width}  {safe(hit.reason)}")
    if not result.results:
        lines.append("no papers to offer: every paper is read, kept or dismissed")
    ctx.emit(result.to_dict(), "\n".join(lines))
    return 0


def cmd_dismiss(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import SaveError  # YAML and file locks: loaded when used

    library = ctx.library()
    try:
        pid = library.dismiss(args.id, undo=args.undo)
    except (ValueError, SaveError) as error:
        raise InputError(f"not changed: {error}") from error
    if pid is None:
        raise InputError(f"unknown paper: {safe(args.id)}")
    human = f"not dismissed: {pid}" if args.undo else f"dismissed (not for me): {pid}"
    ctx.emit({"id": pid, "dismissed": not args.undo}, human)
    return 0
