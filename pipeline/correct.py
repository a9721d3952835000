"""Word-list correction of a recognizer's known confusions (blackletter: ſ read as f or j, k as f…).

A word the language's word list does not know is tried with its confusable letters swapped;
the most frequent known form wins, provided it is a word of some currency. Known words are
never touched, so a correct reading is never made worse by the list.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from .dehyphenate import zipf

WORD = re.compile(r"[^\W\d_]+")


def _alternatives(confusions: dict[str, list[str]], ch: str) -> list[str]:
    return [ch, *confusions.get(ch, [])]


@lru_cache(maxsize=100_000)
def _correct_word(word: str, language: str, confusions_key: tuple, max_changes: int, min_zipf: float) -> str:
    confusions = {k: list(v) for k, v in confusions_key}
    if zipf(word, language) >= min_zipf or len(word) < 3:
        return word
    slots = [i for i, ch in enumerate(word) if ch in confusions]
    if not slots or len(slots) > 12:
        return word
    best, best_zipf = word, min_zipf
    # Only up to `max_changes` letters change: each more multiplies the chance of a wrong word.
    for count in range(1, max_changes + 1):
        for chosen in _combinations(slots, count):
            for swaps in product(*(confusions[word[i]] for i in chosen)):
                letters = list(word)
                for i, new in zip(chosen, swaps):
                    letters[i] = new
                candidate = "".join(letters)
                z = zipf(candidate, language)
                if z > best_zipf:
                    best, best_zipf = candidate, z
        if best != word:
            break  # the fewest changes that give a word win
    return best


def _combinations(items: list[int], count: int) -> list[tuple[int, ...]]:
    from itertools import combinations

    return list(combinations(items, count))


def correct_text(text: str, language: str, confusions: dict[str, list[str]], max_changes: int = 2,
                 min_zipf: float = 2.0) -> str:
    key = tuple(sorted((k, tuple(v)) for k, v in confusions.items()))
    return WORD.sub(lambda m: _correct_word(m.group(0), language, key, max_changes, min_zipf), text)
