"""The library: the one way into core for reader's faces (the CLI, the TUI, the MCP server).

A Library (facade.py) ties together the store of truth, the derived index, the user's files
and the importers; importing.py and dedupe.py bring papers in, browse.py and filters.py list
them without the index. The faces import only the names below (and the plain data types of
reader.core.model); import-linter contracts in pyproject.toml hold them to it.

The names in the first group load with this package: a search needs them, and none loads
Whoosh (the app paints its first page from the store before the index is opened). The others
(YAML settings, zips, HTTP, exports, the highlighting of a query's words) load when a face
first asks for one, through the module `__getattr__` of PEP 562, so a cold `reader search`
imports none it does not use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.lazy import later
from reader.core.library.browse import StoreView
from reader.core.library.facade import Library
from reader.core.library.filters import split_filters
from reader.core.library.index_keeper import CaughtUp, IndexCheck
from reader.core.library.sample import sample_files
from reader.core.paths import DataPaths
from reader.core.search import Hit, SearchResult, SimilarResult
from reader.core.store import Trend
from reader.core.text import strip_controls

if TYPE_CHECKING:
    from reader.core.backup import (
        BackupError,
        create_backup,
        daily_backup_due,
        daily_path,
        ensure_daily_backup,
        restore_backup,
        start_daily_backup,
    )
    from reader.core.digest import FORMATS as DIGEST_FORMATS
    from reader.core.digest import render as render_digest
    from reader.core.durable import atomic_write_text
    from reader.core.exporters import FORMATS as EXPORT_FORMATS
    from reader.core.exporters import annotate
    from reader.core.exporters import render as render_export
    from reader.core.fetch.arxiv import MAX_RESULTS as ARXIV_MAX_RESULTS
    from reader.core.fetch.arxiv import check_category as check_arxiv_category
    from reader.core.fetch.cache import ValidatorCache
    from reader.core.fetch.feeds import ArxivFeed, Feed, FetchSettings, HfFeed
    from reader.core.fetch.feeds import ConfigError as FeedConfigError
    from reader.core.fetch.feeds import load_settings as load_fetch_settings
    from reader.core.fetch.hf import MAX_DAYS as HF_MAX_DAYS
    from reader.core.fetch.hf import parse_date as parse_hf_date
    from reader.core.fetch.http import FetchError
    from reader.core.fetch.pdf import Downloaded, PdfCancelled, PdfError
    from reader.core.fetch.runner import FeedResult, planned_pages, run_feeds
    from reader.core.library.digest import make_digest
    from reader.core.library.digest import mark_made as mark_digest_made
    from reader.core.library.digest import parse_since as parse_digest_since
    from reader.core.library.reading import QueueEntry, Reading, Summary
    from reader.core.library.watching import FeedView, Watched, Watching, author_query
    from reader.core.recommend import NO_SIGNALS, ForYouHit, ForYouResult
    from reader.core.search import match_spans
    from reader.core.settings import (
        COLOUR_FIELDS,
        Config,
        ThemeSet,
        choose_theme,
        load_config,
        load_themes,
        save_theme_choice,
    )
    from reader.core.tools import ToolCancelled, ToolError
    from reader.core.userdata import NotIndexed, SaveError, UserData, UserFileError
    from reader.core.userdata.safe_names import encode as safe_file_name

# name here -> (module, name there), imported on first use
_LATER: dict[str, tuple[str, str]] = {
    # backups
    "BackupError": ("reader.core.backup", "BackupError"),
    "create_backup": ("reader.core.backup", "create_backup"),
    "daily_backup_due": ("reader.core.backup", "daily_backup_due"),
    "daily_path": ("reader.core.backup", "daily_path"),
    "ensure_daily_backup": ("reader.core.backup", "ensure_daily_backup"),
    "restore_backup": ("reader.core.backup", "restore_backup"),
    "start_daily_backup": ("reader.core.backup", "start_daily_backup"),
    # exports
    "EXPORT_FORMATS": ("reader.core.exporters", "FORMATS"),
    "annotate": ("reader.core.exporters", "annotate"),
    "render_export": ("reader.core.exporters", "render"),
    # fetching
    "ARXIV_MAX_RESULTS": ("reader.core.fetch.arxiv", "MAX_RESULTS"),
    "check_arxiv_category": ("reader.core.fetch.arxiv", "check_category"),
    "ValidatorCache": ("reader.core.fetch.cache", "ValidatorCache"),
    "ArxivFeed": ("reader.core.fetch.feeds", "ArxivFeed"),
    "Feed": ("reader.core.fetch.feeds", "Feed"),
    "FeedConfigError": ("reader.core.fetch.feeds", "ConfigError"),
    "FetchSettings": ("reader.core.fetch.feeds", "FetchSettings"),
    "HfFeed": ("reader.core.fetch.feeds", "HfFeed"),
    "load_fetch_settings": ("reader.core.fetch.feeds", "load_settings"),
    "HF_MAX_DAYS": ("reader.core.fetch.hf", "MAX_DAYS"),
    "parse_hf_date": ("reader.core.fetch.hf", "parse_date"),
    "FeedResult": ("reader.core.fetch.runner", "FeedResult"),
    "planned_pages": ("reader.core.fetch.runner", "planned_pages"),
    "run_feeds": ("reader.core.fetch.runner", "run_feeds"),
    # highlighting a query's words (the index's analysis: Whoosh)
    "match_spans": ("reader.core.search", "match_spans"),
    # For you
    "ForYouHit": ("reader.core.recommend", "ForYouHit"),
    "ForYouResult": ("reader.core.recommend", "ForYouResult"),
    "NO_SIGNALS": ("reader.core.recommend", "NO_SIGNALS"),
    # settings and themes
    "COLOUR_FIELDS": ("reader.core.settings", "COLOUR_FIELDS"),
    "Config": ("reader.core.settings", "Config"),
    "ThemeSet": ("reader.core.settings", "ThemeSet"),
    "choose_theme": ("reader.core.settings", "choose_theme"),
    "load_config": ("reader.core.settings", "load_config"),
    "load_themes": ("reader.core.settings", "load_themes"),
    "save_theme_choice": ("reader.core.settings", "save_theme_choice"),
    # the user's files
    "atomic_write_text": ("reader.core.durable", "atomic_write_text"),
    "NotIndexed": ("reader.core.userdata", "NotIndexed"),
    "SaveError": ("reader.core.userdata", "SaveError"),
    "UserData": ("reader.core.userdata", "UserData"),
    "UserFileError": ("reader.core.userdata", "UserFileError"),
    "safe_file_name": ("reader.core.userdata.safe_names", "encode"),
    # the daily loop: follows and mutes, the digest, the queue, PDFs, summaries
    "FeedView": ("reader.core.library.watching", "FeedView"),
    "Watched": ("reader.core.library.watching", "Watched"),
    "Watching": ("reader.core.library.watching", "Watching"),
    "author_query": ("reader.core.library.watching", "author_query"),
    "DIGEST_FORMATS": ("reader.core.digest", "FORMATS"),
    "render_digest": ("reader.core.digest", "render"),
    "make_digest": ("reader.core.library.digest", "make_digest"),
    "mark_digest_made": ("reader.core.library.digest", "mark_made"),
    "parse_digest_since": ("reader.core.library.digest", "parse_since"),
    "QueueEntry": ("reader.core.library.reading", "QueueEntry"),
    "Reading": ("reader.core.library.reading", "Reading"),
    "Summary": ("reader.core.library.reading", "Summary"),
    "Downloaded": ("reader.core.fetch.pdf", "Downloaded"),
    "PdfCancelled": ("reader.core.fetch.pdf", "PdfCancelled"),
    "PdfError": ("reader.core.fetch.pdf", "PdfError"),
    "FetchError": ("reader.core.fetch.http", "FetchError"),
    "ToolCancelled": ("reader.core.tools", "ToolCancelled"),
    "ToolError": ("reader.core.tools", "ToolError"),
}

__all__ = [  # the eager names above, then every name of _LATER
    "ARXIV_MAX_RESULTS",
    "COLOUR_FIELDS",
    "DIGEST_FORMATS",
    "EXPORT_FORMATS",
    "HF_MAX_DAYS",
    "NO_SIGNALS",
    "ArxivFeed",
    "BackupError",
    "CaughtUp",
    "Config",
    "DataPaths",
    "Downloaded",
    "Feed",
    "FeedConfigError",
    "FeedResult",
    "FeedView",
    "FetchError",
    "FetchSettings",
    "ForYouHit",
    "ForYouResult",
    "HfFeed",
    "Hit",
    "IndexCheck",
    "Library",
    "NotIndexed",
    "PdfCancelled",
    "PdfError",
    "QueueEntry",
    "Reading",
    "SaveError",
    "SearchResult",
    "SimilarResult",
    "StoreView",
    "Summary",
    "ThemeSet",
    "ToolCancelled",
    "ToolError",
    "Trend",
    "UserData",
    "UserFileError",
    "ValidatorCache",
    "Watched",
    "Watching",
    "annotate",
    "atomic_write_text",
    "author_query",
    "check_arxiv_category",
    "choose_theme",
    "create_backup",
    "daily_backup_due",
    "daily_path",
    "ensure_daily_backup",
    "load_config",
    "load_fetch_settings",
    "load_themes",
    "make_digest",
    "mark_digest_made",
    "match_spans",
    "parse_digest_since",
    "parse_hf_date",
    "planned_pages",
    "render_digest",
    "render_export",
    "restore_backup",
    "run_feeds",
    "safe_file_name",
    "sample_files",
    "save_theme_choice",
    "split_filters",
    "start_daily_backup",
    "strip_controls",
]


__getattr__ = later(__name__, _LATER)
