"""Words within a few edits of a word, found without measuring the whole vocabulary.

Fuzzy terms (`word~1`), typo alternatives and "did you mean" all ask the same question of
hundreds of thousands of words. Words are kept by length, since only words within `maxdist`
letters of the word's length can be within `maxdist` edits of it.

Each length's words also get a mask of the letters they hold (a bit per letter; digits and
other characters share a few bits). Every edit (a swap of neighbours too) adds at most one
letter a word lacks and drops at most one it has, so a word within `maxdist` edits differs
from the word in at most `maxdist` bits each way: numpy checks that over the whole list, and
rapidfuzz measures the few words left (well under a hundredth of the list), with the answer
measuring all gives, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

Scorer = Callable[..., float]  # a rapidfuzz distance (Levenshtein.distance, OSA.distance)


class WordsByLength:
    """Words by length, and the letter masks of each length asked for (made on first use;
    two threads may both make one, and keep the same). Each length's words are a tuple: the
    garbage collector stops tracking a tuple of strings, where every full collection walked
    a list of hundreds of thousands of them."""

    def __init__(self, words: Iterable[str]) -> None:
        by_length: dict[int, list[str]] = {}
        for word in words:
            by_length.setdefault(len(word), []).append(word)
        self.by_length = {size: tuple(words) for size, words in by_length.items()}
        self._masks: dict[int, np.ndarray] = {}

    def of_length(self, size: int) -> tuple[str, ...]:
        return self.by_length.get(size, ())

    def near(self, word: str, maxdist: int, scorer: Scorer) -> list[tuple[str, int]]:
        """(word, distance) of every word within `maxdist` edits of `word`, as `scorer`
        counts them: by length, then as rapidfuzz ranks each length's."""
        from rapidfuzz import process  # loaded by the first lookup, not at start

        found: list[tuple[str, int]] = []
        for size in range(len(word) - maxdist, len(word) + maxdist + 1):
            candidates = self.candidates(word, maxdist, size)
            if candidates:
                found += [
                    (near, int(distance))
                    for near, distance, _ in process.extract(
                        word, candidates, scorer=scorer, score_cutoff=maxdist, limit=None
                    )
                ]
        return found

    def candidates(self, word: str, maxdist: int, size: int) -> list[str]:
        """The words of `size` letters whose letters differ from the word's by at most
        `maxdist` each way: every one within `maxdist` edits of it, and a few more."""
        import numpy as np  # loaded by the first lookup, not at start

        words = self.by_length.get(size)
        if not words:
            return []
        masks = self._masks.get(size)
        if masks is None:
            masks = self._masks[size] = _letter_masks(words, size)
        mask = _letter_masks([word], len(word))[0]
        added = np.bitwise_count(masks & ~mask) <= maxdist
        dropped = np.bitwise_count(mask & ~masks) <= maxdist
        return [words[i] for i in np.flatnonzero(added & dropped).tolist()]

    def prepare(self) -> None:
        """Make every length's masks now (for a caller warming up off the main thread)."""
        for size, words in self.by_length.items():
            if size not in self._masks:
                self._masks[size] = _letter_masks(words, size)


def _letter_masks(words: Sequence[str], size: int) -> np.ndarray:
    """A uint32 per word (all of `size` characters): bit n for letter a + n, bits 26 to 29
    for digits, 30 and 31 for other characters. The words are read as one UTF-32 string:
    numpy's own conversion of a list of strings is several times slower."""
    import numpy as np

    joined = "".join(words).encode("utf-32-le", "surrogatepass")
    codes = np.frombuffer(joined, dtype="<u4").reshape(len(words), size)
    bits = _ascii_bits()[np.minimum(codes, 127)]
    wide = codes > 127
    if wide.any():
        bits[wide] = np.left_shift(np.uint32(1), 30 + codes[wide] % 2, dtype=np.uint32)
    return np.bitwise_or.reduce(bits, axis=1, initial=np.uint32(0))


@cache
def _ascii_bits() -> np.ndarray:
    """The bit of each ASCII character, as `_letter_masks` gives them."""
    import numpy as np

    def bit(code: int) -> int:
        if 97 <= code <= 122:
            return code - 97
        return 26 + code % 4 if 48 <= code <= 57 else 30 + code % 2

    return np.array([1 << bit(code) for code in range(128)], dtype=np.uint32)
