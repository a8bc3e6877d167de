"""Paper identity: versionless arXiv ids from any spelling, stable ids from titles."""

from __future__ import annotations

import pytest

from reader.core.ids import arxiv_id, is_title_id, title_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2401.12345", "2401.12345"),
        ("2401.12345v3", "2401.12345"),
        ("0704.0001", "0704.0001"),
        ("arXiv:1706.03762v7", "1706.03762"),
        ("http://arxiv.org/abs/1706.03762v7", "1706.03762"),
        ("https://arxiv.org/pdf/2106.09685v2.pdf", "2106.09685"),
        ("hep-th/9711200", "hep-th/9711200"),
        ("http://arxiv.org/abs/hep-ex/0307015v1", "hep-ex/0307015"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("arXiv:cond-mat/0601001v2", "cond-mat/0601001"),
        ("2413.12345", None),  # month 13
        ("2400.12345", None),  # month 00
        ("12401.12345", None),
        ("2401.123", None),
        ("", None),
        (None, None),
        ("no id here", None),
        ("10.1103/PhysRevD.76.013009", None),
    ],
)
def test_arxiv_id(text: str | None, expected: str | None) -> None:
    assert arxiv_id(text) == expected


def test_title_id_is_stable_across_spellings() -> None:
    one = title_id("Attention Is All You Need")
    assert one == title_id("  attention is all you need! ")
    assert one == title_id("ATTENTION—IS ALL YOU NEED")
    assert one != title_id("Attention Is Not All You Need")
    assert is_title_id(one) and one.startswith("t:") and len(one) == 14
    assert not is_title_id("1706.03762")
