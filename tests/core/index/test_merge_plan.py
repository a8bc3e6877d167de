"""Which segments a commit merges: small ones, never the big ones a rebuild writes."""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.index.segment_merge import FANOUT, MAX_SEGMENTS, SETTLED, plan_merges


@dataclass(eq=False)
class Segment:
    """What plan_merges asks of a Whoosh segment."""

    docs: int
    deleted: int = 0

    def doc_count(self) -> int:
        return self.docs - self.deleted

    def doc_count_all(self) -> int:
        return self.docs

    def deleted_count(self) -> int:
        return self.deleted


def test_the_next_edit_after_a_big_rebuild_merges_nothing_big() -> None:
    """A rebuild of a million papers writes dozens of segments of one size: one paper marked
    read afterwards must not rewrite them all."""
    built = [Segment(26_500) for _ in range(38)] + [Segment(16_529), Segment(174)]
    assert plan_merges([*built, Segment(1)]) == []


def test_a_full_tier_of_small_segments_merges_fanout_of_them() -> None:
    big = [Segment(SETTLED * 3) for _ in range(20)]
    small = [Segment(50 + i) for i in range(FANOUT + 3)]  # one tier: 8**1 < 50..60 < 8**2
    groups = plan_merges([*big, *small])
    assert [len(group) for group in groups] == [FANOUT]
    assert all(segment in small for segment in groups[0])


def test_too_many_small_segments_leave_at_most_max_segments() -> None:
    small = [Segment(1 + 3 * i) for i in range(MAX_SEGMENTS + 5)]  # spread over tiers
    groups = plan_merges(small)
    merged = {id(s) for group in groups for s in group}
    assert len(small) - len(merged) + len(groups) <= MAX_SEGMENTS


def test_a_big_segment_mostly_deleted_is_rewritten_alone() -> None:
    worn = Segment(26_500, deleted=12_000)
    assert plan_merges([Segment(26_500), worn, Segment(26_500)]) == [[worn]]
