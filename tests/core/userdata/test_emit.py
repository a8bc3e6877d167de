"""The emitter: whatever text goes in as a key, value or list item reads back exactly."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from reader.core.userdata.emit import _NOT_PRINTABLE, _printable, dump, scalar
from reader.core.userdata.yamlio import parse

ALPHABET = (
    "abcXYZ019 _-./:+@#,'\"\\[]{}&*!|>%`?=~\t\n\r\x00\x07\x1b\x7f\x85\xa0é日🧪"
    "\u2028\u2029\ufeff\ufffe\U0010fffd"
)


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))


@pytest.mark.parametrize("seed", range(20))
def test_random_text_round_trips_through_dump_and_parse(seed: int) -> None:
    rng = random.Random(seed)
    data = {
        _random_text(rng) or "k": [_random_text(rng) for _ in range(rng.randint(0, 4))]
        for _ in range(40)
    }
    values = {f"v{i}": _random_text(rng) for i in range(40)}
    doc = {"version": 1, "lists": data, "values": values, "block": {"k": ["a", "b: c"]}}
    text = dump(doc, "header", flow_lists=rng.random() < 0.5)

    parsed = parse(text.encode("utf-8"), Path("x.yaml"))

    assert parsed.data == {
        "version": "1",
        "lists": data,
        "values": values,
        "block": {"k": ["a", "b: c"]},
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2401.12345", "'2401.12345'"),
        ("yes", "'yes'"),
        ("1:20", "'1:20'"),
        ("2024-05-01", "'2024-05-01'"),
        ("t:0123abcd", "t:0123abcd"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("rl", "rl"),
        ("", "''"),
        ("it's", "'it''s'"),
        ("bell\x07", '"bell\\x07"'),
    ],
)
def test_plain_only_when_it_reads_back_as_text(text: str, expected: str) -> None:
    assert scalar(text) == expected
    assert yaml.safe_load(f"k: {expected}") == {"k": text}


def test_a_key_too_long_for_one_line_uses_the_explicit_form() -> None:
    key = "\x01" * 600  # 600 escapes: 2400 characters written
    text = dump({"version": 1, "m": {key: {"a": "b"}, "short": [key]}}, "h")
    assert parse(text.encode(), Path("x")).data == {
        "version": "1",
        "m": {key: {"a": "b"}, "short": [key]},
    }


def test_the_same_data_always_gives_the_same_bytes() -> None:
    one = dump({"version": 1, "t": {"b": ["x"], "a": ["y"]}}, "h")
    two = dump({"version": 1, "t": {"a": ["y"], "b": ["x"]}}, "h")
    assert one == two == "# h\nversion: 1\nt:\n  a: [y]\n  b: [x]\n"


def test_the_printable_pattern_agrees_with_printable_on_every_character() -> None:
    disagree = [
        hex(code)
        for code in range(0x110000)
        if _printable(chr(code)) == bool(_NOT_PRINTABLE.search(chr(code)))
    ]
    assert disagree == []
