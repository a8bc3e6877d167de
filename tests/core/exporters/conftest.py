"""Parsing what the exporters write, as other tools do: bibtexparser and pybtex, every
complaint of either a failure."""

from __future__ import annotations

import logging
from collections.abc import Callable

import bibtexparser
import pybtex.database
import pybtex.errors
import pytest


def _parse_strictly(text: str, caplog: pytest.LogCaptureFixture) -> dict[str, dict[str, str]]:
    """key -> fields, from bibtexparser; fails on any failed block or logged warning of it,
    and on any error or warning of pybtex (strict mode)."""
    with caplog.at_level(logging.INFO, logger="bibtexparser"):
        caplog.clear()
        library = bibtexparser.parse_string(text)
        complaints = [r.getMessage() for r in caplog.records if r.name.startswith("bibtexparser")]
    assert library.failed_blocks == [], [block.error for block in library.failed_blocks]
    assert complaints == []
    strict = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)  # a warning raises
    try:
        data = pybtex.database.parse_string(text, "bibtex")
    finally:
        pybtex.errors.set_strict_mode(strict)
    assert len(data.entries) == len(library.entries)
    for entry in data.entries.values():
        for person in entry.persons.get("author", []):
            str(person)  # names parse
    return {entry.key: {f.key: f.value for f in entry.fields} for entry in library.entries}


@pytest.fixture
def parse_strictly(caplog: pytest.LogCaptureFixture) -> Callable[[str], dict[str, dict[str, str]]]:
    return lambda text: _parse_strictly(text, caplog)
