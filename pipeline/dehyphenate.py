"""Joining printed lines into running text, per script.

The transcription-style output keeps the printed lines; article text joins them. CJK lines
join with nothing between them (a line break inside CJK text is not a space); other lines
join with a space. Where a Latin word inside CJK text meets a line end, the space it had is
kept only if the next line also starts with a Latin letter or digit.
"""

from __future__ import annotations

import time
import unicodedata
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


def ends_divided_word(line: str, next_line: str) -> bool:
    """A Latin word divided at the line end: `…Verwal-` followed by `tung …`.

    Only a hyphen right after a letter, with the next line going on in lower case, counts:
    `Schwarz-` before `Rot-Gold` (capital) or a dash after a space are real hyphens.
    """
    line, next_line = line.rstrip(), next_line.lstrip()
    return (
        len(line) >= 2
        and line[-1] in "-\u00ad\u2010"
        and line[-2].isalpha()
        and not is_cjk(line[-2])
        and bool(next_line)
        and next_line[0].islower()
    )


def join_lines(lines: list[str], hyphenated: list[bool] | None = None) -> str:
    """Printed lines as running text; a line marked hyphenated loses its hyphen and its break."""
    text = ""
    for i, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        if not text:
            text = line
        elif hyphenated and hyphenated[i - 1]:
            text = text[:-1] + line
        else:
            text = text + join_pair(text, line) + line
    return text


def block_text(block: Block) -> str:
    """The block's lines joined into running text."""
    return join_lines([line.text for line in block.lines], [line.hyphenated for line in block.lines])


def dehyphenate(page: Page, cfg: dict[str, Any]) -> Page:
    """Mark the lines that end in a divided word; printed lines keep their text.

    Lines are taken in reading order through each article, so a word divided at the foot of a
    column joins the first word of the next column.
    """
    start = time.perf_counter()
    for _, blocks in page.articles():
        lines = [line for block in blocks for line in block.lines]
        for line, following in zip(lines, lines[1:]):
            line.hyphenated = ends_divided_word(line.text, following.text)
    page.timings["dehyphenate"] = round(time.perf_counter() - start, 3)
    return page
