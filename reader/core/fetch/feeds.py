"""Saved feeds and fetch settings from the config file, checked with file:line errors.

    fetch:                       # all optional
      hf_url: https://huggingface.co             # or $READER_HF_URL
      arxiv_url: http://export.arxiv.org/api/query  # or $READER_ARXIV_URL
      arxiv_delay: 3             # seconds between arXiv requests; at least 3
    feeds:
      - hf: {days: 1}            # or {date: 2024-03-11}
      - arxiv: {query: "all:diffusion", category: cs.LG, max: 100}

The file is read with PyYAML's SafeLoader only; its node tree is kept so that every error can
name the line it is about. Other top-level keys belong to other parts of reader and are ignored.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from reader.core.fetch import arxiv, hf
from reader.core.fetch.http import check_url

HF_URL_ENV = "READER_HF_URL"
ARXIV_URL_ENV = "READER_ARXIV_URL"


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
    feeds: tuple[Feed, ...] = ()


def load_settings(config_file: Path, env: Mapping[str, str] | None = None) -> FetchSettings:
    """Settings from config_file (missing: defaults), with the URL env vars on top."""
    env = os.environ if env is None else env
    root = _compose(config_file)
    reader = _Reader(config_file)
    keys = ("hf_url", "arxiv_url", "arxiv_delay")
    fetch = reader.mapping(_child(root, "fetch"), "fetch", keys) if root else {}
    hf_url = reader.url(fetch.get("hf_url"), "fetch.hf_url") or hf.HF_URL
    arxiv_url = reader.url(fetch.get("arxiv_url"), "fetch.arxiv_url") or arxiv.ARXIV_URL
    delay = arxiv.MIN_DELAY
    if "arxiv_delay" in fetch:
        delay = reader.number(fetch["arxiv_delay"], "fetch.arxiv_delay", arxiv.MIN_DELAY, 600)
    feeds = reader.feeds(_child(root, "feeds")) if root else ()
    return FetchSettings(
        hf_url=_env_url(env, HF_URL_ENV) or hf_url,
        arxiv_url=_env_url(env, ARXIV_URL_ENV) or arxiv_url,
        arxiv_delay=delay,
        feeds=feeds,
    )


def _env_url(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    try:
        return check_url(value).rstrip("/")
    except ValueError as error:
        raise ConfigError(f"${name}: {error}") from None


def _compose(config_file: Path) -> yaml.MappingNode | None:
    try:
        text = config_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{config_file}: cannot read: {error}") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{config_file}:{mark.line + 1}" if mark else str(config_file)
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"{where}: not valid YAML: {problem}") from None
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError(f"{config_file}:{root.start_mark.line + 1}: the config must be a mapping")
    return root


def _child(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value
    return None


class _Reader:
    """Turns nodes into checked values; every complaint carries file:line."""

    def __init__(self, config_file: Path) -> None:
        self.file = config_file

    def fail(self, node: yaml.Node, message: str) -> ConfigError:
        return ConfigError(f"{self.file}:{node.start_mark.line + 1}: {message}")

    def value(self, node: yaml.Node) -> object:
        loader = yaml.SafeLoader("")
        try:
            return loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as error:
            problem = getattr(error, "problem", None) or error
            raise self.fail(node, f"not a valid value: {problem}") from None
        finally:
            loader.dispose()

    def mapping(
        self, node: yaml.Node | None, where: str, allowed: tuple[str, ...] | None = None
    ) -> dict[str, yaml.Node]:
        if node is None or (isinstance(node, yaml.ScalarNode) and self.value(node) is None):
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{where} must be a mapping")
        out: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            key = self.value(key_node)
            if allowed is not None and key not in allowed:
                raise self.fail(
                    key_node, f"{where}: unknown key {key!r} (known: {', '.join(allowed)})"
                )
            out[str(key)] = value
        return out

    def url(self, node: yaml.Node | None, where: str) -> str | None:
        if node is None:
            return None
        value = self.value(node)
        try:
            return check_url(value if isinstance(value, str) else "").rstrip("/")
        except ValueError:
            raise self.fail(node, f"{where} must be an http(s) URL, not {value!r}") from None

    def number(self, node: yaml.Node, where: str, low: float, high: float) -> float:
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(node, f"{where} must be a number, not {value!r}")
        if not low <= value <= high:
            raise self.fail(node, f"{where} must be between {low:g} and {high:g}, not {value:g}")
        return float(value)

    def whole(self, node: yaml.Node, where: str, low: int, high: int) -> int:
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(node, f"{where} must be a whole number, not {value!r}")
        if not low <= value <= high:
            raise self.fail(node, f"{where} must be between {low} and {high}, not {value}")
        return value

    def text(self, node: yaml.Node, where: str) -> str:
        value = self.value(node)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(node, f"{where} must be non-empty text, not {value!r}")
        return value.strip()

    def feeds(self, node: yaml.Node | None) -> tuple[Feed, ...]:
        if node is None or (isinstance(node, yaml.ScalarNode) and self.value(node) is None):
            return ()
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, "feeds must be a list, e.g. [{hf: {days: 1}}]")
        return tuple(self.feed(item) for item in node.value)

    def feed(self, node: yaml.Node) -> Feed:
        kinds = self.mapping(node, "a feed", ("hf", "arxiv"))
        if len(kinds) != 1:
            raise self.fail(node, "a feed has exactly one key, hf or arxiv")
        ((kind, body),) = kinds.items()
        if kind == "hf":
            return self.hf_feed(body)
        return self.arxiv_feed(body)

    def hf_feed(self, node: yaml.Node) -> HfFeed:
        fields = self.mapping(node, "hf", ("days", "date"))
        if "days" in fields and "date" in fields:
            raise self.fail(node, "hf takes days or date, not both")
        if "date" in fields:
            return HfFeed(date=self.day(fields["date"]))
        days = self.whole(fields["days"], "hf.days", 1, hf.MAX_DAYS) if "days" in fields else 1
        return HfFeed(days=days)

    def day(self, node: yaml.Node) -> date:
        # The scalar's own text: YAML would turn an unquoted date into a date (or choke on
        # 2024-02-30) before we could say what is wrong with it.
        text = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
        try:
            return hf.parse_date(text)
        except ValueError as error:
            raise self.fail(node, f"hf.date: {error}") from None

    def arxiv_feed(self, node: yaml.Node) -> ArxivFeed:
        fields = self.mapping(node, "arxiv", ("query", "category", "max"))
        query = self.text(fields["query"], "arxiv.query") if "query" in fields else ""
        category = None
        if "category" in fields:
            category = self.text(fields["category"], "arxiv.category")
            try:
                arxiv.check_category(category)
            except ValueError as error:
                raise self.fail(fields["category"], f"arxiv.category: {error}") from None
        if not query and not category:
            raise self.fail(node, "arxiv needs a query, a category, or both")
        size = (
            self.whole(fields["max"], "arxiv.max", 1, arxiv.MAX_RESULTS) if "max" in fields else 100
        )
        return ArxivFeed(query=query, category=category, max=size)
