"""The words of an index's segments, kept in step as segments come and go, and kept in a file
for the next process."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest

from reader.core.search import gathered_words
from reader.core.search.gathered_words import GatheredWords, Segment
from reader.core.search.words_by_length import WordsByLength

FIELDS = ("_words",)


class Segments:
    """Segments of given words, counting how often each one's words are read."""

    def __init__(self) -> None:
        self.words: dict[str, list[str]] = {}
        self.docs: dict[str, int] = {}
        self.reads: dict[str, int] = {}

    def add(self, segid: str, words: Iterable[str], docs: int = 10) -> None:
        self.words[segid], self.docs[segid], self.reads[segid] = list(words), docs, 0

    def drop(self, segid: str) -> None:
        del self.words[segid], self.docs[segid]

    def _read(self, segid: str) -> list[str]:
        self.reads[segid] += 1
        return self.words[segid]

    def current(self) -> list[Segment]:
        return [
            Segment(segid, self.docs[segid], lambda segid=segid: self._read(segid))
            for segid in self.words
        ]


def held(words: WordsByLength) -> set[str]:
    return {word for group in words.by_length.values() for word in group}


def same_masks(words: WordsByLength) -> None:
    """The masks held are those made afresh from the words, in their order."""
    for size in words.by_length:
        fresh = WordsByLength(words.of_length(size)).masks(size)
        assert np.array_equal(words.masks(size), fresh)


@pytest.fixture
def segments() -> Segments:
    made = Segments()
    made.add("a", ["lottery", "ticket", "zebra", "naïve", "x1.5"])
    made.add("b", ["zebra", "pruning", "ticket"])
    return made


def test_every_segments_words_once_with_their_masks(tmp_path: Path, segments: Segments) -> None:
    words = GatheredWords(FIELDS, tmp_path).words(segments.current())
    assert held(words) == {"lottery", "ticket", "zebra", "naïve", "x1.5", "pruning"}
    assert len(words) == 6
    same_masks(words)


def test_a_segment_that_came_is_the_only_one_read(tmp_path: Path, segments: Segments) -> None:
    gathered = GatheredWords(FIELDS, tmp_path)
    gathered.words(segments.current())
    segments.add("c", ["aardvark", "zebra"], docs=1)
    words = gathered.words(segments.current())
    assert held(words) == {"lottery", "ticket", "zebra", "naïve", "x1.5", "pruning", "aardvark"}
    assert segments.reads == {"a": 1, "b": 1, "c": 1}
    same_masks(words)
    assert gathered.words(segments.current()) is words  # unchanged segments: nothing read


def test_words_of_segments_gone_stay_until_a_tenth_of_the_papers_went(
    tmp_path: Path, segments: Segments
) -> None:
    segments.docs["a"] = 1000
    gathered = GatheredWords(FIELDS, tmp_path)
    gathered.words(segments.current())
    segments.drop("b")  # its 10 papers merged into "m", the one left of them
    segments.add("m", ["pruning"], docs=1)
    words = gathered.words(segments.current())
    assert "ticket" in held(words) and "zebra" in held(words)
    assert segments.reads == {"a": 1, "b": 1, "m": 1}  # nothing read again
    segments.drop("a")  # over a tenth of the papers gone: all gathered again
    segments.add("n", ["aardvark"], docs=1000)
    assert held(gathered.words(segments.current())) == {"pruning", "aardvark"}
    assert segments.reads["m"] == 2


def test_the_next_process_reads_the_file_not_the_segments(
    tmp_path: Path, segments: Segments
) -> None:
    first = GatheredWords(FIELDS, tmp_path).words(segments.current())
    assert (tmp_path / "words-_words.cache").is_file()
    later = GatheredWords(FIELDS, tmp_path).words(segments.current())
    assert later.by_length == first.by_length
    assert segments.reads == {"a": 1, "b": 1}
    same_masks(later)
    segments.add("c", ["aardvark"], docs=1)  # and from the file, it goes on in step
    after = GatheredWords(FIELDS, tmp_path).words(segments.current())
    assert "aardvark" in held(after) and segments.reads == {"a": 1, "b": 1, "c": 1}


def test_another_fields_file_is_another_file(tmp_path: Path, segments: Segments) -> None:
    GatheredWords(FIELDS, tmp_path).words(segments.current())
    GatheredWords(("title", "abstract"), tmp_path).words(segments.current())
    assert (tmp_path / "words-title+abstract.cache").is_file()
    assert segments.reads == {"a": 2, "b": 2}


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) - 3],  # cut short
        lambda data: data[: len(gathered_words.MAGIC) + 5],  # in its header
        lambda data: b"not a words file",
        lambda data: data.replace(b'"gone":0', b'"gone":"x"'),
        lambda data: data.replace(b'"lengths":[[', b'"lengths":[[9'),  # lengths that lie
    ],
)
def test_a_damaged_file_is_made_again(tmp_path: Path, segments: Segments, damage) -> None:
    GatheredWords(FIELDS, tmp_path).words(segments.current())
    cache = tmp_path / "words-_words.cache"
    good = cache.read_bytes()
    cache.write_bytes(damage(good))
    words = GatheredWords(FIELDS, tmp_path).words(segments.current())
    assert held(words) == {"lottery", "ticket", "zebra", "naïve", "x1.5", "pruning"}
    assert segments.reads == {"a": 2, "b": 2}
    assert cache.read_bytes() == good


def test_without_a_folder_to_write_the_words_are_still_gathered(
    tmp_path: Path, segments: Segments
) -> None:
    missing = tmp_path / "gone"
    assert len(GatheredWords(FIELDS, missing).words(segments.current())) == 6
    assert not missing.exists()
    assert len(GatheredWords(FIELDS, None).words(segments.current())) == 6


def test_no_segments_no_words(tmp_path: Path) -> None:
    assert len(GatheredWords(FIELDS, tmp_path).words([])) == 0
    assert len(GatheredWords(FIELDS, tmp_path).words([])) == 0  # from its (empty) file


def test_a_temp_file_a_killed_writer_left_is_removed(tmp_path: Path, segments: Segments) -> None:
    left = tmp_path / ".words-_words.cache.reader-tmp-999999999-abcd"
    left.write_bytes(b"half a file")
    GatheredWords(FIELDS, tmp_path).words(segments.current())
    assert not left.exists() and (tmp_path / "words-_words.cache").is_file()
