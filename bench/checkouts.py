"""`--checkout NAME=PATH`, shared by the scripts that compare versions of reader in turn: a
checkout is a folder holding a `reader` package (a git worktree, or `git archive REV reader`
unpacked), put first on PYTHONPATH for the runs measured under NAME."""

from __future__ import annotations

import argparse


def add_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--checkout", action="append", default=[], metavar="NAME=PATH",
        help="a folder holding a reader package to measure (repeatable; default: this reader)",
    )  # fmt: skip


def named(specs: list[str]) -> list[tuple[str, str]]:
    """(name, folder) of each --checkout; ("this", "") for the reader this Python imports."""
    return [(name, path) for name, _, path in (spec.partition("=") for spec in specs)] or [
        ("this", "")
    ]
