"""Vertical pages: the seed transcription set in columns read right to left, with ground truth.

Each article gets horizontal heads across its top (as many Chinese and Japanese papers set
them over vertical body text), its body (lead, paragraphs and in-body subheads) re-broken
into vertical columns of a fixed number of cells read right to left, and its caption set
horizontally under the body. Articles stand side by side, right to left, in tiers read top
to bottom. Punctuation takes its vertical presentation forms (︐︒︑「」 turned) as vertical
typesetting prints it; the ground truth keeps the ordinary characters, which the vertical
forms fold to under NFKC. `traditional=True` converts the text with OpenCC first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from . import damage as scan
from .render import STYLES, RenderedPage, _font
from .spec import Subhead, TextLine, load_spec

# Punctuation as vertical typesetting prints it (Unicode's vertical presentation forms).
VERTICAL_FORMS = str.maketrans({
    "，": "︐", "、": "︑", "。": "︒", "：": "︓", "；": "︔", "！": "︕", "？": "︖",
    "（": "︵", "）": "︶", "「": "﹁", "」": "﹂", "『": "﹃", "』": "﹄", "“": "﹁", "”": "﹂",
    "…": "︙", "—": "︱",
})
# Where a font has no vertical forms, vertical setting's own rule is followed by hand: these
# marks move to the cell's top right, the rest of VERTICAL_FORMS are turned a quarter clockwise.
MOVED_MARKS = set("，、。：；！？")
PAGE_WIDTH, MAX_HEIGHT, MARGIN = 3000, 6000, 110
BODY, HEAD, SUB = 27, 90, 44  # type sizes in pixels at 200 dpi
PITCH, COLUMN_GAP, ARTICLE_GAP = 29, 12, 60  # cell height; space between columns and articles


@dataclass
class _Block:
    kind: str
    article: str
    lines: list[str]
    box: tuple[int, int, int, int]
    vertical: bool


def _columns(paragraphs: list[str], cells: int) -> list[str]:
    """Break paragraphs into columns of `cells` glyphs; a paragraph starts two cells down."""
    columns: list[str] = []
    for text in paragraphs:
        first = cells - 2
        columns.append(text[:first])
        rest = text[first:]
        columns.extend(rest[i : i + cells] for i in range(0, len(rest), cells))
    return [c for c in columns if c]


def _article_paragraphs(article) -> list[tuple[str, bool]]:
    """(text, is_subhead) for the lead and body: paragraphs joined from their printed lines."""
    out: list[tuple[str, bool]] = []
    current = ""
    for item in [*article.lead, *article.body]:
        if isinstance(item, Subhead):
            if current:
                out.append((current, False))
            out.append((item.text, True))
            current = ""
        elif isinstance(item, TextLine):
            if item.para_start and current:
                out.append((current, False))
                current = ""
            current += item.text.strip().replace(" ", "")
    if current:
        out.append((current, False))
    return out


def render_vertical_page(
    transcription: str | Path,
    layout: str | Path,
    *,
    style: str = "noto-serif",
    cells: int = 24,
    traditional: bool = False,
    seed: int = 0,
    damage: scan.Damage | None = None,
) -> RenderedPage:
    spec = load_spec(transcription, layout)
    convert = _converter(traditional)
    faces = STYLES[style]
    body_font, head_font, sub_font = _font(faces.body, BODY), _font(faces.head, HEAD), _font(faces.head, SUB)
    sub_body_font = _font(faces.head, BODY)
    page = Image.new("L", (PAGE_WIDTH, MAX_HEIGHT), 255)  # cropped to the tiers set, below
    draw = ImageDraw.Draw(page)
    blocks: list[_Block] = []

    # The section label, reverse type, at the top right.
    section = convert(spec.section.text.strip())
    w = int(draw.textlength(section, font=sub_font))
    x1, y0 = PAGE_WIDTH - MARGIN, MARGIN
    draw.rectangle((x1 - w - 24, y0, x1, y0 + SUB + 24), fill=0)
    draw.text((x1 - w - 12, y0 + 10), section, font=sub_font, fill=255)
    blocks.append(_Block("section", "section", [section], (x1 - w - 24, y0, x1, y0 + SUB + 24), False))

    right, top = PAGE_WIDTH - MARGIN, y0 + SUB + 24 + 40
    tier_bottom = top
    for aid, article in spec.articles.items():
        paragraphs = [(convert(t), sub) for t, sub in _article_paragraphs(article)]
        columns: list[tuple[str, bool]] = []
        for text, is_sub in paragraphs:
            columns.extend((c, is_sub) for c in (_columns([text], cells) if not is_sub else [text[:cells]]))
        width = len(columns) * (BODY + COLUMN_GAP)
        heads = [(h.kind, convert(h.text)) for h in article.heads]
        head_width = max(int(draw.textlength(t, font=head_font if k == "headline" else sub_font)) for k, t in heads)
        width = max(width, min(head_width, PAGE_WIDTH - 2 * MARGIN))
        if right - width < MARGIN:  # a new tier
            right, top = PAGE_WIDTH - MARGIN, tier_bottom + ARTICLE_GAP
        y = top
        for kind, text in heads:
            f = head_font if kind == "headline" else sub_font
            size = HEAD if kind == "headline" else SUB
            tw = int(draw.textlength(text, font=f))
            draw.text((right - tw, y), text, font=f, fill=0)
            blocks.append(_Block(kind, aid, [text], (right - tw, y, right, y + int(size * 1.25)), False))
            y += int(size * 1.5)
        body_top = y + 20
        lines, x = [], right
        for text, is_sub in columns:
            x -= BODY + COLUMN_GAP
            glyphs = sub_body_font if is_sub else body_font  # an in-body subhead: bold, body size
            for i, ch in enumerate(text):
                _draw_vertical_glyph(page, draw, (x + COLUMN_GAP // 2, body_top + i * PITCH), ch, glyphs)
            lines.append(text)
        body_bottom = body_top + cells * PITCH
        blocks.append(_Block("body", aid, lines, (x, body_top, right, body_bottom), True))
        bottom = body_bottom
        if article.caption:
            caption = convert(article.caption)
            cw = int(draw.textlength(caption, font=body_font))
            draw.text((right - cw, bottom + 30), caption, font=body_font, fill=0)
            blocks.append(_Block("caption", aid, [caption], (right - cw, bottom + 30, right, bottom + 30 + BODY + 8),
                                 False))
            bottom += 30 + BODY + 8
        tier_bottom = max(tier_bottom, bottom)
        right = min(x, right - width) - ARTICLE_GAP
        # a rule between articles, as vertical papers draw them
        draw.line((right + ARTICLE_GAP // 2, top, right + ARTICLE_GAP // 2, bottom), fill=0, width=3)

    damage = damage or scan.Damage()
    clean = np.asarray(page)[: tier_bottom + MARGIN].copy()
    image, matrix = scan.apply(clean, damage, np.random.default_rng([seed, 1]), keep_inside=[b.box for b in blocks])
    gt_blocks = []
    for order, b in enumerate(blocks):
        x0, y0, x1, y1 = b.box
        poly = scan.transform_points([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], matrix)
        xs, ys = [p[0] for p in poly], [p[1] for p in poly]
        gt_blocks.append({
            "id": order, "article": b.article, "type": b.kind, "order": order,
            "direction": "vertical" if b.vertical else "horizontal",
            "bbox": [int(min(xs)), int(min(ys)), int(np.ceil(max(xs))), int(np.ceil(max(ys)))],
            "polygon": [[round(float(px), 1), round(float(py), 1)] for px, py in poly],
            "lines": b.lines,
        })
    gt = {"image": "", "width": image.shape[1], "height": image.shape[0], "style": style,
          "layout": "vertical-traditional" if traditional else "vertical", "blocks": gt_blocks}
    return RenderedPage(image, gt, damage.jpeg_quality)


@functools.cache
def _has_glyphs(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # comes with matplotlib

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _draw_vertical_glyph(page: Image.Image, draw: ImageDraw.ImageDraw, xy: tuple[int, int], ch: str,
                         font) -> None:
    """One glyph of a vertical column in its cell at `xy` (`draw` draws on `page`): the vertical
    form of a punctuation mark where the font has one, else the mark moved or turned as
    vertical setting does."""
    vertical = ch.translate(VERTICAL_FORMS)
    if vertical == ch or ord(vertical) in _has_glyphs(font.path, font.index):
        draw.text(xy, vertical, font=font, fill=0)
        return
    size = int(font.size)
    if ch in MOVED_MARKS:
        draw.text((xy[0] + size // 2, xy[1] - size // 2), ch, font=font, fill=0)
        return
    cell = Image.new("L", (size, size), 0)
    ImageDraw.Draw(cell).text((0, 0), ch, font=font, fill=255)
    page.paste(0, xy, cell.rotate(-90))  # the turned glyph as a mask, printed black


def _converter(traditional: bool):
    if not traditional:
        return lambda text: text
    import opencc

    converter = opencc.OpenCC("s2t")
    return converter.convert
