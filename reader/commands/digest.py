"""`reader digest`: what is new since the last digest, as Markdown, one HTML page or Atom."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.commands.arguments import positive
from reader.commands.errors import InputError
from reader.commands.render import json_parent

if TYPE_CHECKING:
    from datetime import datetime

    from reader.commands.context import Context

COMMANDS = ("digest",)
FORMATS = ("markdown", "html", "atom")


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "digest",
        parents=[json_parent()],
        help="what is new since the last digest: followed, saved searches, For you",
        description="Papers added since the last digest (or --since), grouped: followed, each "
        "saved search, For you, the rest. Without --since, the next digest starts where this "
        "one ends.",
    )
    p.add_argument("--since", type=_since, metavar="WHEN", help="1d, 12h, 2w or a date")
    p.add_argument("--format", choices=FORMATS, default="markdown")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write it here (atomic)")
    p.add_argument("--limit", type=positive, default=20, metavar="N", help="papers per section")
    p.set_defaults(handler=cmd_digest)


def _since(text: str) -> datetime:
    from reader.core.library import parse_digest_since

    try:
        return parse_digest_since(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def cmd_digest(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import (
        SaveError,
        atomic_write_text,
        make_digest,
        mark_digest_made,
        render_digest,
    )

    library = ctx.library()
    for error in library.user.load_errors:
        print(f"reader: warning: {error}", file=sys.stderr)
    digest = make_digest(library, since=args.since, limit=args.limit)
    text = render_digest(digest, args.format)
    shown = len(digest.entries)
    if args.output is None:
        if ctx.json:
            ctx.emit(digest.to_dict())
        else:
            sys.stdout.write(text)
    else:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(args.output, text)
        except OSError as error:
            reason = error.strerror or str(error)
            raise InputError(f"could not write {args.output}: {reason}") from error
        summary = {
            "path": str(args.output),
            "format": args.format,
            "since": digest.since.isoformat(timespec="seconds"),
            "new": digest.new,
            "shown": shown,
            "hidden": digest.hidden,
        }
        ctx.emit(summary, f"{args.output}: {shown} of {digest.new} new papers ({args.format})")
    if args.since is None:  # a look back with --since leaves "the last digest" where it was
        try:
            mark_digest_made(library, digest)
        except SaveError as error:
            print(f"reader: warning: the next digest may repeat this one: {error}", file=sys.stderr)
    return 0
