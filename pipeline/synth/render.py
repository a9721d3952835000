"""Typeset a transcribed newspaper page into an image with ground truth.

The page is built in three steps, each a section of this module:

1. typesetting: a line of text becomes glyphs at pen positions (CJK justification: squeeze the
   blank half of punctuation, spread the rest evenly; greedy line breaking with the usual rules
   for where punctuation may not fall);
2. layout: heads, lead, body columns, photos and rules get their places on the page, following an
   arrangement of the annotation (spec.py); body text is balanced across an article's columns;
3. drawing: glyphs, reverse-type boxes, halftone photos and rules become a greyscale page, which
   damage.py then turns into a "scan", and the ground truth follows every geometric change.

All sizes are defined at 200 dpi (the reference scan) and scaled for other resolutions.
Latin pages (running text, divided words) build on this module in latin.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.synth import damage as scan
from pipeline.synth.hyphenate import dehyphenate_marked
from pipeline.synth.spec import Article, Band, Head, PageSpec, Subhead, TextLine, load_spec

BASE_DPI = 200

# -- fonts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Face:
    path: str
    index: int  # face in a .ttc collection (the Simplified Chinese one)
    package: str  # the Debian package that installs it
    embolden: float = 0.0  # synthetic bold for faces without one: stroke width, fraction of the size


_NOTO = "/usr/share/fonts/opentype/noto/"
NOTO_SERIF = Face(_NOTO + "NotoSerifCJK-Regular.ttc", 2, "fonts-noto-cjk")
NOTO_SERIF_BOLD = Face(_NOTO + "NotoSerifCJK-Bold.ttc", 2, "fonts-noto-cjk")
NOTO_SANS = Face(_NOTO + "NotoSansCJK-Regular.ttc", 2, "fonts-noto-cjk")
NOTO_SANS_BOLD = Face(_NOTO + "NotoSansCJK-Bold.ttc", 2, "fonts-noto-cjk")
WQY_ZENHEI_BOLD = Face("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei", embolden=0.035)
WQY_MICROHEI = Face("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "fonts-wqy-microhei")
UKAI = Face("/usr/share/fonts/truetype/arphic/ukai.ttc", 0, "fonts-arphic-ukai")
UKAI_BOLD = replace(UKAI, embolden=0.04)
UMING = Face("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "fonts-arphic-uming")


@dataclass(frozen=True)
class Style:
    """A typeface set: body text, heads (also captions and in-body subheads), and the lead."""

    body: Face
    head: Face
    lead: Face


STYLES = {
    "noto-serif": Style(body=NOTO_SERIF, head=NOTO_SANS_BOLD, lead=UKAI),  # like the reference
    "noto-sans": Style(body=NOTO_SANS, head=NOTO_SERIF_BOLD, lead=UMING),
    "wqy": Style(body=WQY_MICROHEI, head=WQY_ZENHEI_BOLD, lead=UKAI),
    "arphic": Style(body=UMING, head=UKAI_BOLD, lead=NOTO_SERIF),
}


class FontMissing(FileNotFoundError):
    pass


def missing_packages(style: str) -> list[str]:
    """Debian packages the style needs that are not installed."""
    s = STYLES[style]
    return sorted({f.package for f in (s.body, s.head, s.lead) if not Path(f.path).exists()})


@cache
def _font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    if not Path(face.path).exists():
        raise FontMissing(f"font {face.path} not found: install the Debian package {face.package}")
    # BASIC layout: glyphs are placed one by one anyway, and it needs no libraqm.
    return ImageFont.truetype(face.path, size, index=face.index, layout_engine=ImageFont.Layout.BASIC)


# -- typesetting ------------------------------------------------------------------------------

OPENING = set("“‘（《「『【〔〈")
CLOSING = set("”’）》」』】〕〉，。、：；！？")
NO_LINE_START = CLOSING | set("…·%")
NO_LINE_END = OPENING
ASCEND = 0.88  # baseline below the top of the em box (CJK fonts: ideographic em box)


@cache
def _glyph(face: Face, size: int, ch: str) -> tuple[float, float, float]:
    """Advance, and how much blank may be squeezed from its left and right (punctuation only).

    Where the blank half of a punctuation mark lies depends on the font (SC fonts put the comma
    bottom left, TW fonts centre it), so it is measured from the ink.
    """
    font = _font(face, size)
    adv = font.getlength(ch)
    if ch not in OPENING and ch not in CLOSING:
        return adv, 0.0, 0.0
    pad = size
    im = Image.new("L", (int(adv) + 2 * pad, 3 * size), 0)
    ImageDraw.Draw(im).text((pad, 2 * size), ch, font=font, anchor="ls", fill=255)
    cols = np.flatnonzero(np.asarray(im).max(axis=0) > 64)
    if cols.size == 0:
        return adv, 0.0, 0.0
    keep = 0.08 * size  # leave a little air beside the mark
    left = max(0.0, min(adv / 2, float(cols[0] - pad) - keep))
    right = max(0.0, min(adv / 2, float(pad + adv - cols[-1] - 1) - keep))
    return (adv, left, 0.0) if ch in OPENING else (adv, 0.0, right)


def _latin(ch: str) -> bool:
    return len(ch) == 1 and ch.isascii() and (ch.isalnum() or ch in "+/%.")


def _tokens(text: str) -> list[str]:
    """Units that are never split across lines: Latin runs ("529", "12"), "……", single characters."""
    out: list[str] = []
    for ch in text:
        prev = out[-1][-1] if out else ""
        if _latin(ch) and _latin(prev) or ch == prev == "…":
            out[-1] += ch
        else:
            out.append(ch)
    return out


@dataclass
class SetLine:
    """A line of type: the printed text and each glyph's origin, relative to the line's left edge."""

    text: str
    glyphs: list[tuple[str, float]]
    width: float  # from the left edge to the end of the last glyph
    face: Face
    size: int
    x: float = 0.0  # left edge on the page (the indent lies left of it)
    y: float = 0.0  # top of the em box on the page
    hscale: float = 1.0  # horizontal condensing (headlines are set condensed)
    marked: str | None = None  # Latin text: the line with its hyphenation marks (hyphenate.py)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.x + self.width * self.hscale, self.y + self.size)


def _natural(text: str, face: Face, size: int, tracking: float) -> tuple[float, float]:
    """Natural width and the narrowest width punctuation squeezing allows."""
    glyphs = [_glyph(face, size, ch) for ch in text]
    natural = sum(g[0] for g in glyphs) + tracking * size * (len(text) - 1)
    return natural, natural - sum(g[1] + g[2] for g in glyphs)


def set_line(
    text: str, face: Face, size: int, width: float | None = None, justify: bool = False, tracking: float = 0.0
) -> SetLine:
    """Set `text` to `width`: squeeze punctuation if too long, spread it evenly if `justify`."""
    text = text.strip()
    if not text:
        return SetLine("", [], 0.0, face, size)
    toks = _tokens(text)
    chars = [ch for t in toks for ch in t]
    metrics = [_glyph(face, size, ch) for ch in chars]
    # Extra space may only go between tokens, never inside "529".
    gap_after = []
    for t in toks:
        gap_after += [False] * (len(t) - 1) + [True]
    gap_after[-1:] = [False]
    n_gaps = max(1, sum(gap_after))
    natural, narrowest = _natural(text, face, size, tracking)
    squeeze, spread = 0.0, 0.0
    if width is not None and natural > width:
        squeezable = natural - narrowest
        squeeze = min(1.0, (natural - width) / squeezable) if squeezable else 0.0
        spread = min(0.0, width - narrowest) / n_gaps  # still too long: tighten the gaps
    elif width is not None and justify and any(gap_after):
        spread = (width - natural) / n_gaps
    glyphs, pen = [], 0.0
    for ch, (adv, left, right), gap in zip(chars, metrics, gap_after, strict=True):
        glyphs.append((ch, pen - left * squeeze))
        pen += adv - (left + right) * squeeze + tracking * size + (spread if gap else 0.0)
    return SetLine(text, glyphs, pen - tracking * size, face, size)


def break_lines(text: str, face: Face, size: int, width: float, indent: float, tracking: float = 0.0) -> list[str]:
    """Greedy line breaking: fill each line as far as squeezing allows, then keep closing
    punctuation off the start of a line and opening punctuation off its end."""
    toks = _tokens(text)
    lines: list[str] = []
    i = 0
    while i < len(toks):
        avail = width - (indent if not lines else 0.0)
        j = i + 1
        while j < len(toks) and _natural("".join(toks[i : j + 1]).strip(), face, size, tracking)[1] <= avail:
            j += 1
        while i + 1 < j < len(toks) and (toks[j][0] in NO_LINE_START or toks[j - 1][-1] in NO_LINE_END):
            j -= 1
        line = "".join(toks[i:j]).strip()
        if line:
            lines.append(line)
        i = j
    return lines


# -- layout -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """Type sizes and spacing in pixels at 200 dpi (the reference scan)."""

    margin_x: int = 120
    margin_top: int = 118
    margin_bottom: int = 116
    body: int = 27
    pitch: int = 38  # body line spacing
    gutter: int = 20  # least space between body columns
    stack_gap: int = 64  # between stacks, with a vertical rule in the middle
    band_gap: int = 34  # either side of a full-width rule
    article_gap: int = 34  # either side of a rule between two articles of a stack
    photo_gap: int = 30  # between an article and a photo below it
    rule: int = 3
    head_gap: int = 14  # between two heads
    body_gap: int = 32  # between the heads (or lead) and the body
    lead: int = 26
    lead_pitch: int = 42
    lead_inset: int = 40
    caption: int = 28
    reverse_pad: int = 12  # around reverse type
    section: int = 56
    kicker: int = 44
    headline: int = 94
    subhead: int = 58
    halftone_period: int = 7  # dot screen cell

    def scaled(self, scale: float) -> Sizes:
        return replace(self, **{f.name: max(1, round(getattr(self, f.name) * scale)) for f in fields(self)})


# Headlines are set condensed, as newspapers do; the lead is letter-spaced.
CONDENSE = {"section": 0.95, "kicker": 0.8, "headline": 0.75, "subhead": 0.76}
LEAD_TRACKING = 0.2
SUBHEAD_LINES = 1.25  # an in-body subhead takes this many body lines


@dataclass
class PlacedBlock:
    """A text block of the ground truth, as placed on the clean page."""

    kind: str
    article: str
    lines: list[SetLine]
    reverse_box: tuple[float, float, float, float] | None = None  # reverse type: the black box
    initial: SetLine | None = None  # a drop cap: drawn beside the first lines, transcribed in the first

    @property
    def box(self) -> tuple[float, float, float, float]:
        if self.reverse_box:
            return self.reverse_box
        boxes = np.array([line.box for line in self.lines] + ([self.initial.box] if self.initial else []))
        return (boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max())


Rect = tuple[float, float, float, float]


@dataclass
class PageLayout:
    width: int
    height: int
    blocks: list[PlacedBlock] = field(default_factory=list)  # in reading order
    rules: list[Rect] = field(default_factory=list)
    photos: list[Rect] = field(default_factory=list)


@dataclass
class _Flow:
    """A body line ready to set: its text, whether it is indented, whether it is justified."""

    text: str
    indent: bool
    justify: bool


def _paragraph_lines(lines: list[TextLine], reflow: bool, face: Face, size: int, width: float, tracking=0.0):
    """Printed lines as _Flow; with `reflow`, each paragraph is joined and broken anew at `width`.

    A run that starts mid-paragraph (continued from an earlier column) gets no indent."""
    paras: list[tuple[bool, list[str]]] = []  # (indented, lines)
    for line in lines:
        if line.para_start or not paras:
            paras.append((line.para_start, []))
        paras[-1][1].append(line.text)
    indent = 2 * size * (1 + tracking)
    out = []
    for indented, para in paras:
        if reflow:
            para = break_lines("".join(para), face, size, width, indent if indented else 0.0, tracking)
        for k, text in enumerate(para):
            out.append(_Flow(text, indent=indented and k == 0, justify=k < len(para) - 1))
    return out


def _body_flow(article: Article, reflow: bool, face: Face, size: int, width: float) -> list[_Flow | Subhead]:
    """The article's body: runs of lines between in-body subheads, each run set as paragraphs."""
    out: list[_Flow | Subhead] = []
    run: list[TextLine] = []
    for item in article.body + [None]:
        if isinstance(item, TextLine):
            run.append(item)
            continue
        if run:
            out += _paragraph_lines(run, reflow, face, size, width)
            run = []
        if item is not None:
            out.append(item)
    return out


