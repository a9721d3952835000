"""Latin newspaper pages: running text set in narrow justified columns, words divided at line ends.

The articles come as running text (spec.load_running_text); hyphenate.py breaks each paragraph
into lines for the column width and divides words where the language allows. The page follows
render.py's arrangement of bands and stacks, with a Latin look: a masthead over a date line,
centred heads, one-em paragraph indents, narrow gutters (optionally ruled), a drop cap if the
layout asks for one. Drawing, scan damage and the ground truth are render.py's; a Latin page also
carries each line's hyphenation marks, written as `<stem>.gt.marked.txt` and
`<stem>.gt.dehyphenated.txt` in the conventions of ../shared/real/nzz-1939.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from pipeline.synth import damage as scan
from pipeline.synth.hyphenate import BrokenLine, break_paragraph, dictionary_name
from pipeline.synth.render import (
    ASCEND,
    BASE_DPI,
    Face,
    PageLayout,
    PlacedBlock,
    RenderedPage,
    SetLine,
    Sizes,
    _balance,
    _font,
    _Typesetter,
    draw_page,
    ground_truth,
)
from pipeline.synth.spec import RunningArticle, RunningTextSpec, load_running_text

# -- fonts ------------------------------------------------------------------------------------

_DEJAVU = "/usr/share/fonts/truetype/dejavu/"


def _dejavu(name: str) -> Face:
    # The upright regular and bold faces are in -core; condensed and italic ones in -extra.
    core = name in ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSans", "DejaVuSans-Bold")
    return Face(f"{_DEJAVU}{name}.ttf", 0, "fonts-dejavu-core" if core else "fonts-dejavu-extra")


BLANKENBURG = Face("/usr/share/fonts/truetype/blankenburg/Blankenburg_UNZ1A.ttf", 0, "fonts-blankenburg")


@dataclass(frozen=True)
class LatinStyle:
    body: Face
    headline: Face
    subhead: Face
    kicker: Face
    masthead: Face


LATIN_STYLES = {
    # Condensed serif body, as narrow newspaper columns are usually set.
    "dejavu-serif": LatinStyle(
        body=_dejavu("DejaVuSerifCondensed"),
        headline=_dejavu("DejaVuSerifCondensed-Bold"),
        subhead=_dejavu("DejaVuSerifCondensed-Italic"),
        kicker=_dejavu("DejaVuSansCondensed-Bold"),
        masthead=_dejavu("DejaVuSerif-Bold"),
    ),
    "dejavu-sans": LatinStyle(
        body=_dejavu("DejaVuSansCondensed"),
        headline=_dejavu("DejaVuSans-Bold"),
        subhead=_dejavu("DejaVuSansCondensed-Oblique"),
        kicker=_dejavu("DejaVuSerifCondensed-Bold"),
        masthead=_dejavu("DejaVuSerif-Bold"),
    ),
    # Blackletter throughout (a modern face with the double Fraktur hyphen; no bold, so heads are
    # emboldened): for Fraktur engines. Roman-trained models cannot read it.
    "blackletter": LatinStyle(
        body=BLANKENBURG,
        headline=replace(BLANKENBURG, embolden=0.03),
        subhead=BLANKENBURG,
        kicker=_dejavu("DejaVuSansCondensed-Bold"),
        masthead=replace(BLANKENBURG, embolden=0.03),
    ),
    # Wider regular serif body from fonts-dejavu-core alone.
    "dejavu-wide": LatinStyle(
        body=_dejavu("DejaVuSerif"),
        headline=_dejavu("DejaVuSerif-Bold"),
        subhead=_dejavu("DejaVuSerif"),
        kicker=_dejavu("DejaVuSans-Bold"),
        masthead=_dejavu("DejaVuSerif-Bold"),
    ),
}


def missing_latin_packages(style: str) -> list[str]:
    """Debian packages the Latin style needs that are not installed."""
    s = LATIN_STYLES[style]
    faces = (s.body, s.headline, s.subhead, s.kicker, s.masthead)
    return sorted({f.package for f in faces if not Path(f.path).exists()})


@cache
def _width(face: Face, size: int, text: str) -> float:
    return _font(face, size).getlength(text)


@cache
def _cap_height(face: Face) -> float:
    """Height of a capital over the type size (where a drop cap's top must line up)."""
    top = _font(face, 200).getbbox("H", anchor="ls")[1]
    return -top / 200


def set_words(words: list[str], face: Face, size: int, width: float | None = None, justify: bool = False) -> SetLine:
    """Words at pen positions: natural word spaces, spread to `width` if `justify`, squeezed if the
    line is too long (and condensed as a whole if one word alone is)."""
    widths = [_width(face, size, w) for w in words]
    space = _width(face, size, " ")
    natural = sum(widths) + space * (len(words) - 1)
    if width is not None and len(words) > 1 and (justify or natural > width):
        space = (width - sum(widths)) / (len(words) - 1)
    glyphs, pen = [], 0.0
    for word, w in zip(words, widths, strict=True):
        glyphs.append((word, pen))
        pen += w + space
    line = SetLine(" ".join(words), glyphs, pen - space, face, size)
    if width is not None and line.width > width:
        line.hscale = width / line.width
    return line


# -- layout -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LatinSizes(Sizes):
    """Type sizes and spacing at 200 dpi: 9-point body on 10.5-point lines, narrow gutters."""

    margin_x: int = 100
    margin_top: int = 90
    margin_bottom: int = 100
    body: int = 25
    pitch: int = 29
    gutter: int = 20
    stack_gap: int = 40
    band_gap: int = 22
    article_gap: int = 22
    head_gap: int = 8
    body_gap: int = 20
    kicker: int = 24
    headline: int = 58  # articles of three columns or more
    headline_narrow: int = 42
    subhead: int = 30
    masthead: int = 104
    folio: int = 22
    initial_gap: int = 6  # between a drop cap and the text beside it


HEAD_LEADING = 1.12  # line spacing of multi-line heads, in their type size
DROP_LINES = 3  # a drop cap is three body lines deep


class _LatinTypesetter(_Typesetter):
    """render.py's page of bands and stacks, with Latin masthead, heads and body columns."""

    def __init__(self, spec: RunningTextSpec, style: LatinStyle, lang: str, scale: float,
                 column_width: int | None, column_rules: bool):
        self.spec, self.style, self.lang, self.scale = spec, style, lang, scale
        self.column_width, self.column_rules = column_width, column_rules
        self.sz = LatinSizes().scaled(scale)

    def col_width(self, article) -> int:
        return self.column_width or round(self.spec.measure * self.sz.body)

    # -- heads ----------------------------------------------------------------------------
    def centred_lines(self, text: str, face: Face, size: int, x0: float, y: float, width: float) -> list[SetLine]:
        """A head broken between words at `width` (never divided), each line centred."""
        lines: list[SetLine] = []
        current: list[str] = []
        for word in text.split() + [None]:
            if word is not None and (not current or set_words(current + [word], face, size).width <= width):
                current.append(word)
                continue
            line = set_words(current, face, size, width)
            line.x = x0 + (width - line.width * line.hscale) / 2
            line.y = y + len(lines) * round(size * HEAD_LEADING)
            lines.append(line)
            current = [word]
        return lines

    def top(self, out: PageLayout, x0: float, width: float) -> float:
        """The masthead, a thin rule, and the date line (left, centre, right) under it."""
        sz, st = self.sz, self.style
        masthead = self.centred_lines(self.spec.masthead, st.masthead, sz.masthead, x0, sz.margin_top, width)
        out.blocks.append(PlacedBlock("header", "masthead", masthead))
        y = out.blocks[-1].box[3] + 2 * sz.head_gap
        out.rules.append((x0, y, x0 + width, y + max(1, sz.rule // 2)))
        y += sz.rule + sz.head_gap
        bottom = y
        # One text centred; two at the left and right; three left, centre and right.
        aligns = {1: [1], 2: [0, 2], 3: [0, 1, 2]}.get(len(self.spec.folio), [])
        for text, align in zip(self.spec.folio, aligns, strict=True):
            line = set_words([text], st.body, sz.folio)
            line.x, line.y = x0 + align * (width - line.width) / 2, y
            out.blocks.append(PlacedBlock("header", "masthead", [line]))
            bottom = max(bottom, line.box[3])
        return bottom

    # -- articles -------------------------------------------------------------------------
    def article(self, a: RunningArticle, x0: float, y0: float, width: float, columns: int):
        sz, st = self.sz, self.style
        blocks: list[PlacedBlock] = []
        rules: list = []
        y = y0
        heads = [
            ("kicker", a.kicker, st.kicker, sz.kicker),
            ("headline", a.headline, st.headline, sz.headline if columns >= 3 else sz.headline_narrow),
            ("subhead", a.subhead, st.subhead, sz.subhead),
        ]
        for kind, text, face, size in heads:
            if text:
                lines = self.centred_lines(text, face, size, x0, y + (sz.head_gap if blocks else 0), width)
                blocks.append(PlacedBlock(kind, a.id, lines))
                y = blocks[-1].box[3]
        body_top = y + sz.body_gap

        col_w = self.col_width(a)
        spread = (width - columns * col_w) / (columns - 1) if columns > 1 else 0.0
        col_x = [x0 + i * (col_w + spread) for i in range(columns)]
        flow, initial = self.body_lines(a, col_w)
        places = _balance([sz.pitch] * len(flow), [0] * len(flow), [body_top] * columns)

        current: PlacedBlock | None = None
        last_col = None
        for (broken, indent), (col, y) in zip(flow, places, strict=True):
            line = set_words(broken.words, st.body, sz.body, col_w - indent, justify=not broken.last)
            line.x, line.y = col_x[col] + indent, y
            line.text, line.marked = broken.printed, broken.marked
            if current is None or col != last_col:
                current = PlacedBlock("body", a.id, [])
                blocks.append(current)
            current.lines.append(line)
            last_col = col
        if initial:  # the drop cap: first letter of the first line, baseline on the third line's
            first = next(b for b in blocks if b.kind == "body")
            third = first.lines[min(DROP_LINES, len(first.lines)) - 1]
            initial.x = first.lines[0].x - initial.width - sz.initial_gap
            initial.y = third.y + ASCEND * (sz.body - initial.size)
            first.initial = initial
            first.lines[0].text = initial.text + first.lines[0].text
            first.lines[0].marked = initial.text + first.lines[0].marked
        if self.column_rules:  # thin rules centred in the gutters, as deep as the body
            bottom = max(b.box[3] for b in blocks if b.kind == "body")
            for left, right in zip(col_x, col_x[1:]):
                gx = (left + col_w + right) / 2
                rules.append((gx - 1, body_top, gx + 1, bottom))  # a hairline, 2 px at any resolution
        bottom = max(b.box[3] for b in blocks)
        return blocks, rules, [], bottom

    def body_lines(self, a: RunningArticle, col_w: int) -> tuple[list[tuple[BrokenLine, float]], SetLine | None]:
        """Each paragraph broken for the column: (line, indent) pairs, and the drop cap if any.

        Paragraphs after the first are indented one em; the first is set flush, or beside a drop
        cap three lines deep when the layout asks for one."""
        sz, st = self.sz, self.style
        face, size = st.body, sz.body
        space = _width(face, size, " ")
        flow: list[tuple[BrokenLine, float]] = []
        initial = None
        for k, text in enumerate(a.paragraphs):
            indents = [float(sz.body)] if k else [0.0]
            if k == 0 and a.id in self.spec.drop_caps and text[0].isalpha() and len(text.split()[0]) > 1:
                cap_size = round(sz.body + (DROP_LINES - 1) * sz.pitch / _cap_height(st.headline))
                initial = set_words([text[0]], st.headline, cap_size)
                indents = [initial.width + sz.initial_gap] * DROP_LINES
                text = text[1:]
            lines = break_paragraph(
                text,
                self.lang,
                lambda w: _width(face, size, w),
                space,
                lambda n, ind=indents: col_w - (ind[n] if n < len(ind) else 0.0),
            )
            flow += [(line, indents[n] if n < len(indents) else 0.0) for n, line in enumerate(lines)]
        return flow, initial


# -- the public entry point -------------------------------------------------------------------


def layout_latin_page(
    spec: RunningTextSpec, style: str, lang: str, arrangement: str, column_width: int | None,
    column_rules: bool | None, dpi: int
) -> PageLayout:
    if style not in LATIN_STYLES:
        raise ValueError(f"unknown Latin style {style!r}; styles: {', '.join(LATIN_STYLES)}")
    if arrangement not in spec.arrangements:
        raise ValueError(f"unknown arrangement {arrangement!r}; arrangements: {', '.join(spec.arrangements)}")
    dictionary_name(lang)  # an unknown language fails here, before any typesetting
    rules = spec.column_rules if column_rules is None else column_rules
    setter = _LatinTypesetter(spec, LATIN_STYLES[style], lang, dpi / BASE_DPI, column_width, rules)
    return setter.page(spec.arrangements[arrangement])


def render_latin_page(
    text: str | Path,
    layout: str | Path,
    *,
    lang: str,
    style: str = "dejavu-serif",
    arrangement: str = "front",
    column_width: int | None = None,
    column_rules: bool | None = None,
    seed: int = 0,
    dpi: int = BASE_DPI,
    damage: scan.Damage | None = None,
) -> RenderedPage:
    """Render articles of running text (`text`, e.g. samples/latin/en.yaml) as a Latin newspaper
    page arranged by `layout` (samples/latin/layout.yaml), words divided by the hyphenation
    patterns of `lang` (`en`, `de` or a pyphen code).

    `column_width` (pixels of the output image) overrides the layout's measure; `column_rules`
    its choice of rules between body columns. Everything random follows `seed`.
    """
    spec = load_running_text(text, layout)
    page_layout = layout_latin_page(spec, style, lang, arrangement, column_width, column_rules, dpi)
    sizes = LatinSizes().scaled(dpi / BASE_DPI)
    clean = draw_page(page_layout, sizes, np.random.default_rng([seed, 0]))
    damage = damage or scan.Damage()
    ink = [b.box for b in page_layout.blocks] + page_layout.rules + page_layout.photos
    image, matrix = scan.apply(clean, damage, np.random.default_rng([seed, 1]), keep_inside=ink)
    gt = ground_truth(page_layout, matrix, (image.shape[1], image.shape[0]), style, arrangement)
    gt = {k: v for k, v in gt.items() if k != "blocks"} | {"lang": lang, "blocks": gt["blocks"]}
    marked = [[line.marked or line.text for line in b.lines] for b in page_layout.blocks]
    return RenderedPage(image, gt, damage.jpeg_quality, marked=marked)


__all__ = [
    "LATIN_STYLES",
    "LatinSizes",
    "layout_latin_page",
    "missing_latin_packages",
    "render_latin_page",
    "set_words",
]
