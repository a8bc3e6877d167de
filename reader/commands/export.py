"""`reader export`: the reading list out as BibTeX, Markdown, JSON or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.commands.errors import InputError, UsageError

if TYPE_CHECKING:
    from reader.commands.context import Context

COMMANDS = ("export",)


def register(commands: argparse._SubParsersAction) -> None:
    from reader.core.library import EXPORT_FORMATS  # here: not at every command's start

    p = commands.add_parser("export", help="export papers with your tags and notes")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--query", metavar="Q", help="the papers a search finds")
    which.add_argument("--bookmarked", action="store_true", help="your bookmarked papers")
    which.add_argument("--saved", metavar="NAME", help="the papers a saved search finds")
    p.add_argument("-o", "--output", metavar="FILE", type=Path, help="write here (default: stdout)")
    p.set_defaults(handler=cmd_export)


def _query(args: argparse.Namespace, ctx: Context) -> str:
    if args.bookmarked:
        return "is:bookmarked"
    if args.saved is not None:
        for saved in ctx.library().user.saved_searches():
            if saved.name == args.saved:
                return saved.query
        raise InputError(f"no saved search named {args.saved!r}")
    return args.query or ""


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import annotate, atomic_write_text, render_export

    library = ctx.library()
    ids, result = library.search_ids(_query(args, ctx), sort="date")
    if result.note and args.query:
        raise UsageError(result.note)
    papers = library.papers(ids)
    text = render_export(
        annotate((papers[i] for i in ids if i in papers), library.user), args.format
    )
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        atomic_write_text(args.output, text)
    except OSError as error:
        raise InputError(f"could not save {args.output}: {error.strerror or error}") from error
    print(f"exported {len(ids)} papers to {args.output}", file=sys.stderr)
    return 0
