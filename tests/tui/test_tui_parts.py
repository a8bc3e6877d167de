"""The pure parts of the TUI: block fetching, fitting text to cells, finding matched words."""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style

from reader.core.model import Paper
from reader.tui.rowcache import RowCache
from reader.tui.textspans import one_line, plain
from reader.tui.widgets.paper_list import fit
from reader.tui.widgets.status_line import StatusLine


class Store:
    """A stand-in for the store's block fetch that counts what it was asked for."""

    def __init__(self, count: int) -> None:
        self.papers = {f"p{i}": Paper(id=f"p{i}", title=f"Paper {i}") for i in range(count)}
        self.asked: list[list[str]] = []

    def fetch(self, ids: list[str]) -> dict[str, Paper]:
        self.asked.append(ids)
        return {pid: self.papers[pid] for pid in ids if pid in self.papers}


def test_rows_come_in_blocks_and_the_cache_is_bounded() -> None:
    store = Store(1000)
    rows = RowCache(store.fetch, block_size=100, max_blocks=3)
    rows.reset([f"p{i}" for i in range(1000)])
    assert rows.get(5).title == "Paper 5"  # type: ignore[union-attr]
    assert rows.get(99).title == "Paper 99"  # type: ignore[union-attr]
    assert len(store.asked) == 1 and len(store.asked[0]) == 100
    for row in (150, 250, 350):
        rows.get(row)
    assert rows.fetches == 4
    rows.get(5)  # block 0 was evicted (least recently used) and is fetched again
    assert rows.fetches == 5
    rows.get(355)  # block 3 is still cached
    assert rows.fetches == 5
    assert rows.get(1000) is None and rows.get(-1) is None


def test_a_paper_gone_from_the_store_is_an_empty_row() -> None:
    store = Store(10)
    rows = RowCache(store.fetch)
    rows.reset(["p1", "gone", "p2"])
    assert rows.get(1) is None
    assert rows.get(2).id == "p2"  # type: ignore[union-attr]
    assert rows.index_of("p2") == 2 and rows.index_of("nope") is None


def test_fit_pads_or_cuts_to_exact_cells_with_wide_characters() -> None:
    style = Style()
    for text in ("short", "a much longer title than fits", "全角の文字が入ったタイトル", ""):
        for width in (1, 5, 12, 40):
            segments = fit([(text, style)], width, style)
            assert sum(cell_len(s.text) for s in segments) == width, (text, width)
    cut = "".join(s.text for s in fit([("abcdefghij", style)], 6, style))
    assert cut == "abcde…"


def test_plain_removes_escapes_and_controls_but_keeps_markup_characters() -> None:
    assert plain("a\x1b[2Jb\x07c\u202ed") == "a[2Jbcd"
    assert one_line("[bold]x[/]\n\ty") == "[bold]x[/] y"


def test_sources_are_file_names_and_the_sites_of_fetched_pages() -> None:
    from reader.tui.widgets.paper_detail import source_names

    paper = Paper(
        id="2303.06296",
        title="t",
        sources=[
            "/home/me/pages/003_b808224b72fee1bc.txt:12",
            "https://huggingface.co/api/daily_papers?date=2024-03-11&limit=100&p=0",
            "https://huggingface.co/api/daily_papers?date=2024-03-10&limit=100&p=0",
            "http://export.arxiv.org/api/query?search_query=all%3Aoperator&start=0",
        ],
    )
    assert source_names(paper) == [
        "003_b808224b72fee1bc.txt:12",
        "huggingface.co",
        "export.arxiv.org",
    ]


def test_what_is_under_way_leads_the_status_line() -> None:
    """The line is cut at the list's width: with the detail beside the list, a big index being
    built was past the cut, and the user saw only the counts of papers they could not search."""
    status = StatusLine()
    status.total, status.sort, status.took_ms = 1_000_000, "date added", 46.0
    assert str(status.render()) == "1,000,000 papers · sorted by date added · 46 ms"
    status.indexing = True
    assert str(status.render()).startswith("building the search index…  1,000,000 papers")
    status.indexing, status.searching, status.checking = False, True, True
    said = str(status.render())
    assert said.startswith("Checking the store after an unclean end…  searching…  1,000,000")
