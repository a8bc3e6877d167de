"""Commands that save and bring back everything: backup, restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from reader.commands.errors import InputError
from reader.commands.render import json_parent

if TYPE_CHECKING:
    from reader.cli import Context


def register(commands: argparse._SubParsersAction) -> None:
    json_flag = json_parent()

    p = commands.add_parser(
        "backup", parents=[json_flag], help="write a verified archive of papers and user data"
    )
    p.add_argument(
        "file", nargs="?", type=Path, metavar="FILE", help="default: <data dir>/backups/..."
    )
    p.set_defaults(handler=cmd_backup)

    p = commands.add_parser(
        "restore", parents=[json_flag], help="restore an archive (current data is set aside)"
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.backup import BackupError, create_backup  # zip and YAML: loaded when used

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


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.backup import BackupError, restore_backup

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
