"""Joining printed lines into running text, per script.

The transcription-style output keeps the printed lines; article text joins them. CJK lines
join with nothing between them (a line break inside CJK text is not a space); other lines
join with a space. Where a Latin word inside CJK text meets a line end, the space it had is
kept only if the next line also starts with a Latin letter or digit.
"""

from __future__ import annotations

import re
import time
import unicodedata
from functools import lru_cache
from typing import Any

from .model import Block, Page


def is_cjk(char: str) -> bool:
    """Han, kana, hangul and CJK punctuation/full-width forms: scripts written without spaces."""
    if not char:
        return False
    name = unicodedata.name(char, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH")) or (
        "\u3000" <= char <= "\u303f"
    )


def join_pair(left: str, right: str) -> str:
    """What goes between two printed lines when they are joined."""
    if not left or not right:
        return ""
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return ""
    return " "


HYPHENS = "-\u00ad\u2010\u2e17="  # hyphen, soft hyphen, Unicode hyphen, Fraktur double hyphen, its OCR look-alike


# Languages whose compounds are written closed: a lower-case continuation after a line-end
# hyphen is a division (German `Bundes-` / `präsident`); a real compound hyphen is followed by a
# capital (`Schwarz-Rot-Gold`). Elsewhere (English `well-known`) the word lists decide.
CLOSED_COMPOUNDS = {"de", "nl", "sv", "da", "no", "fi"}
MIN_ZIPF = 1.0  # about once in 100 million words: rarer forms are more often OCR noise than words
COMMON_ZIPF = 5.0  # function words and the like (auf, die, und, er): about once in 100,000 words


@lru_cache(maxsize=200_000)
def zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency

    word = word.replace("ſ", "s")  # blackletter's long s: the word lists spell it s
    return max(zipf_frequency(w, language) for w in {word, word.lower(), word.capitalize()})


def is_word(word: str, language: str) -> bool:
    return zipf(word, language) >= MIN_ZIPF


def page_language(texts: list[str], languages: tuple[str, ...]) -> str:
    """The configured language whose common words the page uses most (stopwords decide)."""
    # Latin-script words only: a CJK page needs no word lists (and is spared loading them).
    words = re.findall(r"[A-Za-zÀ-ɏſ]{2,}", " ".join(texts))[:400]
    if not words or len(languages) == 1:
        return languages[0]
    return max(languages, key=lambda lang: sum(zipf(w, lang) >= 4.0 for w in words))


def _first_word(text: str) -> str:
    """The line's first word; a stray mark or two before it (OCR noise, a quote) is passed over."""
    match = re.match(r"[^\w\s]{0,2}([^\W\d_]+)", text)
    return match.group(1) if match else ""


def _last_word(text: str) -> str:
    match = re.search(r"([^\W\d_]+)$", text)
    return match.group(1) if match else ""


def ends_divided_word(line: str, next_line: str, language: str = "en") -> bool:
    """A Latin word divided at the line end: `…Verwal-` followed by `tung …`.

    Never a division: a capital after the break (`Schwarz-` / `Rot-Gold`), a digit or a single
    letter before it (`20-` / `jährig`, `n-` / `octanal`): hyphenation leaves neither. Otherwise,
    in languages that write compounds closed, a lower-case continuation is a division. In the
    others the word lists decide: the joined form wins if it is a word at least about as common
    as the two halves as separate words (`Verwal`+`tung`; not `well`+`known`); if it is no word,
    the hyphen stays only when both halves are words (`mother-` / `in-law`).
    """
    line, next_line = line.rstrip(), next_line.lstrip()
    if len(line) < 3 or line[-1] not in HYPHENS or not line[-2].isalpha() or is_cjk(line[-2]):
        return False
    right = _first_word(next_line)
    left = _last_word(line[:-1])
    if len(left) < 2 or not right or not right[0].islower():
        return False
    if language in CLOSED_COMPOUNDS:
        return True
    joined = zipf(left + right, language)
    if joined >= MIN_ZIPF:
        apart = min(zipf(left, language), zipf(right, language))
        return joined >= apart - 1.5
    return not (is_word(left, language) and is_word(right, language))


