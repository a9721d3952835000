"""Breaking running Latin text into justified lines, dividing words at line ends as a compositor does.

A paragraph is broken greedily: each line takes as many words as fit with the spaces squeezed a
little; when the next word does not fit, its longest division that fits goes on the line. Words
divide where the language's hyphenation patterns allow (LibreOffice's dictionaries, through
`pyphen`) or right after a hard hyphen (`well-|known`, `20-|jährig`), never inside a word with
digits or capitals only, and inside a hyphenated compound only at its hyphens.

Each line knows how it ends, so the ground truth can carry the marks of
../shared/real/nzz-1939: a divided word `Zer¬` (printed `Zer-`), a hard hyphen at the line end
`well-¬` (printed `well-`), and nothing where the line ends between words, even after a
suspended hyphen (`Ein- und Ausgänge`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pyphen

# Short names for the dictionaries the sample texts use; any pyphen language code works too.
LANGUAGES = {"en": "en_US", "de": "de_DE"}
# Fewest letters a divided word leaves on either side of the break, by language.
MIN_LEFT = {"en": 2, "de": 2}
MIN_RIGHT = {"en": 3, "de": 2}
SHRINK = 0.8  # word spaces may shrink to this share of their natural width
DASHES = {"–", "—", "-"}  # a dash standing between spaces never starts a line

SOFT, HARD = "soft", "hard"  # how a line ends: a divided word, or a hard hyphen (compound)
MARK = "¬"


def dictionary_name(lang: str) -> str:
    """The pyphen dictionary for `lang` (`en`, `de` or a pyphen code such as `de_CH`)."""
    name = LANGUAGES.get(lang, lang)
    if name not in pyphen.LANGUAGES:
        raise ValueError(
            f"no hyphenation dictionary for language {lang!r}: use en, de or a code of pyphen.LANGUAGES "
            "(en_GB, de_CH, fr, nl_NL, …)"
        )
    return name


@cache
def _patterns(lang: str) -> pyphen.Pyphen:
    base = lang.split("_")[0]
    return pyphen.Pyphen(lang=dictionary_name(lang), left=MIN_LEFT.get(base, 2), right=MIN_RIGHT.get(base, 2))


@dataclass(frozen=True)
class Division:
    """A place to divide a word: `head` ends the line as printed (with its hyphen), `tail` starts
    the next."""

    head: str
    tail: str
    kind: str  # SOFT (the hyphen is added) or HARD (the word's own hyphen)


def divisions(word: str, lang: str) -> list[Division]:
    """Where `word` (a token between spaces, punctuation attached) may be divided, longest head first."""
    parts = word.split("-")
    out: list[Division] = []
    if len(parts) > 1:  # a compound: only at its hyphens, each side with two letters or digits at least
        for i in range(len(parts) - 1, 0, -1):
            head, tail = "-".join(parts[:i]) + "-", "-".join(parts[i:])
            if _core_len(parts[i - 1]) >= 2 and _core_len(tail) >= 2:
                out.append(Division(head, tail, HARD))
        return out
    m = re.fullmatch(r"(\W*)(\w+)(\W*)", word)
    if not m or not m.group(2).isalpha() or m.group(2).isupper():
        return out  # digits, abbreviations in capitals, inner apostrophes: left whole
    lead, core, trail = m.groups()
    for pos in reversed(_patterns(lang).positions(core)):
        if getattr(pos, "data", None):  # a division that changes the spelling (old ck → k-k): skip
            continue
        out.append(Division(lead + core[:pos] + "-", core[pos:] + trail, SOFT))
    return out


def _core_len(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


@dataclass
class BrokenLine:
    """One line of a paragraph: its words as printed (the last may be a divided word's head)."""

    words: list[str]
    end: str = ""  # "", SOFT or HARD
    last: bool = False  # the paragraph's last line: set flush left, not justified

    @property
    def printed(self) -> str:
        return " ".join(self.words)

    @property
    def marked(self) -> str:
        """The line with the NZZ ground truth's marks: `Zer¬` for a division, `well-¬` for a hard hyphen."""
        text = " ".join(self.words)
        return text[:-1] + MARK if self.end == SOFT else text + MARK if self.end == HARD else text


def _units(text: str) -> list[str]:
    """The paragraph's words; a dash between spaces sticks to the word before it."""
    units: list[str] = []
    for word in text.split():
        if word in DASHES and units:
            units[-1] += " " + word
        else:
            units.append(word)
    return units


def break_paragraph(
    text: str, lang: str, measure: Callable[[str], float], space: float, widths: Callable[[int], float]
) -> list[BrokenLine]:
    """Break `text` into lines; `measure` gives a word's width, `space` the natural word space and
    `widths(k)` the room on line k (less on the first lines beside an indent or a drop cap)."""
    units = _units(text)
    lines: list[BrokenLine] = []
    current: list[str] = []
    i = 0

    def fits(words: list[str]) -> bool:
        return sum(measure(w) for w in words) + SHRINK * space * (len(words) - 1) <= widths(len(lines))

    while i < len(units):
        word = units[i]
        if fits(current + [word]):
            current.append(word)
            i += 1
            continue
        # The longest division of the word that still fits ends this line.
        division = next((d for d in divisions(word, lang) if fits(current + [d.head])), None)
        if division:
            lines.append(BrokenLine(current + [division.head], division.kind))
            units[i] = division.tail
            current = []
        elif current:
            lines.append(BrokenLine(current))
            current = []
        else:  # a word wider than the column and impossible to divide: it stands alone (squeezed)
            lines.append(BrokenLine([word]))
            i += 1
    if current:
        lines.append(BrokenLine(current))
    if lines:
        lines[-1].last = True
    return lines


def dehyphenate_marked(marked: str) -> str:
    """The marked ground truth with divided words joined (`Zer¬\\nbrechen` → `Zerbrechen`,
    `well-¬\\nknown` → `well-known`), across a block break too: how ../shared/real/nzz-1939's
    `.gt.dehyphenated.txt` follows from its `.gt.marked.txt`."""
    return re.sub(MARK + r"\n\n?", "", marked)


def printed_from_marked(marked: str) -> str:
    """The marked ground truth as printed: each mark is the hyphen on the page."""
    return re.sub("-?" + MARK, "-", marked)


__all__ = [
    "HARD",
    "LANGUAGES",
    "MARK",
    "SOFT",
    "BrokenLine",
    "Division",
    "break_paragraph",
    "dehyphenate_marked",
    "dictionary_name",
    "divisions",
    "printed_from_marked",
]
