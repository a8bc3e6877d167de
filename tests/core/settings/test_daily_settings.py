"""The daily loop's settings: pdf_viewer, queue_downloads, summarize (config.yaml), and
fetch.pdf_url / fetch.pdf_max_mb with $READER_PDF_URL. Each mistake is one notice naming
FILE:LINE:COL; the rest of the file is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.fetch.feeds import ConfigError, load_settings
from reader.core.settings.commands import Summarizer
from reader.core.settings.config import load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_three_settings_read_as_commands_and_a_switch(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'pdf_viewer: "zathura --fork {path}"\n'
        "queue_downloads: true\n"
        "summarize:\n"
        "  command: \"llm -m 'my model' --system '{title}'\"\n"
        "  timeout: 90\n",
    )
    config, notices = load_config(path)

    assert notices == []
    assert config.pdf_viewer == ("zathura", "--fork", "{path}")
    assert config.queue_downloads is True
    assert config.summarize == Summarizer(("llm", "-m", "my model", "--system", "{title}"), 90.0)


def test_defaults_and_the_short_forms(tmp_path: Path) -> None:
    config, _ = load_config(tmp_path / "missing.yaml")
    assert (config.pdf_viewer, config.queue_downloads, config.summarize) == (None, False, None)

    config, notices = load_config(write(tmp_path, "summarize: [my-tool, --fast]\n"))
    assert notices == [] and config.summarize == Summarizer(("my-tool", "--fast"))


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("pdf_viewer: 'zathura \"{path}'\n", "1:1", "pdf_viewer is not a command line"),
        ("pdf_viewer: 3\n", "1:1", "pdf_viewer must be a command"),
        ("queue_downloads: yes please\n", "1:1", "queue_downloads must be true or false"),
        ("summarize:\n  timeout: 5\n", "1:1", "summarize needs a command"),
        ("summarize:\n  command: x\n  timeout: 0\n", "3:3", "summarize timeout must be"),
        ("summarize:\n  command: ''\n", "2:3", "summarize command names no program"),
        ("summarize:\n  command: x\n  model: y\n", "1:1", "unknown key 'model'"),
        ("summarise: {command: x}\n", "1:1", "did you mean 'summarize'"),
    ],
)
def test_each_mistake_is_one_notice_with_its_place(
    tmp_path: Path, text: str, where: str, words: str
) -> None:
    path = write(tmp_path, f"{text}theme: reader-light\n")
    config, notices = load_config(path)

    [notice] = notices
    assert notice.startswith(f"{path}:{where}: ") and words in notice
    assert config.theme == "reader-light"  # the rest of the file still counts


def test_pdf_url_and_cap_come_from_the_fetch_section_or_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, "fetch:\n  pdf_url: http://mirror.example/pdf/\n  pdf_max_mb: 20\n")
    settings = load_settings(path, env={})
    assert (settings.pdf_url, settings.pdf_max_mb) == ("http://mirror.example/pdf", 20)

    assert load_settings(path, env={"READER_PDF_URL": "http://127.0.0.1:9/p"}).pdf_url == (
        "http://127.0.0.1:9/p"
    )
    defaults = load_settings(tmp_path / "none.yaml", env={})
    assert (defaults.pdf_url, defaults.pdf_max_mb) == ("https://arxiv.org/pdf", 100)


@pytest.mark.parametrize(
    ("text", "env", "words"),
    [
        ("fetch:\n  pdf_url: ftp://x\n", {}, ":2:3: fetch.pdf_url must be an http(s) URL"),
        ("fetch:\n  pdf_max_mb: 0\n", {}, ":2:3: fetch.pdf_max_mb must be between 1 and 2000"),
        ("", {"READER_PDF_URL": "file:///etc"}, "$READER_PDF_URL: not an http(s) URL"),
    ],
)
def test_a_bad_pdf_setting_is_refused_with_its_place(
    tmp_path: Path, text: str, env: dict[str, str], words: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), env=env)
    assert words in str(caught.value)
