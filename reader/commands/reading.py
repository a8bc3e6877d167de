"""`reader pdf` and `reader summarize`: a paper's PDF, and a summary from your own tool."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from reader.commands.errors import InputError
from reader.commands.render import ProgressBar, json_parent, safe

if TYPE_CHECKING:
    from reader.commands.context import Context
    from reader.core.library import Downloaded, Reading

COMMANDS = ("pdf", "summarize")


def register(commands: argparse._SubParsersAction) -> None:
    json_flag = json_parent()
    p = commands.add_parser(
        "pdf",
        parents=[json_flag],
        help="download a paper's PDF into the data dir (--open: then show it)",
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--open", action="store_true", help="open it with pdf_viewer or the system's")
    p.set_defaults(handler=cmd_pdf)

    p = commands.add_parser(
        "summarize",
        parents=[json_flag],
        help="a summary from the program set as summarize.command in the config",
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--refresh", action="store_true", help="ask again, even if one is kept")
    p.set_defaults(handler=cmd_summarize)


def _warn_config(reading: Reading) -> None:
    for notice in reading.config_notices:
        print(f"reader: warning: {notice}", file=sys.stderr)


def download_with_bar(reading: Reading, paper_id: str) -> Downloaded:
    """The PDF, with a progress bar on stderr; InputError (one line) if it cannot be had."""
    from reader.core.library import FeedConfigError, FetchError, PdfError

    bar = ProgressBar("downloading")
    try:
        return reading.download_pdf(paper_id, progress=bar)
    except (ValueError, PdfError, FetchError, FeedConfigError, OSError) as error:
        raise InputError(_reason(error)) from error
    finally:
        bar.close()


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error)


def cmd_pdf(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import ToolError

    reading = ctx.library().reading
    _warn_config(reading)
    got = download_with_bar(reading, args.id)
    opened = None
    if args.open:
        try:
            opened = reading.open_pdf(args.id)
        except (ValueError, ToolError) as error:
            raise InputError(str(error)) from error
    data = {
        "id": reading.paper(args.id).id,
        "path": str(got.path),
        "size": got.size,
        "downloaded": not got.already,
        "opened_with": opened,
    }
    how = "already here" if got.already else f"{got.size:,} bytes"
    if got.resumed_from:
        how += f", resumed at {got.resumed_from:,}"
    ctx.emit(data, f"{got.path} ({how})" + (f"; opened with {safe(opened)}" if opened else ""))
    return 0


def cmd_summarize(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import ToolError

    reading = ctx.library().reading
    _warn_config(reading)
    try:
        paper = reading.paper(args.id)
    except ValueError as error:
        raise InputError(str(error)) from error
    kept = reading.summary(paper.id)
    if kept and not args.refresh:
        path = str(ctx.library().user.summary_path(paper.id))
        ctx.emit({"id": paper.id, "summary": kept, "path": path, "cached": True}, kept.rstrip())
        return 0
    stream = None if ctx.json else _print_as_it_comes
    try:
        summary = reading.summarize(paper.id, on_text=stream)
    except (ValueError, ToolError) as error:
        raise InputError(str(error)) from error
    if summary.pdf_note:
        print(f"reader: note: {summary.pdf_note}", file=sys.stderr)
    if ctx.json:
        ctx.emit({**summary.to_dict(), "cached": False})
    else:
        sys.stdout.write("" if summary.text.endswith("\n") else "\n")
    return 0


def _print_as_it_comes(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
