"""The command palette (ctrl+p): every key's action, the saved searches, the themes, papers,
and two commands of its own: import a file, export the papers listed.

Actions come from the bindings active on the screen, so the palette, the footer, the help
screen and the user's keymap can never disagree. Names the user typed (saved searches) and
paper titles are Content built from plain text: the palette would parse a str prompt (and
every help text) as markup, so help texts here are our own fixed words or a checked paper id.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from reader.core.library import Library
from reader.core.model import ImportReport
from reader.tui.file_watch import Changed
from reader.tui.screens.main import MainScreen
from reader.tui.screens.similar import SimilarScreen
from reader.tui.textspans import one_line

Command = Callable[[], object] | Callable[[], Awaitable[object]]
_SAFE_ID = re.compile(r"[A-Za-z0-9.:/_-]{1,64}")
_PAPER_HITS = 12
_SKIP_ACTIONS = {"command_palette", "app.command_palette"}
_NOT_IN_A_NAME = re.compile(r"[^A-Za-z0-9]+")

Papers = MainScreen | SimilarScreen


def import_file(screen: Papers) -> None:
    """The import dialog; once the import is over every screen of papers shows its papers."""
    from reader.tui.screens.import_file import ImportScreen

    def done(report: ImportReport) -> None:
        screen.session.watch.changed.publish(Changed(set(report.own)))

    screen.app.push_screen(ImportScreen(screen.data, done))


def export_list(screen: Papers) -> None:
    """The export dialog for the papers listed: the search (read again in the worker, in the
    order shown), or the papers like one."""
    from reader.tui.screens.export_file import ExportScreen, export

    ids: Callable[[Library], Sequence[str]]
    if isinstance(screen, MainScreen):
        query, sort = screen.query_text, screen.sort
        ids = lambda library: library.search_ids(query, sort=sort)[0]  # noqa: E731
        name = screen.active_search or query or "papers"
    else:
        listed = list(screen.paper_list.rows.ids)
        ids = lambda library: listed  # noqa: E731
        name = "similar papers"
    count = screen.paper_list.count
    what = f"{count:,} paper{'' if count == 1 else 's'} ({one_line(name)})"
    stem = _NOT_IN_A_NAME.sub("-", one_line(name)).strip("-").lower()[:40] or "papers"

    def chosen(answer: tuple[str, Path] | None) -> None:
        if answer is not None:
            export(screen.app, screen.data, ids, *answer)

    screen.app.push_screen(ExportScreen(what, stem), chosen)


def highlight(matcher: Matcher, text: str) -> Content:
    """text with the fuzzy-matched letters styled (Matcher.highlight would parse markup)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ReaderCommands(Provider):
    def _papers(self) -> MainScreen | SimilarScreen | None:
        """The screen of papers the palette was opened over (it opens searches, papers)."""
        screen = self.screen
        return screen if isinstance(screen, MainScreen | SimilarScreen) else None

    def _fixed(self) -> Iterator[tuple[str, Command, str]]:
        """(name, command, help) for actions, saved searches and themes."""
        seen: set[tuple[str, int]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.system or not binding.description or binding.action in _SKIP_ACTIONS:
                continue
            if not active.enabled or (binding.action, id(active.node)) in seen:
                continue
            seen.add((binding.action, id(active.node)))
            key = self.app.get_key_display(binding)
            run = partial(self.app.run_action, binding.action, active.node)
            name = binding.tooltip or binding.description  # the footer's word, or a sentence
            yield name, run, f"key: {key}"
        papers = self._papers()
        if papers is not None:
            yield (
                "Import a file…",
                partial(import_file, papers),
                "A .bib, CSL-JSON, Zotero or papis library, saved listings",
            )
            yield (
                "Export this search…",
                partial(export_list, papers),
                "The papers listed as BibTeX, CSL-JSON, Markdown, JSON or CSV",
            )
            for entry in papers.saved.entries:
                name = f"Search: {one_line(entry.name)}"
                yield name, partial(papers.open_search, entry), "Open this search"
        for theme in sorted(self.app.available_themes):
            if theme != "textual-ansi":
                yield f"Theme: {theme}", partial(setattr, self.app, "theme", theme), "Switch theme"

    async def discover(self) -> Hits:
        for name, command, help_text in self._fixed():
            yield DiscoveryHit(Content(name), command, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._fixed():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, highlight(matcher, name), command, text=name, help=help_text)
        papers = self._papers()
        if papers is None or len(query.strip()) < 3:
            return
        try:
            result = await asyncio.to_thread(
                papers.data.locked, lambda library: library.search(query, limit=_PAPER_HITS)
            )
        except Exception:  # a query the search cannot use simply finds no papers here
            return
        for rank, hit in enumerate(result.results):
            title = one_line(hit.title)
            score = max(matcher.match(title), 0.5 - rank / (2 * _PAPER_HITS))
            help_text = f"Paper {hit.id}" if _SAFE_ID.fullmatch(hit.id) else "Paper"
            command = partial(papers.show_paper, hit.id)
            yield Hit(
                score, highlight(matcher, f"Paper: {title}"), command, text=title, help=help_text
            )
