"""Commands that save and bring back everything: backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from reader.commands.errors import InputError, UsageError
from reader.commands.render import json_parent

if TYPE_CHECKING:
    from reader.commands.context import Context

COMMANDS = ("backup", "restore")


def register(commands: argparse._SubParsersAction) -> None:
    json_flag = json_parent()

    p = commands.add_parser(
        "backup", parents=[json_flag], help="write a verified archive of papers and user data"
    )
    p.add_argument(
        "file", nargs="?", type=Path, metavar="FILE", help="default: <data dir>/backups/..."
    )
    p.add_argument(
        "--daily",
        action="store_true",
        help="today's backup in <data dir>/backups/daily/ unless it exists (keeps the last 7); "
        "reader makes it by itself once a day",
    )
    p.set_defaults(handler=cmd_backup)

    p = commands.add_parser(
        "restore", parents=[json_flag], help="restore an archive (current data is set aside)"
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import BackupError, create_backup

    if args.daily:
        return _daily(args, ctx)
    try:
        archive, manifest = create_backup(ctx.paths, args.file)
    except BackupError as error:
        raise InputError(f"no backup written: {error}") from error
    data = {
        "archive": str(archive),
        "papers": manifest.papers,
        "user_files": len(manifest.files),
        "created": manifest.created,
        "verified": True,
    }
    ctx.emit(
        data,
        f"backup written and verified: {archive} "
        f"({manifest.papers} papers, {len(manifest.files)} user files)",
    )
    return 0


def _daily(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import BackupError, daily_path, ensure_daily_backup

    if args.file is not None:
        raise UsageError("--daily names its own file; give FILE or --daily, not both")
    try:
        made = ensure_daily_backup(ctx.paths)
    except BackupError as error:
        raise InputError(f"no daily backup written: {error}") from error
    archive = daily_path(ctx.paths)
    if made is not None:
        human = f"today's backup written and verified: {made}"
    elif archive.exists():
        human = f"today's backup exists: {archive}"
    else:
        human = "no daily backup: nothing to back up yet (or another reader is making it)"
    ctx.emit(
        {"archive": str(archive) if archive.exists() else None, "made": made is not None},
        human,
    )
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import BackupError, restore_backup

    try:
        report = restore_backup(ctx.paths, args.file)
    except BackupError as error:
        raise InputError(f"nothing restored: {error}") from error
    ctx.emit(
        report.to_dict(),
        "\n".join(
            [
                f"restored {report.papers} papers and {report.user_files} user files "
                f"from {report.archive}",
                f"your data from before the restore is kept in {report.aside}",
                "the search index will be rebuilt the next time reader opens the library",
            ]
        ),
    )
    return 0
