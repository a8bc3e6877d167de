"""Argument types the commands share: a bad value is one line in the user's words."""

from __future__ import annotations

import argparse


def whole(text: str, low: int, high: int | None = None) -> int:
    """A whole number from `low` to `high` (no upper bound when None)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise argparse.ArgumentTypeError(f"must be {bound}, not {value}")
    return value


def positive(text: str) -> int:
    """A count of 1 or more (--limit)."""
    return whole(text, 1)
