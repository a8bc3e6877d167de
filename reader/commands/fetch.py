"""`reader fetch`: fresh papers from Hugging Face Daily Papers and arXiv, or every saved feed."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from reader.commands.arguments import whole
from reader.commands.errors import InputError
from reader.commands.render import safe

# The fetch stack (HTTP, XML, YAML) loads when a fetch runs, not for every command.
if TYPE_CHECKING:
    from reader.commands.context import Context
    from reader.core.library import Feed, FeedResult

COMMANDS = ("fetch",)


def register(commands: argparse._SubParsersAction) -> None:
    top, sub = _flags(False), _flags(argparse.SUPPRESS)

    p = commands.add_parser(
        "fetch",
        parents=[top],
        help="fetch fresh papers (no source: every feed saved in the config)",
        description="Fetch papers from Hugging Face Daily Papers or arXiv into the library. "
        "Without a source, run every feed under 'feeds:' in the config file.",
    )
    p.set_defaults(handler=cmd_fetch, source=None)
    sources = p.add_subparsers(dest="source", metavar="[SOURCE]")

    p_hf = sources.add_parser("hf", parents=[sub], help="Hugging Face Daily Papers")
    when = p_hf.add_mutually_exclusive_group()
    when.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="one day's papers")
    when.add_argument(
        "--days", type=_days, metavar="N", help="the last N days (UTC), today included (default 1)"
    )
    p_hf.set_defaults(handler=cmd_fetch)

    p_arxiv = sources.add_parser("arxiv", parents=[sub], help="the arXiv API, newest first")
    p_arxiv.add_argument("query", metavar="QUERY", help="arXiv query syntax, e.g. all:diffusion")
    p_arxiv.add_argument("--max", type=_max, default=100, metavar="N", help="default 100")
    p_arxiv.add_argument(
        "--category", type=_category, metavar="CAT", help="only this category, e.g. cs.LG"
    )
    p_arxiv.set_defaults(handler=cmd_fetch)


def _flags(default: object) -> argparse.ArgumentParser:
    """--json and --force, before or after the source. After it they default to SUPPRESS,
    so `reader fetch --json hf` keeps the --json given before the source."""
    flags = argparse.ArgumentParser(add_help=False)
    flags.add_argument(
        "--json", action="store_true", default=default, help="print one JSON document"
    )
    flags.add_argument(
        "--force",
        action="store_true",
        default=default,
        help="ask for every page in full, ignoring saved ETags",
    )
    return flags


def _date(text: str) -> date:
    from reader.core.library import parse_hf_date

    try:
        return parse_hf_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _days(text: str) -> int:
    from reader.core.library import HF_MAX_DAYS

    return whole(text, 1, HF_MAX_DAYS)


def _max(text: str) -> int:
    from reader.core.library import ARXIV_MAX_RESULTS

    return whole(text, 1, ARXIV_MAX_RESULTS)


def _category(text: str) -> str:
    from reader.core.library import check_arxiv_category

    try:
        return check_arxiv_category(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _feeds(args: argparse.Namespace, saved: tuple[Feed, ...], config: str) -> list[Feed]:
    from reader.core.library import ArxivFeed, HfFeed

    if args.source == "hf":
        return [HfFeed(date=args.date) if args.date else HfFeed(days=args.days or 1)]
    if args.source == "arxiv":
        if not args.query.strip():
            raise InputError("the arXiv query is empty")
        return [ArxivFeed(query=args.query, category=args.category, max=args.max)]
    if not saved:
        raise InputError(
            f"no feeds saved in {config}; run 'reader fetch hf' or 'reader fetch arxiv QUERY', "
            "or add e.g. 'feeds: [{hf: {days: 1}}]' to that file"
        )
    return list(saved)


def cmd_fetch(args: argparse.Namespace, ctx: Context) -> int:
    from reader.core.library import FeedConfigError, ValidatorCache, load_fetch_settings, run_feeds

    try:
        settings = load_fetch_settings(ctx.paths.config_file)
    except FeedConfigError as error:
        raise InputError(str(error)) from None
    feeds = _feeds(args, settings.feeds, str(ctx.paths.config_file))
    results: list[FeedResult] = []
    for result in run_feeds(
        feeds,
        ctx.library(),
        settings,
        cache=ValidatorCache(ctx.paths.data_dir),
        conditional=not getattr(args, "force", False),
    ):
        results.append(result)
        if result.error:
            print(f"reader: {result.error}", file=sys.stderr)
    ok = all(result.error is None for result in results)
    ctx.emit(
        {"ok": ok, "feeds": [result.to_dict() for result in results]},
        "\n".join(_human(result) for result in results),
    )
    return 0 if ok else 1


def _human(result: FeedResult) -> str:
    report = result.report
    label = safe(result.feed)
    if result.error and not result.pages:
        return f"{label}: failed"
    if not result.pages and result.not_modified:
        return f"{label}: not modified"
    line = (
        f"{label}: {report.added} added, {report.updated} updated, "
        f"{report.duplicates} duplicates, {len(report.rejected)} rejected"
    )
    if result.not_modified:
        line += (
            f" ({result.not_modified} page{'s' if result.not_modified > 1 else ''} not modified)"
        )
    if result.error:
        line += " (stopped early)"
    lines = [line]
    lines += [f"  rejected {safe(r)}" for r in report.rejected]
    lines += [f"  warning {safe(w)}" for w in report.warnings]
    return "\n".join(lines)
