"""`reader follow` and `reader mute`: queries whose papers are marked, or left out of feeds."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from reader.commands.errors import InputError
from reader.commands.render import json_parent, safe, table

if TYPE_CHECKING:
    from reader.commands.context import Context
    from reader.core.library import Watched, Watching

COMMANDS = ("follow", "mute")
# `reader follow add author:"Yann LeCun"`: the shell takes the quotes away, and a name is one
# phrase, so an author's name with spaces and no quotes left gets them back.
_BARE_AUTHOR = re.compile(r'(?i)(author|authors|by):([^"()\s][^"()]*\s[^"()]*)')
_OPERATORS = {"AND", "OR", "NOT"}


def register(commands: argparse._SubParsersAction) -> None:
    json_flag = json_parent()
    for name, verb, what in (
        ("follow", "follow", "papers a query finds are marked and come first in the digest"),
        ("mute", "mute", "papers a query finds are left out of feeds and the digest"),
    ):
        p = commands.add_parser(name, help=f"{what}: add, list, rm")
        actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
        add = actions.add_parser("add", parents=[json_flag], help=f"{verb} a query")
        add.add_argument("query", nargs="+", metavar="QUERY", help='e.g. author:"Yann LeCun"')
        add.set_defaults(handler=cmd_add, kind=name)
        listing = actions.add_parser("list", parents=[json_flag], help=f"the queries you {verb}")
        listing.set_defaults(handler=cmd_list, kind=name)
        remove = actions.add_parser("rm", parents=[json_flag], help=f"no longer {verb} a query")
        remove.add_argument("query", nargs="+", metavar="QUERY")
        remove.set_defaults(handler=cmd_rm, kind=name)


def query_from(words: list[str]) -> str:
    """The words as one query, an author's bare name made a phrase again."""
    query = " ".join(" ".join(words).split())
    found = _BARE_AUTHOR.fullmatch(query)
    if found and not set(found[2].split()) & _OPERATORS:
        return f'{found[1]}:"{found[2]}"'
    return query


def _watching(ctx: Context) -> Watching:
    return ctx.library().watching


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import SaveError

    watching = _watching(ctx)
    add = watching.follow if args.kind == "follow" else watching.mute
    try:
        done = add(query_from(args.query))
    except (ValueError, SaveError) as error:
        raise InputError(f"not {_past(args.kind)}: {error}") from error
    ctx.emit(done.to_dict(), _added(args.kind, done))
    return 0


def _added(kind: str, done: Watched) -> str:
    verb = "following" if kind == "follow" else "muting"
    already = "" if done.fresh else " (already)"
    papers = f"{done.matches} paper{'' if done.matches == 1 else 's'}"
    line = f"{verb} {safe(done.entry.query)}{already}: {papers} now"
    if done.matches == 0:
        line += "; it will mark papers as they arrive"
        if done.suggestion:
            line += f" (did you mean: {safe(done.suggestion)}?)"
    return line


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    watching = _watching(ctx)
    entries = watching.follows() if args.kind == "follow" else watching.mutes()
    rows = []
    data = []
    for entry in entries:
        matches = len(watching.matches(entry.query))
        rows.append((entry.query, matches, entry.added or "-"))
        data.append({**entry.to_dict(), "matches": matches})
    empty = f"nothing to {args.kind} yet (add a query: reader {args.kind} add QUERY)"
    human = table(("query", "papers", "added"), rows, flex=0) if rows else empty
    ctx.emit(data, human)
    return 0


def cmd_rm(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import SaveError

    watching = _watching(ctx)
    remove = watching.unfollow if args.kind == "follow" else watching.unmute
    query = query_from(args.query)
    try:
        remove(query)
    except (ValueError, SaveError) as error:
        raise InputError(f"not removed: {error}") from error
    verb = "unfollowed" if args.kind == "follow" else "unmuted"
    ctx.emit({"removed": query}, f"{verb} {safe(query)}")
    return 0


def _past(kind: str) -> str:
    return "followed" if kind == "follow" else "muted"
