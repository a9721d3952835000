"""Lexical correction of a recognizer's known letter confusions (for Fraktur: e/c, k/f, I/J, ſ/f).

A Fraktur model confuses letters that blackletter draws alike: e and c, k and f, R and N, B and
V, I and J (one letter in Fraktur), and reads the tz ligature as ß. Where a recognized word is
no word of the language (a frequency list, `wordfreq`) but putting one or two of its letters
back through the confusion table gives a common word, the common word is taken. Words the list
knows, however rare, are never touched, nor are words with no common neighbour (names, numbers).
Both sides of the table are the engine's habits, so it is chosen per engine and script in the
settings (`ocr.lexicon`), off unless a preset turns it on.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

from .dehyphenate import zipf
from .model import Page

_WORD = re.compile(r"[^\W\d_]+")


def parse_confusions(entries: list[str]) -> dict[str, list[str]]:
    """`["f=k|ſ", "ß=tz"]` → `{"f": ["k", "ſ"], "ß": ["tz"]}`: what each read letter may have been."""
    table: dict[str, list[str]] = {}
    for entry in entries:
        read, sep, meant = str(entry).partition("=")
        if not sep or len(read) != 1 or not meant:
            raise ValueError(f"ocr.lexicon.confusions: {entry!r} is not LETTER=WAS|WAS")
        table.setdefault(read, []).extend(m for m in meant.split("|") if m)
    return table


class Corrector:
    """Corrects words of one language through one confusion table (`letter → [replacements]`)."""

    def __init__(self, language: str, confusions: dict[str, list[str]], known: float, common: float,
                 max_changes: int) -> None:
        self.language, self.known, self.common, self.max_changes = language, known, common, max_changes
        self.confusions = confusions

    @functools.lru_cache(maxsize=65536)  # noqa: B019 (one corrector a worker, kept for its life)
    def word(self, word: str) -> str:
        """`word`, or the most common word one or two confusions away from it if it is no word."""
        if len(word) < 3 or zipf(word, self.language) >= self.known:
            return word
        places = [i for i, ch in enumerate(word) if ch in self.confusions]
        best, best_zipf = word, self.common
        for changes in range(1, self.max_changes + 1):
            for chosen in itertools.combinations(places, changes):
                for replacements in itertools.product(*(self.confusions[word[i]] for i in chosen)):
                    letters = list(word)
                    for i, replacement in zip(chosen, replacements):
                        letters[i] = replacement
                    candidate = "".join(letters)
                    z = zipf(candidate, self.language)
                    if z > best_zipf:
                        best, best_zipf = candidate, z
            if best != word:
                break  # the fewest changes win
        return best

    def text(self, text: str) -> str:
        return _WORD.sub(lambda m: self.word(m.group(0)), text)


def corrector(cfg: dict[str, Any]) -> Corrector | None:
    settings = cfg["ocr"]["lexicon"]
    if not settings["enabled"]:
        return None
    language = settings["language"] or cfg["dehyphenate"]["languages"][0]
    return _corrector(language, tuple(settings["confusions"]), float(settings["known"]),
                      float(settings["common"]), int(settings["max_changes"]))


@functools.cache
def _corrector(language: str, confusions: tuple[str, ...], known: float, common: float,
               max_changes: int) -> Corrector:
    return Corrector(language, parse_confusions(list(confusions)), known, common, max_changes)


def correct_page(page: Page, cfg: dict[str, Any]) -> Page:
    """Every line's text and its words' texts through the corrector, if one is configured."""
    fix = corrector(cfg)
    if fix is None:
        return page
    changed = 0
    for block in page.blocks:
        for line in block.lines:
            new = fix.text(line.text)
            changed += new != line.text
            line.text = new
            for word in line.words:
                word.text = fix.text(word.text)
    page.metadata["lexicon_lines_changed"] = changed
    return page