def _fill(heights: list[float], keep: list[float], tops: list[float], bottom: float):
    """Place items top to bottom, column after column, down to `bottom`: (column, y) per item,
    or None if they do not fit. `keep` is room an item needs below itself (a subhead's first
    lines); such an item heading a column lengthens that column instead, as in the reference."""
    col, y, out = 0, tops[0], []
    end = bottom
    for h, k in zip(heights, keep, strict=True):
        if k and y == tops[col]:
            end += h
        while y + h + k > end:
            col += 1
            if col == len(tops):
                return None
            y, end = tops[col], bottom + (h if k else 0)
        out.append((col, y))
        y += h
    return out


def _balance(heights, keep, tops) -> list[tuple[int, float]]:
    """The shortest common column bottom that takes all items (binary search: taller always fits)."""
    lo, hi = 0, int(max(tops) + sum(heights) + sum(keep)) + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if _fill(heights, keep, tops, mid) is None:
            lo = mid + 1
        else:
            hi = mid
    return _fill(heights, keep, tops, lo)


class _Typesetter:
    """Lays out the page for one style, scale and column width."""

    def __init__(self, spec: PageSpec, style: Style, scale: float, column_width: int | None):
        self.spec, self.style, self.scale, self.column_width = spec, style, scale, column_width
        self.sz = Sizes().scaled(scale)

    def col_width(self, article: Article) -> int:
        return self.column_width or round(article.measure * self.sz.body)

    def article_width(self, article: Article, columns: int) -> int:
        return columns * self.col_width(article) + (columns - 1) * self.sz.gutter

    # -- heads ----------------------------------------------------------------------------
    def head(self, head: Head, article: str, x: float, y: float, avail: float) -> tuple[PlacedBlock, float]:
        """A one-line head at (x, y), condensed further if it does not fit; returns it and its bottom."""
        size = getattr(self.sz, head.kind)
        if head.reverse and head.kind != "section":
            size = round(size * 0.9)  # reverse-type kickers are set a little smaller
        line = set_line(head.text, self.style.head, size)
        pad = self.sz.reverse_pad if head.reverse else 0
        line.hscale = min(CONDENSE[head.kind], (avail - 2 * pad) / line.width)
        line.x, line.y = x + pad, y + pad
        block = PlacedBlock(head.kind, article, [line])
        if head.reverse:
            block.reverse_box = (x, y, line.box[2] + pad, line.box[3] + pad)
        return block, block.box[3]

    # -- articles -------------------------------------------------------------------------
    def article(self, a: Article, x0: float, y0: float, width: float, columns: int):
        """Lay out one article in the box starting at (x0, y0), `width` wide; returns its blocks,
        rules, photos and bottom."""
        sz, blocks, rules, photos = self.sz, [], [], []
        y = y0  # the bottom of what is placed so far
        for k, h in enumerate(a.heads):
            block, y = self.head(h, a.id, x0, y + (sz.head_gap if k else 0), width)
            blocks.append(block)
        if a.lead:  # the lead, then a thin rule across the article
            y = self.lead(a, x0, y + 2 * sz.head_gap, width, blocks)
            rules.append((x0, y, x0 + width, y + max(1, sz.rule // 2)))
            y += sz.rule
        body_top = y + sz.body_gap

        col_w = self.col_width(a)
        spread = (width - columns * col_w) / (columns - 1) if columns > 1 else 0.0
        col_x = [x0 + i * (col_w + spread) for i in range(columns)]
        tops = [body_top] * columns
        caption_block = None
        if a.photo:
            k = min(a.photo.columns, columns)
            rect = (col_x[columns - k], body_top, col_x[-1] + col_w, body_top + round(a.photo.height * self.scale))
            photos.append(rect)
            below = rect[3]
            if a.caption:
                line = set_line(a.caption, self.style.head, sz.caption)
                line.hscale = min(1.0, (rect[2] - rect[0]) / line.width)
                line.x, line.y = rect[0], rect[3] + sz.head_gap
                caption_block = PlacedBlock("caption", a.id, [line])
                below = line.box[3]
            tops[columns - k :] = [below + sz.body_gap * 0.7] * k

        reflow = col_w != round(a.measure * sz.body)
        flow = _body_flow(a, reflow, self.style.body, sz.body, col_w)
        sub_h = SUBHEAD_LINES * sz.pitch
        heights = [sub_h if isinstance(f, Subhead) else sz.pitch for f in flow]
        # A subhead keeps its first two lines with it.
        keep = [2 * sz.pitch if isinstance(f, Subhead) else 0 for f in flow]
        places = _balance(heights, keep, tops)

        current: PlacedBlock | None = None
        last_col = None
        for f, (col, y) in zip(flow, places, strict=True):
            if isinstance(f, Subhead):
                line = set_line(f.text, self.style.head, sz.body)
                line.hscale = min(1.0, col_w / line.width)
                line.x, line.y = col_x[col] + (col_w - line.width * line.hscale) / 2, y + (sub_h - sz.body) / 2
                blocks.append(PlacedBlock("subhead", a.id, [line]))
                current = None
                continue
            indent = 2 * sz.body if f.indent else 0
            line = set_line(f.text, self.style.body, sz.body, col_w - indent, justify=f.justify)
            line.x, line.y = col_x[col] + indent, y
            if current is None or col != last_col:
                current = PlacedBlock("body", a.id, [])
                blocks.append(current)
            current.lines.append(line)
            last_col = col
        if caption_block:
            blocks.append(caption_block)  # read after the body, as the reference does

        bottom = max([b.box[3] for b in blocks] + [p[3] for p in photos])
        return blocks, rules, photos, bottom

    def lead(self, a: Article, x0: float, y: float, width: float, blocks: list) -> float:
        """The lead paragraph, in the second typeface, indented from the article's left edge."""
        sz, face = self.sz, self.style.lead
        cell = sz.lead * (1 + LEAD_TRACKING)
        measure = a.lead_measure * cell
        avail = min(measure, width - sz.lead_inset)
        block = PlacedBlock("lead", a.id, [])
        for k, f in enumerate(_paragraph_lines(a.lead, avail < measure, face, sz.lead, avail, LEAD_TRACKING)):
            indent = 2 * cell if f.indent else 0
            line = set_line(f.text, face, sz.lead, avail - indent, justify=f.justify, tracking=LEAD_TRACKING)
            line.x, line.y = x0 + sz.lead_inset + indent, y + k * sz.lead_pitch
            block.lines.append(line)
        blocks.append(block)
        return block.box[3] + (sz.lead_pitch - sz.lead)

    # -- the page -------------------------------------------------------------------------
    def stack_width(self, stack) -> float:
        arts = self.spec.articles
        return max([self.article_width(arts[i.article], i.columns) for i in stack if i.article] + [0])

    def page(self, bands: list[Band]) -> PageLayout:
        sz = self.sz
        band_widths = [sum(self.stack_width(s) for s in band) + (len(band) - 1) * sz.stack_gap for band in bands]
        content_w = max(band_widths)
        x0, x1 = sz.margin_x, sz.margin_x + content_w
        out = PageLayout(width=round(x1 + sz.margin_x), height=0)
        y = self.top(out, x0, content_w) + sz.band_gap
        for band in bands:
            out.rules.append((x0, y, x1, y + sz.rule + 1))
            y += sz.rule + sz.band_gap
            # A band narrower than the page widens its stacks in proportion.
            natural = [self.stack_width(s) for s in band]
            stretch = (content_w - (len(band) - 1) * sz.stack_gap) / max(1, sum(natural))
            widths = [w * stretch for w in natural]
            # Measure first (photos fill the stack's leftover height, which depends on the others).
            heights = [self.stack(s, 0, 0, w)[1] for s, w in zip(band, widths, strict=True)]
            band_h = max(heights)
            sx = x0
            for s, w in zip(band, widths, strict=True):
                placed, _ = self.stack(s, sx, y, w, band_h)
                out.blocks += placed.blocks
                out.rules += placed.rules
                out.photos += placed.photos
                if sx > x0:
                    rx = sx - sz.stack_gap / 2
                    out.rules.append((rx - sz.rule / 2, y, rx + sz.rule / 2, y + band_h))
                sx += w + sz.stack_gap
            y += band_h + sz.band_gap
        out.height = round(y - sz.band_gap + sz.margin_bottom)
        return out

    def top(self, out: PageLayout, x0: float, width: float) -> float:
        """What stands above the first band (here the section label); returns its bottom."""
        block, bottom = self.head(self.spec.section, "section", x0, self.sz.margin_top, width)
        out.blocks.append(block)
        return bottom

    def stack(self, stack, x0: float, y0: float, width: float, height: float | None = None):
        """Items one above the other from (x0, y0); returns them and their height. Photo items get
        their least height or, given the band's `height`, share out what the articles leave."""
        sz, arts = self.sz, self.spec.articles
        placed = PageLayout(0, 0)
        min_h = {i.photo: self.spec.photos[i.photo].min_height * self.scale for i in stack if i.photo}
        grow = 1.0
        if height is not None and min_h:
            grow += (height - self.stack(stack, x0, y0, width)[1]) / sum(min_h.values())
        y, prev = y0, None
        for item in stack:
            if prev is not None:
                if item.article and prev.article:
                    y += sz.article_gap
                    placed.rules.append((x0, y, x0 + width, y + sz.rule))
                    y += sz.rule + sz.article_gap
                else:
                    y += sz.photo_gap
            if item.article:
                blocks, rules, photos, y = self.article(arts[item.article], x0, y, width, item.columns)
                placed.blocks += blocks
                placed.rules += rules
                placed.photos += photos
            else:
                h = min_h[item.photo] * grow
                placed.photos.append((x0, y, x0 + width, y + h))
                y += h
            prev = item
        return placed, y - y0


def layout_page(spec: PageSpec, style: str, arrangement: str, column_width: int | None, dpi: int) -> PageLayout:
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; styles: {', '.join(STYLES)}")
    if arrangement not in spec.arrangements:
        raise ValueError(f"unknown arrangement {arrangement!r}; arrangements: {', '.join(spec.arrangements)}")
    return _Typesetter(spec, STYLES[style], dpi / BASE_DPI, column_width).page(spec.arrangements[arrangement])


# -- drawing ----------------------------------------------------------------------------------


def halftone(width: int, height: int, period: float, rng: np.random.Generator) -> np.ndarray:
    """A made-up photo: a smooth random tone field printed as a 45° dot screen (ink = 0)."""
    tone = np.zeros((height, width), np.float32)
    # Shapes of a fixed size on the page (in screen periods), plus finer detail.
    for feature, weight in ((24 * period, 1.0), (7 * period, 0.3)):
        grid = (round(height / feature) + 3, round(width / feature) + 3)
        small = rng.standard_normal(grid).astype(np.float32)
        tone += weight * cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    tone = (tone - tone.mean()) / (tone.std() + 1e-6)
    darkness = 0.12 + 0.76 / (1 + np.exp(-2.2 * tone))  # contrasty, never solid black or white
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    u, v = (xx + yy) / np.sqrt(2), (xx - yy) / np.sqrt(2)
    # Threshold 0 at dot centres rising to 1 between them: ink where darker than the threshold
    # gives round dots that grow with darkness; the soft edge stands in for antialiasing.
    threshold = (2 - np.cos(2 * np.pi * u / period) - np.cos(2 * np.pi * v / period)) / 4
    ink = np.clip((darkness - threshold) / 0.08 + 0.5, 0, 1)
    return (255 * (1 - ink)).astype(np.uint8)


def _draw_line(canvas: Image.Image, line: SetLine, fill: int) -> None:
    """Draw a set line: glyphs into a mask (condensed as a whole if needed), pasted in `fill`."""
    font = _font(line.face, line.size)
    pad = line.size // 2
    stroke = round(line.face.embolden * line.size)
    mask = Image.new("L", (int(line.width) + 2 * pad + 1, line.size + 2 * pad), 0)
    draw = ImageDraw.Draw(mask)
    for ch, gx in line.glyphs:
        if not ch.isspace():
            draw.text(
                (pad + gx, pad + ASCEND * line.size),
                ch,
                font=font,
                anchor="ls",
                fill=255,
                stroke_width=stroke,
                stroke_fill=255,
            )
    if line.hscale != 1.0:
        mask = mask.resize((max(1, round(mask.width * line.hscale)), mask.height), Image.Resampling.LANCZOS)
    canvas.paste(fill, (round(line.x - pad * line.hscale), round(line.y - pad)), mask)


def draw_page(layout: PageLayout, sizes: Sizes, rng: np.random.Generator) -> np.ndarray:
    """The clean page: white paper (255), black ink (0)."""
    canvas = Image.new("L", (layout.width, layout.height), 255)
    draw = ImageDraw.Draw(canvas)
    for x0, y0, x1, y1 in layout.rules:
        draw.rectangle((round(x0), round(y0), round(x1) - 1, round(y1) - 1), fill=0)
    for x0, y0, x1, y1 in layout.photos:
        x0, y0, x1, y1 = (round(v) for v in (x0, y0, x1, y1))
        canvas.paste(Image.fromarray(halftone(x1 - x0, y1 - y0, sizes.halftone_period, rng)), (x0, y0))
        draw.rectangle((x0, y0, x1 - 1, y1 - 1), outline=0, width=max(1, sizes.rule // 2))
    for block in layout.blocks:
        if block.reverse_box:
            draw.rectangle(tuple(round(v) for v in block.reverse_box), fill=0)
        for line in block.lines + ([block.initial] if block.initial else []):
            _draw_line(canvas, line, 255 if block.reverse_box else 0)
    return np.asarray(canvas).copy()


# -- ground truth and the public entry point --------------------------------------------------


def ground_truth(layout: PageLayout, matrix: np.ndarray, size: tuple[int, int], style: str, arrangement: str) -> dict:
    """The gt.json document: blocks in reading order, geometry mapped through `matrix` (2×3)."""
    w, h = size
    blocks = []
    for order, b in enumerate(layout.blocks):
        x0, y0, x1, y1 = b.box
        poly = scan.transform_points([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], matrix)
        xs, ys = [p[0] for p in poly], [p[1] for p in poly]
        bbox = [
            max(0, int(np.floor(min(xs)))),
            max(0, int(np.floor(min(ys)))),
            min(w, int(np.ceil(max(xs)))),
            min(h, int(np.ceil(max(ys)))),
        ]
        blocks.append(
            {
                "id": order,
                "article": b.article,
                "type": b.kind,
                "order": order,
                "bbox": bbox,
                "polygon": [[round(x, 1), round(y, 1)] for x, y in poly],
                "lines": [line.text for line in b.lines],
            }
        )
    return {"image": "page.jpg", "width": w, "height": h, "style": style, "layout": arrangement, "blocks": blocks}


@dataclass
class RenderedPage:
    image: np.ndarray  # uint8, greyscale (H×W) or RGB (H×W×3)
    gt: dict  # the gt.json document
    jpeg_quality: int
    # Latin pages: each block's lines with hyphenation marks, in reading order (hyphenate.py).
    marked: list[list[str]] | None = None

    def gt_text(self) -> str:
        """The text in reading order: lines as printed, one blank line between blocks."""
        return "\n\n".join("\n".join(b["lines"]) for b in sorted(self.gt["blocks"], key=lambda b: b["order"])) + "\n"

    def gt_marked_text(self) -> str:
        """As gt_text, with a divided word's hyphen shown as `¬` and a hard hyphen at a line end as `-¬`."""
        if self.marked is None:
            raise ValueError("only Latin pages carry hyphenation marks")
        return "\n\n".join("\n".join(lines) for lines in self.marked) + "\n"

    def gt_dehyphenated_text(self) -> str:
        """As gt_text, with every divided word joined (across blocks too); compounds keep their hyphen."""
        return dehyphenate_marked(self.gt_marked_text())

    def jpeg(self) -> bytes:
        return scan.to_jpeg(self.image, self.jpeg_quality)

    def save(self, path: str | Path) -> None:
        """Write the image at `path` and `<stem>.gt.txt`, `<stem>.gt.json` beside it (Latin pages:
        also `<stem>.gt.marked.txt` and `<stem>.gt.dehyphenated.txt`)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.jpeg())
        stem = path.with_suffix("")
        Path(f"{stem}.gt.txt").write_text(self.gt_text(), encoding="utf-8")
        gt = dict(self.gt, image=path.name)
        Path(f"{stem}.gt.json").write_text(json.dumps(gt, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if self.marked is not None:
            Path(f"{stem}.gt.marked.txt").write_text(self.gt_marked_text(), encoding="utf-8")
            Path(f"{stem}.gt.dehyphenated.txt").write_text(self.gt_dehyphenated_text(), encoding="utf-8")


def render_page(
    transcription: str | Path,
    layout: str | Path,
    *,
    style: str = "noto-serif",
    arrangement: str = "reference",
    column_width: int | None = None,
    seed: int = 0,
    dpi: int = BASE_DPI,
    damage: scan.Damage | None = None,
) -> RenderedPage:
    """Render the transcription as a newspaper page laid out by the annotation `layout`.

    `column_width` (pixels of the output image) re-breaks every article's body to that width;
    by default each article keeps its printed line breaks. Everything random follows `seed`, so
    the same arguments give the same bytes.
    """
    spec = load_spec(transcription, layout)
    page_layout = layout_page(spec, style, arrangement, column_width, dpi)
    sizes = Sizes().scaled(dpi / BASE_DPI)
    clean = draw_page(page_layout, sizes, np.random.default_rng([seed, 0]))
    damage = damage or scan.Damage()
    # Everything that carries ink must stay on the image after rotation.
    ink = [b.box for b in page_layout.blocks] + page_layout.rules + page_layout.photos
    image, matrix = scan.apply(clean, damage, np.random.default_rng([seed, 1]), keep_inside=ink)
    gt = ground_truth(page_layout, matrix, (image.shape[1], image.shape[0]), style, arrangement)
    return RenderedPage(image, gt, damage.jpeg_quality)


__all__ = [
    "STYLES",
    "FontMissing",
    "PageLayout",
    "RenderedPage",
    "break_lines",
    "layout_page",
    "missing_packages",
    "render_page",
    "set_line",
]