# The words that follow a suspended hyphen (`Straßen- und Brückenbau`, `pre- and post-war`): the
# hyphen stands for a shared second part, so the word before it stays apart.
SUSPENSION_WORDS = {"und", "oder", "bzw", "sowie", "bis", "wie", "als", "noch", "and", "or", "nor", "to",
                    "et", "ou", "en", "of", "och", "og", "eller"}


def keeps_compound_hyphen(left: str, right: str) -> bool:
    """A compound's own hyphen at the line end (`Schwarz-Rot-` / `Gold`, `well-` / `known`): the
    line after it goes on without a space. Not a dash between words (`rose -`), and not a
    suspended hyphen, which a conjunction follows."""
    left, right = left.rstrip(), right.lstrip()
    if len(left) < 2 or left[-1] not in HYPHENS or not left[-2].isalnum() or is_cjk(left[-2]):
        return False
    if not right or not right[0].isalnum():
        return False
    return _first_word(right).lower() not in SUSPENSION_WORDS


def join_lines(lines: list[str], hyphenated: list[bool] | None = None) -> str:
    """Printed lines as running text; a line marked hyphenated loses its hyphen and its break, a
    compound's hyphen at a line end keeps the hyphen and loses the break."""
    text = ""
    for i, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        if not text:
            text = line
        elif hyphenated and hyphenated[i - 1]:
            text = text[:-1] + line
        elif keeps_compound_hyphen(text, line):
            text = text + line
        else:
            text = text + join_pair(text, line) + line
    return text


def block_text(block: Block) -> str:
    """The block's lines joined into running text."""
    return join_lines([line.text for line in block.lines], [line.hyphenated for line in block.lines])


LOST_HYPHEN = re.compile(r"([^\W\d_]{2,})[.·,:]?$")


def lost_hyphen(line: str, next_line: str, language: str) -> bool:
    """A division whose hyphen the recognizer lost or read as a dot (Fraktur's `⸗` often is):
    the line ends in letters (maybe a stray dot), the next goes on in lower case, and the
    joined form is a word of some currency (`Beziehun.` / `gen` → `Beziehungen`)."""
    match = LOST_HYPHEN.search(line.rstrip())
    right = _first_word(next_line.lstrip())
    if not match or not right or not right[0].islower() or line.rstrip()[-1] in HYPHENS:
        return False
    left = match.group(1)
    # Two ordinary words across a line end (`auf` / `die`) may make a word too: not a division,
    # unless the line ends in a colon, the mark some recognizers make of blackletter's `⸗`.
    common = max(zipf(left, language), zipf(right, language)) >= COMMON_ZIPF
    return (line.rstrip().endswith(":") or not common) and zipf(left + right, language) >= 2 * MIN_ZIPF


def dehyphenate(page: Page, cfg: dict[str, Any]) -> Page:
    """Mark the lines that end in a divided word; printed lines keep their text.

    Lines are taken in reading order through each article, so a word divided at the foot of a
    column joins the first word of the next column.
    """
    start = time.perf_counter()
    language = page_language([b.text for b in page.ordered_blocks()], tuple(cfg["dehyphenate"]["languages"]))
    page.metadata["language"] = language
    for _, blocks in page.articles():
        lines = [line for block in blocks for line in block.lines]
        for line, following in zip(lines, lines[1:]):
            if lost_hyphen(line.text, following.text, language):
                # print the hyphen the page has, so the printed lines read as printed
                line.text = line.text.rstrip().rstrip(".·,:") + "-"
            line.hyphenated = ends_divided_word(line.text, following.text, language)
    page.timings["dehyphenate"] = round(time.perf_counter() - start, 3)
    return page
