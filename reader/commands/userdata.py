"""Commands over the user's own data: bookmark, tag, note, saved."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader.commands.errors import InputError
from reader.commands.papers import SORTS
from reader.commands.render import json_parent, safe, table
from reader.core.library import strip_controls

if TYPE_CHECKING:
    from reader.commands.context import Context
    from reader.core.library import Library, UserData

COMMANDS = ("bookmark", "tag", "note", "saved")


def register(commands: argparse._SubParsersAction) -> None:
    json_flag = json_parent()

    p = commands.add_parser("bookmark", parents=[json_flag], help="bookmark a paper (--off: unset)")
    p.add_argument("id", metavar="ID")
    p.add_argument("--off", action="store_true", help="remove the bookmark")
    p.set_defaults(handler=cmd_bookmark)

    p = commands.add_parser("tag", parents=[json_flag], help="add tags to a paper (or --remove)")
    p.add_argument("id", metavar="ID")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p.add_argument("--remove", action="store_true", help="remove these tags instead")
    p.set_defaults(handler=cmd_tag)

    p = commands.add_parser("note", parents=[json_flag], help="print, set or edit a paper's note")
    p.add_argument("id", metavar="ID")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--set", metavar="TEXT", dest="text", help='the new note ("" deletes it)')
    how.add_argument("--edit", action="store_true", help="edit the note in $VISUAL or $EDITOR")
    p.set_defaults(handler=cmd_note)

    p = commands.add_parser("saved", help="saved searches: list, add, rm")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[json_flag], help="list saved searches")
    listing.set_defaults(handler=cmd_saved_list)
    add = actions.add_parser("add", parents=[json_flag], help="save a search under a name")
    add.add_argument("name", metavar="NAME")
    add.add_argument("query", metavar="QUERY")
    add.add_argument("--sort", choices=SORTS, default="relevance")
    add.set_defaults(handler=cmd_saved_add)
    remove = actions.add_parser("rm", parents=[json_flag], help="remove a saved search")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=cmd_saved_rm)


@contextmanager
def _user(ctx: Context) -> Iterator[UserData]:
    """The user data; on the way out, a warning on stderr for each file the command found
    unreadable (files are read as a command needs them; an error it fails with is not
    repeated as a warning)."""
    user = ctx.library().user
    failure = None
    try:
        yield user
    except InputError as error:
        failure = str(error)
        raise
    finally:
        for problem in user.errors_so_far:
            if str(problem) != failure:
                print(f"reader: warning: {problem}", file=sys.stderr)


def _paper(ctx: Context, raw_id: str) -> tuple[Library, str]:
    library = ctx.library()
    pid = library.resolve(raw_id)
    if pid is None:
        raise InputError(f"unknown paper: {safe(raw_id)}")
    return library, pid


def _apply(action: str, change: Callable[[], object]) -> None:
    """Run a change; a bad value or a failed save is one line and exit 1. A change saved but
    not indexed (a full disk, say) is saved: a warning, and the command goes on."""
    from reader.core.library import NotIndexed, SaveError  # YAML and file locks: when used

    try:
        change()
    except (ValueError, SaveError) as error:
        raise InputError(f"{action}: {error}") from error
    except NotIndexed as error:
        print(f"reader: warning: {error}", file=sys.stderr)


def cmd_bookmark(args: argparse.Namespace, ctx: Context) -> int:
    _library, pid = _paper(ctx, args.id)
    with _user(ctx) as user:
        _apply("bookmark not changed", lambda: user.set_bookmark(pid, not args.off))
        on = user.is_bookmarked(pid)
    ctx.emit({"id": pid, "bookmarked": on}, f"{'bookmarked' if on else 'not bookmarked'}: {pid}")
    return 0


def cmd_tag(args: argparse.Namespace, ctx: Context) -> int:
    _library, pid = _paper(ctx, args.id)
    with _user(ctx) as user:
        change = user.remove_tags if args.remove else user.add_tags
        _apply("tags not changed", lambda: change(pid, args.tags))
        tags = user.tags(pid)
    ctx.emit({"id": pid, "tags": tags}, f"{pid}: {safe(', '.join(tags)) or '(no tags)'}")
    return 0


def cmd_note(args: argparse.Namespace, ctx: Context) -> int:
    _library, pid = _paper(ctx, args.id)
    with _user(ctx) as user:
        if args.edit:
            return _edit_note(ctx, user, pid)
        if args.text is None:
            text = _read_note(user, pid)
            ctx.emit({"id": pid, "note": text}, strip_controls(text) or f"(no note for {pid})")
            return 0
        _apply("note not saved", lambda: user.set_note(pid, args.text))
    _report_note(ctx, user, pid, args.text)
    return 0


def _read_note(user: UserData, pid: str) -> str:
    """The note; a note file that cannot be read is an error naming it, never "no note"."""
    from reader.core.library import UserFileError

    try:
        return user.read_note(pid)
    except UserFileError as error:
        raise InputError(str(error)) from error


def _report_note(ctx: Context, user: UserData, pid: str, text: str) -> None:
    where = user.note_path(pid)
    human = f"note saved: {where}" if text else f"note deleted: {pid}"
    ctx.emit({"id": pid, "note": text, "path": str(where) if text else None}, human)


def _edit_note(ctx: Context, user: UserData, pid: str) -> int:
    """$EDITOR on a private copy; saved atomically when the editor exits cleanly. The copy is
    kept (and named) whenever the text could not be saved, so nothing typed is lost."""
    import shlex  # these three: only for an editor, not at every command's start
    import subprocess
    import tempfile

    from reader.core.library import safe_file_name

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    before = _read_note(user, pid)
    folder = Path(tempfile.mkdtemp(prefix="reader-note-"))
    draft = folder / f"{safe_file_name(pid)}.md"
    draft.write_bytes(before.encode("utf-8"))
    try:
        code = subprocess.call([*shlex.split(editor), str(draft)])
    except (OSError, ValueError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"could not start the editor {editor!r} ({error}); set $EDITOR") from None
    if code != 0:
        raise InputError(f"the editor exited with status {code}; note not saved (draft: {draft})")
    try:
        text = draft.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"the note is not UTF-8 text; not saved (draft: {draft})") from None
    if text != before:
        _apply(f"note not saved (draft kept: {draft})", lambda: user.set_note(pid, text))
    shutil.rmtree(folder, ignore_errors=True)
    if text == before:
        ctx.emit({"id": pid, "note": text, "changed": False}, f"note unchanged: {pid}")
    else:
        _report_note(ctx, user, pid, text)
    return 0


def cmd_saved_list(args: argparse.Namespace, ctx: Context) -> int:
    with _user(ctx) as user:
        searches = user.saved_searches()
    rows = [(s.name, s.query, s.sort, s.last_opened or "never") for s in searches]
    human = table(("name", "query", "sort", "last opened"), rows, flex=1) if rows else ""
    ctx.emit([s.to_dict() for s in searches], human or "no saved searches")
    return 0


def cmd_saved_add(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import SaveError

    with _user(ctx) as user:
        try:
            saved = user.add_saved(args.name, args.query, args.sort)
        except (ValueError, SaveError) as error:
            raise InputError(f"search not saved: {error}") from error
    ctx.emit(saved.to_dict(), f"saved search {safe(saved.name)}: {safe(saved.query)}")
    return 0


def cmd_saved_rm(args: argparse.Namespace, ctx: Context) -> int:
    with _user(ctx) as user:
        _apply("search not removed", lambda: user.remove_saved(args.name))
    ctx.emit({"removed": args.name.strip()}, f"removed saved search {safe(args.name.strip())}")
    return 0
