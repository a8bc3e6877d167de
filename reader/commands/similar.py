"""`reader similar ID`: the papers most like one paper, and the words they share with it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from reader.commands.arguments import positive
from reader.commands.errors import InputError
from reader.commands.render import safe, table

if TYPE_CHECKING:
    from reader.commands.context import Context

COMMANDS = ("similar",)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "similar", help="papers like one paper, with the key terms they share with it"
    )
    p.add_argument("id", metavar="ID", help="a paper id, an old id or a versioned arXiv id")
    p.add_argument("--limit", type=positive, default=10, metavar="N")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(handler=cmd_similar)


def cmd_similar(args: argparse.Namespace, ctx: Context) -> int:
    result = ctx.library().similar(args.id, limit=args.limit)
    if result is None:
        raise InputError(f"unknown paper: {args.id}")
    lines = [f"papers like {safe(result.title)} ({safe(result.id)})"]
    if result.terms:
        lines.append(f"key terms: {safe(', '.join(result.terms))}")
    if result.results:
        rows = [
            (f"{h.score:.2f}", h.date or "-", h.id, h.title, ", ".join(h.terms[:3]))
            for h in result.results
        ]
        lines.append(table(("score", "date", "id", "title", "shared terms"), rows, flex=3))
    lines.append(f"{len(result.results)} similar papers · {result.took_ms:.0f} ms")
    ctx.emit(result.to_dict(), "\n".join(lines))
    return 0
