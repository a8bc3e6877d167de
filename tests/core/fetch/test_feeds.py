"""Saved feeds and fetch settings: the config shape, env overrides and file:line errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reader.core.fetch.feeds import ArxivFeed, ConfigError, HfFeed, load_settings

NO_ENV: dict[str, str] = {}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_file_means_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.yaml", NO_ENV)
    assert settings.hf_url == "https://huggingface.co"
    assert settings.arxiv_url == "http://export.arxiv.org/api/query"
    assert settings.arxiv_delay == 3.0  # arXiv's requested pace is the default
    assert settings.feeds == ()


def test_feeds_and_settings_are_read(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        "theme: dark   # another part of reader's config: ignored here\n"
        "fetch:\n"
        "  hf_url: http://mirror.example/hf/\n"
        "  arxiv_delay: 5\n"
        "feeds:\n"
        "  - hf: {days: 2}\n"
        "  - hf:\n"
        "  - hf: {date: 2024-03-11}\n"
        '  - arxiv: {query: "all:diffusion", category: cs.LG, max: 50}\n'
        "  - arxiv: {category: hep-th}\n",
    )
    settings = load_settings(config, NO_ENV)
    assert settings.hf_url == "http://mirror.example/hf"
    assert settings.arxiv_delay == 5.0
    assert settings.feeds == (
        HfFeed(days=2),
        HfFeed(days=1),
        HfFeed(date=date(2024, 3, 11)),
        ArxivFeed(query="all:diffusion", category="cs.LG", max=50),
        ArxivFeed(query="", category="hep-th", max=100),
    )
    assert [feed.label for feed in settings.feeds] == [
        "hf last 2 days",
        "hf last 1 day",
        "hf 2024-03-11",
        "arxiv (all:diffusion) AND cat:cs.LG",
        "arxiv cat:hep-th",
    ]


def test_env_vars_override_the_config(tmp_path: Path) -> None:
    config = write(tmp_path, "fetch: {hf_url: 'http://a.example', arxiv_url: 'http://b.example'}\n")
    env = {"READER_HF_URL": "http://127.0.0.1:8000/", "READER_ARXIV_URL": "http://127.0.0.1:9/q"}
    settings = load_settings(config, env)
    assert (settings.hf_url, settings.arxiv_url) == (
        "http://127.0.0.1:8000",
        "http://127.0.0.1:9/q",
    )
    with pytest.raises(ConfigError, match=r"^\$READER_HF_URL: not an http\(s\) URL: 'file:///x'"):
        load_settings(config, {"READER_HF_URL": "file:///x"})


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("fetch:\n  arxiv_delay: 1\n", 2, "fetch.arxiv_delay must be between 3 and 600, not 1"),
        ("fetch:\n  hf_url: file:///etc\n", 2, "fetch.hf_url must be an http(s) URL"),
        ("fetch:\n  arxiv_dealy: 5\n", 2, "fetch: unknown key 'arxiv_dealy' (known: hf_url,"),
        ("feeds: {hf: {}}\n", 1, "feeds must be a list"),
        ("feeds:\n  - hf: {days: 1}\n  - rss: {url: x}\n", 3, "unknown feed 'rss'"),
        ("feeds:\n  - {hf: {}, arxiv: {query: x}}\n", 2, "a feed is a mapping with one key"),
        ("feeds:\n  - hf: {days: 0}\n", 2, "hf.days must be between 1 and 60, not 0"),
        ("feeds:\n  - hf: {days: two}\n", 2, "hf.days must be a whole number, not 'two'"),
        ("feeds:\n  - hf: {days: 1, date: 2024-01-01}\n", 2, "hf takes days or date, not both"),
        ("feeds:\n  - hf: {date: '2024-02-30'}\n", 2, "hf.date: not a real date"),
        ("feeds:\n  - hf: {date: 2024-02-30}\n", None, "not valid YAML: day is out of range"),
        ("feeds:\n  - hf: {weeks: 1}\n", 2, "hf: unknown key 'weeks' (known: days, date)"),
        ("feeds:\n  -\n    arxiv:\n      max: 5\n", 3, "arxiv needs a query, a category, or both"),
        (
            "feeds:\n  - arxiv:\n      query: x\n      category: 'cs LG'\n",
            4,
            "arxiv.category: not an arXiv category",
        ),
        ("feeds:\n  - arxiv: {query: x, max: 100000}\n", 2, "arxiv.max must be between 1"),
        ("feeds: [hf\n", 2, "not valid YAML"),
        ("feeds:\n  - hf:\n      days: !!python/name:os.system\n", 3, "not valid YAML"),
        ("- just\n- a list\n", None, "the config must be a mapping"),
    ],
)
def test_bad_config_names_file_and_line(
    tmp_path: Path, text: str, line: int | None, message: str
) -> None:
    config = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(config, NO_ENV)
    where = f"{config}:{line}:" if line else f"{config}: "
    assert str(caught.value).startswith(where)
    assert message in str(caught.value)


def test_the_request_deadline_is_a_setting(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.yaml", NO_ENV).deadline == 300.0
    config = write(tmp_path, "fetch:\n  deadline: 20\n")
    assert load_settings(config, NO_ENV).deadline == 20.0
    config = write(tmp_path, "fetch:\n  deadline: 0\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(config, NO_ENV)
    assert str(raised.value) == f"{config}:2:3: fetch.deadline must be between 1 and 3600, not 0"
