"""Article text as Markdown: per article its headline as a heading, then the running text.

Articles follow the page's reading order, separated by a rule. The headline is a `#` heading
and a subhead `##`; a kicker and a caption are set in italics, a section label in bold. Lead and
body lines run on across the article's blocks (a column break is not a paragraph break), joined
as `dehyphenate.join_lines` joins them: no space between CJK lines, a divided Latin word made
whole again from the lines' hyphenated flags. A paragraph starts where a line is set in by an
em or more (a first-line indent, a centred crosshead). Photos, rules, page headers and footers
are not article text.
"""

from __future__ import annotations

import re
from statistics import median

from ..dehyphenate import join_lines
from ..model import Block, BlockKind, Direction, Line, Page

STYLES = {
    BlockKind.SECTION: "**{}**", BlockKind.KICKER: "*{}*", BlockKind.HEADLINE: "# {}",
    BlockKind.SUBHEAD: "## {}", BlockKind.CAPTION: "*{}*",
}
RUNNING = (BlockKind.LEAD, BlockKind.BODY)
LEFT_OUT = (BlockKind.HEADER, BlockKind.FOOTER, BlockKind.PHOTO, BlockKind.SEPARATOR)


def write_articles(page: Page) -> str:
    texts = [text for _, blocks in page.articles() if (text := _article(blocks))]
    return "\n\n---\n\n".join(texts) + "\n" if texts else ""


def _article(blocks: list[Block]) -> str:
    parts: list[str] = []
    paragraphs: list[list[Line]] = []  # the lead's or the body's, running on across blocks
    running: BlockKind | None = None
    for block in blocks:
        if block.kind in LEFT_OUT or not block.lines:
            continue
        starts = _paragraph_starts(block)
        if block.kind is not running:  # a heading, a caption, or lead turning to body ends the run
            parts += _paragraphs(paragraphs)
            paragraphs, starts[0] = [], True
        if block.kind not in RUNNING:
            parts.append(STYLES[block.kind].format(_escape(_join(block.lines))))
            running = None
            continue
        running = block.kind
        for line, start in zip(block.lines, starts):
            if start:
                paragraphs.append([])
            paragraphs[-1].append(line)
    parts += _paragraphs(paragraphs)
    return "\n\n".join(p for p in parts if p)


def _join(lines: list[Line]) -> str:
    return join_lines([line.text for line in lines], [line.hyphenated for line in lines])


def _paragraphs(paragraphs: list[list[Line]]) -> list[str]:
    return [_escape(_join(lines)) for lines in paragraphs]


def _paragraph_starts(block: Block) -> list[bool]:
    """Which lines are set in from the block's starting edge by 0.8 em or more: a paragraph's
    first line. Full lines set in alike one after another are not: they make room for something
    beside them (the lines beside a drop cap, type run around a picture)."""
    vertical = block.direction is Direction.VERTICAL
    starts = [line.bbox[1] if vertical else line.bbox[0] for line in block.lines]
    ends = [line.bbox[3] if vertical else line.bbox[2] for line in block.lines]
    boxes = [line.bbox for line in block.lines]
    em = block.text_height or median((b[2] - b[0]) if vertical else (b[3] - b[1]) for b in boxes)
    edge = min(starts)
    set_in = [s - edge >= 0.8 * em for s in starts]
    full = [e >= max(ends) - 0.8 * em for e in ends]

    def alike(i: int, j: int) -> bool:
        return (0 <= j < len(starts) and set_in[j] and full[i] and full[j]
                and abs(starts[i] - starts[j]) < 0.3 * em)

    return [set_in[i] and not (alike(i, i - 1) or alike(i, i + 1)) for i in range(len(starts))]


def _escape(text: str) -> str:
    """OCR text is not Markdown: characters that would format it are escaped."""
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
    text = re.sub(r"^([#>+=~-])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
