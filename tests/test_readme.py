"""Every `reader` command in the README's shell blocks works as written on the sample library.

The library is what set-up command 1 makes (the app imports the sample at its first start), in
a temporary data dir. Commands run in order, in a real process each, from the checkout (so
`../shared/seeds/*.txt` means what it says); fetches go to a local fake server through the
documented environment variables, and the README's example of saved feeds is the config file.
Only what cannot run unattended is left out: the app itself and anything that opens an editor.
PDFs come from the same server (its /pdf/<id>, as arXiv's), through READER_PDF_URL.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "fetch"))

from fake_server import FakeServer  # noqa: E402

SHELL_BLOCK = re.compile(r"^```(?:sh|bash|shell)\n(.*?)^```", re.M | re.S)
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)
UNATTENDED = (("reader",), ("reader", "tui"))  # the app: driven by the TUI tests instead


def readme_commands(text: str) -> list[list[str]]:
    """The `reader ...` lines of the shell blocks, as argument lists (comments dropped)."""
    commands = []
    for block in SHELL_BLOCK.findall(text):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            unattended = tuple(words) not in UNATTENDED and "--edit" not in words
            if words[:1] == ["reader"] and unattended:
                commands.append(words)
    return commands


def test_the_readme_has_commands_to_check() -> None:
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(commands) >= 15
    assert ["reader", "search", "title:pruning lottery", "--json"] in commands


def expand(words: list[str]) -> list[str]:
    """Globs as the shell expands them (from the checkout)."""
    out: list[str] = []
    for word in words:
        matches = sorted(glob.glob(word, root_dir=ROOT)) if any(c in word for c in "*?[") else []
        out += matches or [word]
    return out


def test_every_readme_command_works_on_the_sample(tmp_path: Path, server: FakeServer) -> None:
    reader = shutil.which("reader")
    assert reader, "reader is installed by set-up command 2"
    env = {
        **os.environ,
        "READER_DATA_DIR": str(tmp_path / "data"),
        "READER_HF_URL": server.url,
        "READER_ARXIV_URL": server.url + "/api/query",
        "READER_PDF_URL": server.url + "/pdf",
        "READER_DAILY_BACKUP": "0",
        "EDITOR": "true",
        "VISUAL": "true",
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    feeds = next(block for block in YAML_BLOCK.findall(readme) if block.startswith("feeds:"))
    config = tmp_path / "data" / "config" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(feeds, encoding="utf-8")
    first = subprocess.run(
        [reader, "sample"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0, first.stderr
    failed = []
    for words in readme_commands(readme):
        args = expand(words)
        if any("../shared/" in a for a in args) and not (ROOT.parent / "shared").is_dir():
            continue  # the seeds beside the checkout (there in CI); the sample has their copy
        done = subprocess.run(
            [reader, *args[1:]],
            env=env,
            cwd=ROOT if any("../" in a for a in args) else tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            failed.append(f"{shlex.join(words)} -> {done.returncode}: {done.stderr.strip()}")
    assert failed == []
