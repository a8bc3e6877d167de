"""Commands over the paper library: import, search, show, stats, index, sample."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.commands.arguments import positive
from reader.commands.errors import InputError, UsageError
from reader.commands.render import ProgressBar, json_parent, safe, table
from reader.core.model import SORTS, ImportReport

if TYPE_CHECKING:
    from reader.commands.context import Context

COMMANDS = ("import", "search", "show", "stats", "index", "sample")


def register(commands: argparse._SubParsersAction) -> None:
    json_flag = json_parent()

    p = commands.add_parser("import", parents=[json_flag], help="add or merge papers from files")
    p.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    p.set_defaults(handler=cmd_import)

    p = commands.add_parser("search", parents=[json_flag], help="search the library")
    p.add_argument("query", metavar="QUERY", nargs="?")
    p.add_argument(
        "--queries",
        metavar="FILE",
        type=Path,
        help="one query per line ('-' for stdin); with --json, one JSON line out per query",
    )
    p.add_argument("--limit", type=positive, default=20, metavar="N")
    p.add_argument("--sort", choices=SORTS, default="relevance")
    p.set_defaults(handler=cmd_search)

    p = commands.add_parser("show", parents=[json_flag], help="one paper in full")
    p.add_argument("id", metavar="ID")
    p.set_defaults(handler=cmd_show)

    p = commands.add_parser("stats", parents=[json_flag], help="papers, index, last import, paths")
    p.set_defaults(handler=cmd_stats)

    p = commands.add_parser("index", help="rebuild or check the search index")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    rebuild = actions.add_parser("rebuild", parents=[json_flag], help="rebuild from the store")
    rebuild.set_defaults(handler=cmd_index_rebuild)
    check = actions.add_parser(
        "check",
        parents=[json_flag],
        help="compare every paper's index entry with the store and the user's files",
    )
    check.add_argument("--fix", action="store_true", help="re-index just what differs")
    check.set_defaults(handler=cmd_index_check)

    p = commands.add_parser("sample", parents=[json_flag], help="import the built-in sample")
    p.set_defaults(handler=cmd_sample)


def _report(ctx: Context, report: ImportReport) -> int:
    lines = [
        f"{report.added} added, {report.updated} updated, {report.duplicates} duplicates, "
        f"{len(report.rejected)} rejected ({report.seconds:.2f} s)"
    ]
    if report.bookmarked:  # papers from the user's own library (.bib, Zotero, papis)
        lines.append(
            f"{report.bookmarked:,} bookmarked as yours, with their tags and notes "
            "(For you learns from your bookmarks)"
        )
    ctx.emit(report.to_dict(), "\n".join(lines))
    if not ctx.json:  # what went wrong is for stderr; the summary above is the output
        for problem in report.rejected:
            print(f"reader: rejected {safe(problem)}", file=sys.stderr)
        for warning in report.warnings:
            print(f"reader: warning {safe(warning)}", file=sys.stderr)
    unreadable = (
        report.files
        and all(r.line == 0 for r in report.rejected)
        and (len({r.source for r in report.rejected}) == report.files)
    )
    return 1 if unreadable else 0


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    bar = ProgressBar("importing")
    try:
        report = ctx.library().import_paths(args.paths, progress=bar)
    finally:
        bar.close()
    return _report(ctx, report)


def cmd_sample(args: argparse.Namespace, ctx: Context) -> int:
    return _report(ctx, ctx.library().import_sample())


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    if (args.query is None) == (args.queries is None):
        raise UsageError("search takes either QUERY or --queries FILE")
    if args.queries is not None:
        try:
            return _search_many(args, ctx)
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"could not read {args.queries}: {error}") from error
    result = ctx.library().search(args.query, limit=args.limit, sort=args.sort)
    lines: list[str] = []
    if result.note:
        lines.append(safe(result.note))
    if result.results:
        rows = [
            (f"{h.score:.2f}", h.date or "-", h.id, h.title, ", ".join(h.authors[:1]))
            for h in result.results
        ]
        lines.append(table(("score", "date", "id", "title", "first author"), rows, flex=3))
    shown = len(result.results)
    lines.append(
        f"{shown} of {result.total} results · sorted by {args.sort} · {result.took_ms:.0f} ms"
    )
    if result.suggestion:
        lines.append(f"did you mean: {safe(result.suggestion)}")
    ctx.emit(result.to_dict(), "\n".join(lines))
    return 0


def _search_many(args: argparse.Namespace, ctx: Context) -> int:
    """One process for many queries (evaluations, scripts): JSON lines out with --json."""
    stream = sys.stdin if str(args.queries) == "-" else args.queries.open(encoding="utf-8")
    library = ctx.library()
    with stream:
        for line in stream:
            query = line.strip()
            if not query:
                continue
            result = library.search(query, limit=args.limit, sort=args.sort)
            if ctx.json:
                sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            else:
                top = result.results[0].title if result.results else "-"
                sys.stdout.write(f"{result.total}\t{safe(query)}\t{safe(top)}\n")
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    library = ctx.library()
    paper = library.get(args.id)
    if paper is None:
        raise InputError(f"unknown paper: {args.id}")
    user = library.user
    tags, note = user.tags(paper.id), user.note(paper.id)
    bookmarked, read = user.is_bookmarked(paper.id), user.is_read(paper.id)
    data = {**paper.to_dict(), "tags": tags, "note": note, "bookmarked": bookmarked, "read": read}
    state = [word for word, on in (("bookmarked", bookmarked), ("read", read)) if on]
    lines = [
        safe(paper.title),
        safe(", ".join(paper.authors)) or "(authors unknown)",
        " · ".join([paper.date or paper.listed or "date unknown", paper.id, *state]),
    ]
    lines += [safe(text) for text in (paper.journal, paper.doi and f"doi:{paper.doi}") if text]
    if tags:
        lines.append("tags: " + safe(", ".join(tags)))
    lines += ["", "\n".join(safe(line) for line in paper.abstract.split("\n")) or "(no abstract)"]
    links = [safe(link) for link in paper.web_links]
    links += [f"file: {safe(path)}" for path in paper.files]  # local files, not web pages
    if links:
        lines += ["", *links]
    if note:
        lines += ["", "note:", *(safe(line) for line in note.split("\n"))]
    ctx.emit(data, "\n".join(lines))
    return 0


def cmd_stats(args: argparse.Namespace, ctx: Context) -> int:
    stats = ctx.library().stats()
    last = stats["last_import"] or {}
    paths = stats["paths"]
    rows = [
        ("papers", stats["papers"]),
        ("index documents", stats["index_documents"]),
        ("last import", last.get("at", "never") if isinstance(last, dict) else "never"),
        *((name, value) for name, value in paths.items()),  # type: ignore[union-attr]
    ]
    width = max(len(str(name)) for name, _ in rows)
    ctx.emit(stats, "\n".join(f"{name:<{width}}  {safe(value)}" for name, value in rows))
    return 0


def cmd_index_rebuild(args: argparse.Namespace, ctx: Context) -> int:
    bar = ProgressBar("indexing")
    try:
        count = ctx.library().rebuild_index(progress=bar)
    finally:
        bar.close()
    ctx.emit({"documents": count}, f"index rebuilt: {count} documents")
    return 0


def cmd_index_check(args: argparse.Namespace, ctx: Context) -> int:
    check = ctx.library().check_index(fix=args.fix)
    if check.ok:
        human = f"index ok: {check.index_count} documents, the same as the library"
        ctx.emit(check.to_dict(), human)
        return 0
    lines = [
        f"index differs from the library: {check.store_count} papers, {check.index_count} documents"
    ]
    for what, ids in (("missing from the index", check.missing), ("no paper", check.extra)):
        if ids:
            lines.append(f"  {what}: {_some(ids)}")
    for kind, ids in check.differ.items():
        if ids:
            lines.append(f"  {_KIND_NAMES.get(kind, kind)} differ from the index: {_some(ids)}")
    if check.fixed is None:
        lines.append("run 'reader index check --fix' to re-index just these")
    elif check.fixed_ok:
        lines.append(f"fixed: {check.fixed} papers re-indexed or removed; the index agrees now")
    else:
        lines.append(
            f"re-indexed {check.fixed} papers, yet it still differs: run 'reader index rebuild'"
        )
    ctx.emit(check.to_dict(), "\n".join(lines))
    return 0 if check.fixed_ok else 1


# What each kind of difference `index check` finds is called in its output.
_KIND_NAMES = {
    "title": "titles",
    "abstract": "abstracts",
    "details": "authors, dates, categories or sources",
    "tags": "tags",
    "note": "notes",
    "read": "read states",
    "bookmark": "bookmarks",
}


def _some(ids: list[str], shown: int = 5) -> str:
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(safe(paper_id) for paper_id in ids[:shown]) + more
