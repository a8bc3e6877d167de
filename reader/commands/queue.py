"""`reader queue`: papers set aside to read, in the order you mean to read them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.commands.arguments import positive
from reader.commands.errors import InputError
from reader.commands.render import json_parent, safe, table

if TYPE_CHECKING:
    from reader.commands.context import Context
    from reader.core.library import QueueEntry, Reading

COMMANDS = ("queue",)


def register(commands: argparse._SubParsersAction) -> None:
    json_flag = json_parent()
    p = commands.add_parser("queue", help="the reading queue: add, rm, list, next, done, move")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", parents=[json_flag], help="queue papers (at the end)")
    add.add_argument("ids", nargs="+", metavar="ID")
    add.add_argument("--first", action="store_true", help="put them first instead")
    add.set_defaults(handler=cmd_add)

    remove = actions.add_parser("rm", parents=[json_flag], help="take papers off the queue")
    remove.add_argument("ids", nargs="+", metavar="ID")
    remove.set_defaults(handler=cmd_rm)

    listing = actions.add_parser("list", parents=[json_flag], help="the queue, next first")
    listing.set_defaults(handler=cmd_list)

    first = actions.add_parser("next", parents=[json_flag], help="the paper to read next")
    first.set_defaults(handler=cmd_next)

    done = actions.add_parser(
        "done", parents=[json_flag], help="finished: off the queue and marked read"
    )
    done.add_argument("id", nargs="?", metavar="ID", help="default: the next one")
    done.set_defaults(handler=cmd_done)

    move = actions.add_parser("move", parents=[json_flag], help="put a paper at a position")
    move.add_argument("id", metavar="ID")
    move.add_argument("position", type=positive, metavar="POSITION", help="1 is next")
    move.set_defaults(handler=cmd_move)


def _reading(ctx: Context) -> Reading:
    return ctx.library().reading


def _change(action: str, change: Callable[[], object]) -> object:
    from reader.core.library import SaveError

    try:
        return change()
    except (ValueError, SaveError) as error:
        raise InputError(f"{action}: {error}") from error


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    reading = _reading(ctx)
    added = _change("not queued", lambda: reading.enqueue(args.ids, first=args.first))
    assert isinstance(added, list)
    downloaded = _download(ctx, reading, added) if reading.config.queue_downloads else {}
    queued = reading.queue_ids()
    data = {"added": added, "queue": queued, "pdfs": downloaded}
    lines = [f"queued {pid} (#{queued.index(pid) + 1})" for pid in added]
    already = len(args.ids) - len(added)
    if already:
        lines.append(f"{already} already in the queue")
    ctx.emit(data, "\n".join(lines))
    return 0


def _download(ctx: Context, reading: Reading, ids: list[str]) -> dict[str, str | None]:
    """queue_downloads: each new paper's PDF now, one after the other, each bounded by the
    HTTP client's timeouts. A failure is a warning: the paper stays queued."""
    from reader.commands.reading import download_with_bar

    for notice in reading.config_notices:
        print(f"reader: warning: {notice}", file=sys.stderr)
    paths: dict[str, str | None] = {}
    for pid in ids:
        try:
            paths[pid] = str(download_with_bar(reading, pid).path)
        except InputError as error:
            print(f"reader: warning: {pid} is queued, but {error}", file=sys.stderr)
            paths[pid] = None
    return paths


def cmd_rm(args: argparse.Namespace, ctx: Context) -> int:
    reading = _reading(ctx)
    removed = _change("not removed", lambda: reading.dequeue(args.ids))
    assert isinstance(removed, list)
    if not removed:
        raise InputError(f"not in the reading queue: {safe(' '.join(args.ids))}")
    ctx.emit({"removed": removed}, "\n".join(f"off the queue: {pid}" for pid in removed))
    return 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    entries = _reading(ctx).queue()
    rows = [
        (entry.position, entry.id, _title(entry), "pdf" if entry.pdf else "") for entry in entries
    ]
    human = table(("#", "id", "title", "pdf"), rows, flex=2) if rows else "the queue is empty"
    ctx.emit({"results": [entry.to_dict() for entry in entries]}, human)
    return 0


def _title(entry: QueueEntry) -> str:
    return entry.paper.title if entry.paper else "(not in the library)"


def cmd_next(args: argparse.Namespace, ctx: Context) -> int:
    entries = _reading(ctx).queue()
    if not entries:
        raise InputError("the reading queue is empty (reader queue add ID)")
    first = entries[0]
    ctx.emit(first.to_dict(), f"{first.id}  {safe(_title(first))}")
    return 0


def cmd_done(args: argparse.Namespace, ctx: Context) -> int:
    reading = _reading(ctx)
    pid = args.id
    if pid is None:
        queued = reading.queue_ids()
        if not queued:
            raise InputError("the reading queue is empty")
        pid = queued[0]
    _change("not finished", lambda: reading.finish(pid))
    paper = reading.paper(pid)
    ctx.emit({"id": paper.id, "read": True, "queue": reading.queue_ids()}, f"read: {paper.id}")
    return 0


def cmd_move(args: argparse.Namespace, ctx: Context) -> int:
    reading = _reading(ctx)
    at = _change("not moved", lambda: reading.move_to(args.id, args.position - 1))
    assert isinstance(at, int)
    queued = reading.queue_ids()
    ctx.emit({"id": queued[at], "position": at + 1, "queue": queued}, f"{queued[at]} is #{at + 1}")
    return 0
