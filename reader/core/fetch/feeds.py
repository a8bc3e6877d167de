"""Saved feeds and fetch settings from the config file, checked with file:line errors.

    fetch:                       # all optional
      hf_url: https://huggingface.co             # or $READER_HF_URL
      arxiv_url: http://export.arxiv.org/api/query  # or $READER_ARXIV_URL
      arxiv_delay: 3             # seconds between arXiv requests; at least 3
      pdf_url: https://arxiv.org/pdf   # or $READER_PDF_URL; a paper's PDF is <pdf_url>/<id>
      pdf_max_mb: 100            # the largest PDF downloaded (1 to 2000)
      deadline: 300              # seconds for one request, however slowly it arrives
    feeds:
      - hf: {days: 1}            # or {date: 2024-03-11}
      - arxiv: {query: "all:diffusion", category: cs.LG, max: 100}

The file is read as yaml.safe_load reads it (reader.core.settings.yaml_positions, which also
keeps where each key sits), so every error names FILE:LINE:COL. Other top-level keys belong to
reader.core.settings.config and are not looked at here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reader.core.fetch import arxiv, hf, pdf
from reader.core.fetch.http import DEADLINE, check_url
from reader.core.settings import KeyPath, Loaded, YamlFileError, load_file

HF_URL_ENV = "READER_HF_URL"
ARXIV_URL_ENV = "READER_ARXIV_URL"
PDF_URL_ENV = "READER_PDF_URL"
_FETCH_KEYS = ("hf_url", "arxiv_url", "arxiv_delay", "deadline", "pdf_url", "pdf_max_mb")


class ConfigError(Exception):
    """The config cannot be used; str() is 'file:line: what is wrong'."""


@dataclass(frozen=True, slots=True)
class HfFeed:
    """Hugging Face Daily Papers: the last `days` days, or one given date."""

    days: int = 1
    date: date | None = None

    def dates(self, today: date) -> list[date]:
        return [self.date] if self.date else hf.days_back(self.days, today)

    @property
    def label(self) -> str:
        if self.date:
            return f"hf {self.date.isoformat()}"
        return f"hf last {self.days} day{'s' if self.days != 1 else ''}"


@dataclass(frozen=True, slots=True)
class ArxivFeed:
    """An arXiv query, newest submissions first, up to `max` results."""

    query: str = ""
    category: str | None = None
    max: int = 100

    @property
    def label(self) -> str:
        return f"arxiv {arxiv.search_query(self.query, self.category)}"


Feed = HfFeed | ArxivFeed


@dataclass(frozen=True, slots=True)
class FetchSettings:
    hf_url: str = hf.HF_URL
    arxiv_url: str = arxiv.ARXIV_URL
    arxiv_delay: float = arxiv.MIN_DELAY
    deadline: float = DEADLINE  # seconds for one request, headers and body
    feeds: tuple[Feed, ...] = ()
    pdf_url: str = pdf.PDF_URL
    pdf_max_mb: int = pdf.MAX_PDF_MB


def load_settings(config_file: Path, env: Mapping[str, str] | None = None) -> FetchSettings:
    """Settings from config_file (missing: defaults), with the URL env vars on top."""
    env = os.environ if env is None else env
    loaded = _load(config_file)
    data = loaded.data if loaded and loaded.data is not None else {}
    if not isinstance(data, dict):
        raise ConfigError(f"{config_file}: the config must be a mapping of settings (key: value)")
    check = _Checker(loaded or Loaded(config_file, None, None))
    fetch = check.mapping(data.get("fetch"), ("fetch",), _FETCH_KEYS)
    hf_url = check.url(fetch.get("hf_url"), ("fetch", "hf_url")) or hf.HF_URL
    arxiv_url = check.url(fetch.get("arxiv_url"), ("fetch", "arxiv_url")) or arxiv.ARXIV_URL
    delay = arxiv.MIN_DELAY
    if "arxiv_delay" in fetch:
        delay = check.number(fetch["arxiv_delay"], ("fetch", "arxiv_delay"), arxiv.MIN_DELAY, 600)
    pdf_url = check.url(fetch.get("pdf_url"), ("fetch", "pdf_url")) or pdf.PDF_URL
    pdf_max_mb = pdf.MAX_PDF_MB
    if "pdf_max_mb" in fetch:
        pdf_max_mb = check.whole(fetch["pdf_max_mb"], ("fetch", "pdf_max_mb"), 1, 2000)
    deadline = DEADLINE
    if "deadline" in fetch:
        deadline = check.number(fetch["deadline"], ("fetch", "deadline"), 1, 3600)
    return FetchSettings(
        hf_url=_env_url(env, HF_URL_ENV) or hf_url,
        arxiv_url=_env_url(env, ARXIV_URL_ENV) or arxiv_url,
        arxiv_delay=delay,
        deadline=deadline,
        feeds=check.feeds(data.get("feeds")),
        pdf_url=_env_url(env, PDF_URL_ENV) or pdf_url,
        pdf_max_mb=pdf_max_mb,
    )


def _env_url(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    try:
        return check_url(value).rstrip("/")
    except ValueError as error:
        raise ConfigError(f"${name}: {error}") from None


def _load(config_file: Path) -> Loaded | None:
    try:
        return load_file(config_file)
    except FileNotFoundError:
        return None
    except YamlFileError as error:
        raise ConfigError(str(error)) from None
    except ValueError as error:  # a YAML date that is no date, e.g. 2024-02-30
        raise ConfigError(f"{config_file}: not valid YAML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{config_file}: cannot read: {error.strerror or error}") from None


def _dotted(path: KeyPath) -> str:
    """("feeds", 2, "hf", "days") -> "hf.days": the name the user wrote, without positions."""
    names = [str(part) for part in path if isinstance(part, str)]
    return ".".join(names[1:] if names[0] == "feeds" and len(names) > 1 else names)


class _Checker:
    """Checks values as safe_load gave them; every complaint carries FILE:LINE:COL."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded

    def fail(self, path: KeyPath, message: str) -> ConfigError:
        return ConfigError(f"{self.loaded.where(path)}: {message}")

    def mapping(self, value: object, path: KeyPath, allowed: tuple[str, ...]) -> dict[str, object]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(path, f"{_dotted(path)} must be a mapping, not {value!r}")
        for key in value:
            if key not in allowed:
                raise self.fail(
                    (*path, str(key)),
                    f"{_dotted(path)}: unknown key {key!r} (known: {', '.join(allowed)})",
                )
        return value

    def url(self, value: object, path: KeyPath) -> str | None:
        if value is None:
            return None
        try:
            return check_url(value if isinstance(value, str) else "").rstrip("/")
        except ValueError:
            raise self.fail(
                path, f"{_dotted(path)} must be an http(s) URL, not {value!r}"
            ) from None

    def number(self, value: object, path: KeyPath, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(path, f"{_dotted(path)} must be a number, not {value!r}")
        if not low <= value <= high:
            raise self.fail(
                path, f"{_dotted(path)} must be between {low:g} and {high:g}, not {value:g}"
            )
        return float(value)

    def whole(self, value: object, path: KeyPath, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"{_dotted(path)} must be a whole number, not {value!r}")
        if not low <= value <= high:
            raise self.fail(path, f"{_dotted(path)} must be between {low} and {high}, not {value}")
        return value

    def text(self, value: object, path: KeyPath) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, f"{_dotted(path)} must be non-empty text, not {value!r}")
        return value.strip()

    def feeds(self, value: object) -> tuple[Feed, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(("feeds",), "feeds must be a list, e.g. [{hf: {days: 1}}]")
        return tuple(self.feed(item, ("feeds", n)) for n, item in enumerate(value))

    def feed(self, item: object, path: KeyPath) -> Feed:
        if not isinstance(item, dict) or len(item) != 1:
            raise self.fail(path, "a feed is a mapping with one key, hf or arxiv")
        ((kind, body),) = item.items()
        if kind == "hf":
            return self.hf_feed(body, (*path, "hf"))
        if kind == "arxiv":
            return self.arxiv_feed(body, (*path, "arxiv"))
        raise self.fail((*path, str(kind)), f"unknown feed {kind!r} (known: hf, arxiv)")

    def hf_feed(self, body: object, path: KeyPath) -> HfFeed:
        fields = self.mapping(body, path, ("days", "date"))
        if "days" in fields and "date" in fields:
            raise self.fail(path, "hf takes days or date, not both")
        if "date" in fields:
            return HfFeed(date=self.day(fields["date"], (*path, "date")))
        if "days" in fields:
            return HfFeed(days=self.whole(fields["days"], (*path, "days"), 1, hf.MAX_DAYS))
        return HfFeed()

    def day(self, value: object, path: KeyPath) -> date:
        if type(value) is date:  # YAML reads an unquoted 2024-03-11 as a date already
            return value
        try:
            return hf.parse_date(value if isinstance(value, str) else repr(value))
        except ValueError as error:
            raise self.fail(path, f"hf.date: {error}") from None

    def arxiv_feed(self, body: object, path: KeyPath) -> ArxivFeed:
        fields = self.mapping(body, path, ("query", "category", "max"))
        query = self.text(fields["query"], (*path, "query")) if "query" in fields else ""
        category = None
        if "category" in fields:
            category = self.text(fields["category"], (*path, "category"))
            try:
                arxiv.check_category(category)
            except ValueError as error:
                raise self.fail((*path, "category"), f"arxiv.category: {error}") from None
        if not query and not category:
            raise self.fail(path, "arxiv needs a query, a category, or both")
        size = 100
        if "max" in fields:
            size = self.whole(fields["max"], (*path, "max"), 1, arxiv.MAX_RESULTS)
        return ArxivFeed(query=query, category=category, max=size)
