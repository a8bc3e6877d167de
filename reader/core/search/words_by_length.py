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

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

Scorer = Callable[..., float]  # a rapidfuzz distance (Levenshtein.distance, OSA.distance)


class WordsByLength:
    """Words by length, and the letter masks of each length asked for (made on first use;
    two threads may both make one, and keep the same). Each length's words are a tuple: the
    garbage collector stops tracking a tuple of strings, where every full collection walked
    a list of hundreds of thousands of them."""

    def __init__(
        self,
        words: Iterable[str] = (),
        *,
        by_length: dict[int, tuple[str, ...]] | None = None,
        masks: dict[int, np.ndarray] | None = None,
    ) -> None:
        """Distinct words, or words already by length (each length's sorted) with masks."""
        if by_length is None:
            grouped: dict[int, list[str]] = {}
            for word in words:
                grouped.setdefault(len(word), []).append(word)
            by_length = {size: tuple(sorted(group)) for size, group in grouped.items()}
        self.by_length = by_length
        self._masks: dict[int, np.ndarray] = dict(masks or {})

    def of_length(self, size: int) -> tuple[str, ...]:
        return self.by_length.get(size, ())

    def __len__(self) -> int:
        return sum(map(len, self.by_length.values()))

    def adding(self, words: Iterable[str]) -> WordsByLength:
        """These words and those of `words` not held yet, with every mask this one had (a new
        object: a thread reading this one meanwhile sees it unchanged). Each length's words
        are sorted, so a word is looked for, and put in its place, by bisection."""
        grouped: dict[int, set[str]] = {}
        for word in words:
            grouped.setdefault(len(word), set()).add(word)
        by_length, masks = dict(self.by_length), dict(self._masks)
        for size, group in grouped.items():
            held = by_length.get(size, ())
            new = sorted(word for word in group if not _holds(held, word))
            if not new:
                continue
            places = [bisect_left(held, word) for word in new]
            parts: list[tuple[str, ...]] = []
            last = 0
            for place, word in zip(places, new, strict=True):
                parts += (held[last:place], (word,))
                last = place
            parts.append(held[last:])
            by_length[size] = tuple(chain.from_iterable(parts))
            if size in masks:
                import numpy as np

                masks[size] = np.insert(masks[size], places, _letter_masks(new, size))
        return WordsByLength(by_length=by_length, masks=masks)

    def masks(self, size: int) -> np.ndarray:
        """The letter masks of the words of `size` letters, in their order (made once)."""
        found = self._masks.get(size)
        if found is None:
            found = self._masks[size] = _letter_masks(self.by_length.get(size, ()), size)
        return found

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
        masks = self.masks(size)
        mask = _letter_masks([word], len(word))[0]
        added = np.bitwise_count(masks & ~mask) <= maxdist
        dropped = np.bitwise_count(mask & ~masks) <= maxdist
        return [words[i] for i in np.flatnonzero(added & dropped).tolist()]

    def prepare(self) -> None:
        """Make every length's masks now (for a caller warming up off the main thread)."""
        for size in self.by_length:
            self.masks(size)


def _holds(words: tuple[str, ...], word: str) -> bool:
    """Is `word` among these sorted words?"""
    place = bisect_left(words, word)
    return place < len(words) and words[place] == word


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
