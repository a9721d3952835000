"""Reading order: group the layout's blocks into articles and order each article as it is read.

The layout's XY-cut order already follows the page's shape (top to bottom, then left to right
inside each region the whitespace and rules close off), so columns inside an article come out
top-to-bottom then left-to-right, body wrapped round a photo included. On that sequence:

- a run of head blocks (kicker, headline, subhead) that holds a headline or a kicker opens an
  article; the text after it belongs to that article until the next such run;
- a subhead alone between body columns is an in-article subhead;
- section labels, headers and footers stand alone;
- inside an article: head blocks as printed, then the lead, the body in page order, and the
  captions last; a photo joins the article of its caption.

One pass over the blocks: no pairwise comparison of lines or blocks.
"""

from __future__ import annotations

import time
from typing import Any

from .model import Block, BlockKind, Page

HEAD = {BlockKind.KICKER, BlockKind.HEADLINE, BlockKind.SUBHEAD}
ALONE = {BlockKind.SECTION, BlockKind.HEADER, BlockKind.FOOTER}
RANK = {BlockKind.KICKER: 0, BlockKind.HEADLINE: 0, BlockKind.SUBHEAD: 0, BlockKind.LEAD: 1}


def _head_runs_opening_articles(blocks: list[Block]) -> set[int]:
    """Indexes of blocks that open an article."""
    opens: set[int] = set()
    i = 0
    while i < len(blocks):
        if blocks[i].kind in HEAD:
            j = i
            while j < len(blocks) and blocks[j].kind in HEAD:
                j += 1
            if any(b.kind in (BlockKind.HEADLINE, BlockKind.KICKER) for b in blocks[i:j]):
                opens.add(i)
            i = j
        else:
            i += 1
    return opens


def group_articles(blocks: list[Block]) -> list[list[Block]]:
    opens = _head_runs_opening_articles(blocks)
    articles: list[list[Block]] = []
    current: list[Block] | None = None
    for i, block in enumerate(blocks):
        if block.kind in ALONE:
            articles.append([block])
            current = None
        elif i in opens or current is None:
            current = [block]
            articles.append(current)
        else:
            current.append(block)
    return articles


def order_article(blocks: list[Block], caption_last: bool) -> list[Block]:
    """Head blocks as printed, then the lead, the body, and (if asked) captions last.

    Head blocks lead only while they come before the body: an in-article subhead keeps its
    place between the columns.
    """
    head_done = False
    keyed = []
    for position, block in enumerate(blocks):
        if block.kind not in HEAD:
            head_done = True
        if block.kind in HEAD and not head_done:
            rank = 0
        elif block.kind == BlockKind.LEAD:
            rank = 1
        elif block.kind == BlockKind.CAPTION and caption_last:
            rank = 3
        else:
            rank = 2
        keyed.append((rank, position, block))
    return [block for _, _, block in sorted(keyed, key=lambda k: (k[0], k[1]))]


def order_page(page: Page, cfg: dict[str, Any]) -> Page:
    """Set each text block's article and the page's reading order."""
    start = time.perf_counter()
    caption_last = cfg["order"]["caption_last"]
    by_id = {b.id: b for b in page.blocks}
    sequence = [by_id[i] for i in page.reading_order if i in by_id and by_id[i].kind.has_text]
    photo_of_caption = {b.id: b.article for b in sequence if b.kind == BlockKind.CAPTION and b.article in by_id}

    order: list[str] = []
    for n, article in enumerate(group_articles(sequence), start=1):
        article_id = f"a{n}"
        for block in order_article(article, caption_last):
            block.article = article_id
            order.append(block.id)
            photo_id = photo_of_caption.get(block.id)
            if photo_id:
                by_id[photo_id].article = article_id
    page.reading_order = order
    page.timings["order"] = round(time.perf_counter() - start, 3)
    return page
