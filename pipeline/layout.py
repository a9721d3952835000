"""Layout: rules, photos, text columns and blocks, block kinds.

Works on the cleaned working image. Text blocks come from a recursive XY-cut of a text mask
(ink with rules and photos taken out): a column gutter is a vertical band without ink, a
block break a horizontal one. Every length is measured in text heights, so one setting works
at any resolution. The leaves' order (top to bottom, left to right at each cut) becomes the
page's first reading order; the order stage groups it into articles.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from .cleanup.binarize import components, otsu_ink
from .drop_caps import find_drop_cap
from .model import Block, BlockKind, Direction, Page, bbox_of, rect_polygon

HEAD_KINDS = (BlockKind.KICKER, BlockKind.HEADLINE, BlockKind.SUBHEAD)
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in working-image pixels


@dataclass
class TextBlobs:
    """Horizontally smeared ink blobs: each is a line, or a glyph of large type."""

    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray

    @property
    def heights(self) -> np.ndarray:
        return self.y1 - self.y0

    @property
    def widths(self) -> np.ndarray:
        return self.x1 - self.x0

    def inside(self, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
        cx, cy = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        return (cx >= x0) & (cx < x1) & (cy >= y0) & (cy < y1)


def binarize(grey: np.ndarray, threshold: int = 0) -> np.ndarray:
    """Ink as 1 (uint8). Otsu's threshold unless a grey level is given."""
    if threshold:
        return (grey < threshold).astype(np.uint8)
    return otsu_ink(grey)


def glyph_size(ink: np.ndarray) -> float:
    """The typical glyph height: the median connected component (specks left out)."""
    stats = components(ink)
    # Specks of noise outnumber glyphs on a grainy scan: size glyphs from solid components only.
    sizes = stats[(stats[:, 4] >= 24) & (stats[:, 3] >= 5), 3]
    return float(np.median(sizes)) if len(sizes) else 10.0


def estimate_text_height(ink: np.ndarray, vertical: bool = False, glyph: float | None = None) -> float:
    """The body text's size across its lines: line height, or column width for vertical text.

    Smearing each line with a kernel of half a glyph joins its glyphs into one long blob whose
    thickness is the line's. The length-weighted median favours running text over headlines.
    `glyph` is the glyph size if known (else measured here).
    """
    glyph = glyph or glyph_size(ink)
    blobs = smear_blobs(ink, glyph, vertical=vertical)
    length, thickness = (blobs.heights, blobs.widths) if vertical else (blobs.widths, blobs.heights)
    long = length > 3 * thickness
    h = thickness[long] if long.sum() >= 5 else thickness
    w = length[long] if long.sum() >= 5 else length
    order = np.argsort(h)
    cum = np.cumsum(w[order])
    return float(h[order][np.searchsorted(cum, cum[-1] / 2)]) if len(h) else glyph


def smear_blobs(ink: np.ndarray, text_height: float, reach: float = 0.5, vertical: bool = False) -> TextBlobs:
    """Ink smeared along the line direction by `reach` text heights, as blobs (lines, words)."""
    size = max(3, int(round(text_height * reach)))
    kernel = np.ones((size, 1) if vertical else (1, size), np.uint8)
    s = components(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel))
    across = s[:, 2] if vertical else s[:, 3]
    s = s[(s[:, 4] >= max(12, text_height)) & (across >= max(3, text_height * 0.3))]
    return TextBlobs(s[:, 0], s[:, 1], s[:, 0] + s[:, 2], s[:, 1] + s[:, 3])


@dataclass
class TextDirection:
    """Which way the text runs, region by region: lines of glyphs set close along the line
    and further apart across it smear into long blobs in that direction only."""

    across: TextBlobs  # smeared left to right
    down: TextBlobs  # smeared top to bottom
    size: float  # the glyph size they were smeared with

    @classmethod
    def of(cls, text: np.ndarray, size: float) -> TextDirection:
        return cls(smear_blobs(text, size, 0.3), smear_blobs(text, size, 0.3, vertical=True), size)

    def vertical(self, box: tuple[int, int, int, int], margin: float = 1.5) -> bool:
        """More ink in long, glyph-thick vertical blobs than in horizontal ones. Strokes of
        large type smear into long blobs too, but thin or short ones: only blobs about a glyph
        thick and several glyphs long count. With no evidence either way, text is horizontal."""
        a, d = self.across, self.down
        ia, id_ = a.inside(*box), d.inside(*box)
        wa, ha, wd, hd = a.widths[ia], a.heights[ia], d.widths[id_], d.heights[id_]
        long_a, long_d = (wa >= 2.5 * ha) & (wa >= 4 * self.size), (hd >= 2.5 * wd) & (hd >= 4 * self.size)
        horizontal = wa[long_a & (ha >= 0.6 * self.size)].sum()
        vertical = hd[long_d & (wd >= 0.6 * self.size)].sum()
        return bool(vertical > margin * horizontal)


def find_rules(ink: np.ndarray, th: float, cfg: dict[str, Any]) -> list[tuple[int, int, int, int]]:
    """Horizontal and vertical rules: long, thin runs of ink. Boxes (x0, y0, x1, y1)."""
    length = max(10, int(cfg["min_length"] * th))
    thick = max(2, int(cfg["max_thickness"] * th))
    rules = []
    for along, across in (((1, length), (3, 1)), ((length, 1), (1, 3))):
        # Widen by a pixel across first: a rule a hair off level, or a thin one the threshold
        # broke, still holds one straight run of ink.
        widened = cv2.dilate(ink, np.ones(across, np.uint8))
        lines = cv2.morphologyEx(widened, cv2.MORPH_OPEN, np.ones(along, np.uint8)) & ink
        for x, y, w, h, area in components(lines):
            # Thickness as area over length: a long rule a little off level has a tall box.
            if max(w, h) >= length and area / max(w, h) <= thick and not _edge_of_dark_area(ink, x, y, w, h, thick):
                rules.append((int(x), int(y), int(x + w), int(y + h)))
    # Shorter pieces of a broken rule: components of their own, long and thin as no glyph is.
    for x, y, w, h, area in components(ink):
        if max(w, h) >= 2 * th and max(w, h) >= 10 * min(w, h) and area / max(w, h) <= thick:
            rules.append((int(x), int(y), int(x + w), int(y + h)))
    return join_rule_pieces(rules, th)


def _edge_of_dark_area(ink: np.ndarray, x: int, y: int, w: int, h: int, thick: int) -> bool:
    """A run of ink along the edge of a reverse-type box or a photo is no rule: a rule has paper
    (or sparse text) on both sides, a box's edge has solid ink on its inner side."""
    if w >= h:
        sides = (ink[max(0, y - thick) : y, x : x + w], ink[y + h : y + h + thick, x : x + w])
    else:
        sides = (ink[y : y + h, max(0, x - thick) : x], ink[y : y + h, x + w : x + w + thick])
    return any(side.size and side.mean() > 0.5 for side in sides)


def join_rule_pieces(rules: list[tuple[int, int, int, int]], th: float) -> list[tuple[int, int, int, int]]:
    """One rule from the pieces a worn or curving rule breaks into: in line, with a short gap,
    and no rule across the gap (column rules above and below an article's rule stay apart)."""

    def crosses(box: tuple[int, int, int, int], others: list[tuple[int, int, int, int]]) -> bool:
        return any(o[0] < box[2] and o[2] > box[0] and o[1] < box[3] and o[3] > box[1] for o in others)

    joined: list[tuple[int, int, int, int]] = []
    for vertical in (False, True):
        others = [r for r in rules if (r[3] - r[1] > r[2] - r[0]) != vertical]
        # (along, across) coordinates let one loop serve both orientations
        pieces = sorted(
            ((y0, x0, y1, x1) if vertical else (x0, y0, x1, y1))
            for x0, y0, x1, y1 in rules
            if (y1 - y0 > x1 - x0) == vertical
        )
        merged: list[list[int]] = []
        for a0, c0, a1, c1 in pieces:
            for m in merged:
                in_line = abs((c0 + c1) / 2 - (m[1] + m[3]) / 2) <= th / 2
                gap = (m[2], min(c0, m[1]), a0, max(c1, m[3]))
                gap_box = (gap[1], gap[0], gap[3], gap[2]) if vertical else gap
                if in_line and m[2] <= a0 <= m[2] + 10 * th and not crosses(gap_box, others):
                    m[:] = [min(m[0], a0), min(m[1], c0), max(m[2], a1), max(m[3], c1)]
                    break
            else:
                merged.append([a0, c0, a1, c1])
        joined.extend((m[1], m[0], m[3], m[2]) if vertical else (m[0], m[1], m[2], m[3]) for m in merged)
    return joined


def find_photos(ink: np.ndarray, th: float, cfg: dict[str, Any]) -> list[tuple[int, int, int, int]]:
    """Photos and halftones: large dense areas of ink.

    A small dilation joins halftone dots into one component; glyphs, even headline glyphs,
    stay far smaller than `min_size` text heights, and reverse-type boxes are too low.
    """
    r = max(1, int(round(th * 0.1)))
    joined = cv2.dilate(ink, np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    size = cfg["min_size"] * th
    photos = []
    for x, y, w, h, _ in components(joined):
        region = ink[y : y + h, x : x + w]
        if w >= size and h >= size and region.mean() >= cfg["min_fill"] and not _lines_of_type(region, th):
            photos.append((int(x), int(y), int(x + w), int(y + h)))
    return photos


def _lines_of_type(region: np.ndarray, th: float) -> bool:
    """Dense type (bold, or darkened by show-through from the reverse side) can fill its box as
    densely as a halftone, but it stands in lines: light bands recur every line or so across the
    region (or down it, for vertical type), where a halftone has its dots in every row."""
    for profile in (region.mean(axis=1), region.mean(axis=0)):
        if len(runs_of(profile < 0.05)) >= max(3, len(profile) / (3 * th)):
            return True
    return False


def runs_of(flags: np.ndarray) -> list[tuple[int, int]]:
    """The runs of true bins in a 1-D array, as (start, end) with `end` exclusive."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], np.asarray(flags, bool).astype(np.int8), [0]])))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def _gaps(profile: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """Runs of empty bins at least `min_len` long, strictly inside the profile."""
    return [(a, b) for a, b in runs_of(profile == 0) if a > 0 and b < len(profile) and b - a >= min_len]


def xy_cut(
    text: np.ndarray, rules: list[Box], blobs: TextBlobs, directions: TextDirection | None, th: float,
    cfg: dict[str, Any], gutter_text: np.ndarray | None = None
) -> list[tuple[Box, bool]]:
    """Recursive XY-cut: leaf boxes in reading order, each with whether its text is vertical.

    `directions` is given for a page set in vertical columns (None for horizontal pages): its
    regions are cut as vertical text, and each leaf then says which way its own text runs, so
    a horizontal headline or caption on such a page reads as one.

    In a region of horizontal text, block breaks are horizontal bands and gutters vertical
    ones; pieces are read top to bottom, then left to right. In a region of vertical text
    (CJK set in columns) the roles turn: breaks between columns are vertical bands, read right
    to left, and blocks stacked in tiers are split by horizontal ones, read top to bottom.

    Rules are barriers: a gutter may not cross a rule that runs across it, so articles that a
    rule closes stay apart even where whitespace happens to line up across them. At each region
    the widest gap decides the cut. Breaks between lines or blocks are measured in body text
    heights; gutters in the region's own type size, so that a headline's letter-spacing does
    not split it. Gutters are looked for in `gutter_text` if given: the text without its dust,
    a few specks of which would otherwise close a gutter down a whole column.
    """
    gutter_text = text if gutter_text is None else gutter_text
    leaves: list[tuple[Box, bool]] = []
    horizontal = [r for r in rules if r[2] - r[0] >= r[3] - r[1]]
    vertical = [r for r in rules if r[2] - r[0] < r[3] - r[1]]

    def crossing(box: Box) -> tuple[np.ndarray, np.ndarray]:
        """Ink profiles of the rules inside the region: only a rule with text on both sides of
        it divides the region; one along its edge (the rule closing an article) does not."""
        x0, y0, x1, y1 = box
        margin = th
        cols = np.zeros(x1 - x0, np.int32)
        rows = np.zeros(y1 - y0, np.int32)
        for rx0, ry0, rx1, ry1 in horizontal:
            if ry0 > y0 + margin and ry1 < y1 - margin and rx1 > x0 and rx0 < x1:
                cols[max(0, rx0 - x0) : rx1 - x0] += 1
        for rx0, ry0, rx1, ry1 in vertical:
            if rx0 > x0 + margin and rx1 < x1 - margin and ry1 > y0 and ry0 < y1:
                rows[max(0, ry0 - y0) : ry1 - y0] += 1
        return rows, cols

    def tighten(x0: int, y0: int, x1: int, y1: int) -> Box | None:
        region = text[y0:y1, x0:x1]
        rows, cols = np.flatnonzero(region.any(axis=1)), np.flatnonzero(region.any(axis=0))
        if not len(rows):
            return None
        return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1

    def type_size(box: Box, is_vertical: bool) -> float:
        """The region's type size: line height, or column width for vertical text."""
        if is_vertical and directions is not None:
            sizes = directions.down.widths[directions.down.inside(*box)]
        else:
            sizes = blobs.heights[blobs.inside(*box)]
        return max(th, float(np.median(sizes))) if len(sizes) else th

    def cut(box: Box) -> None:
        tight = tighten(*box)
        if tight is None:
            return
        x0, y0, x1, y1 = tight
        region = text[y0:y1, x0:x1]
        # On a vertical page, a region of horizontal type (a headline, a caption) is cut as such.
        is_vertical = directions is not None and directions.vertical(tight)
        lh = type_size(tight, is_vertical)
        rule_rows, rule_cols = crossing(tight)
        # `breaks`: the profile across the lines (gaps between lines and blocks); `gutters`: the
        # profile along them (gaps between columns of lines), where a few stray dots are forgiven.
        line_extent, span = ((x1 - x0), (y1 - y0)) if is_vertical else ((y1 - y0), (x1 - x0))
        noise = int(cfg["noise"] * line_extent)
        several_lines = line_extent > 1.8 * lh
        # Dust is let through a gutter between columns of lines; in a single line (a headline)
        # a small mark such as a quote is part of the line and must keep its glyphs together.
        clear = gutter_text[y0:y1, x0:x1] if several_lines else region
        if is_vertical:
            breaks = region.sum(axis=0) + rule_cols
            gutters = np.where(clear.sum(axis=1) <= noise, 0, 1) + rule_rows
        else:
            breaks = region.sum(axis=1) + rule_rows
            gutters = np.where(clear.sum(axis=0) <= noise, 0, 1) + rule_cols
        # A single line is split only at a gap wider than its type: glyph gaps are not gutters.
        gutter = cfg["min_gutter"] if several_lines else 1.0
        break_gaps = _gaps(breaks, max(2, int(cfg["min_gap"] * th)))
        gutter_gaps = _drop_narrow_pieces(_gaps(gutters, max(2, int(gutter * lh))), span, cfg["min_column"] * lh,
                                          1.0 * lh)
        lines_view = region.T if is_vertical else region  # lines run along axis 1 in this view
        gutter_gaps = [g for g in gutter_gaps if not _inside_one_line(lines_view, g, lh)]
        if not break_gaps and not gutter_gaps and not is_vertical:
            break_gaps = _size_breaks(breaks, th)  # one column of lines now: its lines are the runs
        if not break_gaps and not gutter_gaps:
            leaves.append((tight, is_vertical))
            return
        widest_break = max((b - a for a, b in break_gaps), default=0) / cfg["min_gap"]
        widest_gutter = max((b - a for a, b in gutter_gaps), default=0) / gutter
        cut_breaks = bool(break_gaps) and widest_break >= widest_gutter
        gaps = break_gaps if cut_breaks else gutter_gaps
        along_x = cut_breaks == is_vertical  # the cut lines are vertical bands: pieces side by side
        start, stop = (x0, x1) if along_x else (y0, y1)
        bounds = [start] + [start + (a + b) // 2 for a, b in gaps] + [stop]
        pieces = [(a, y0, b, y1) if along_x else (x0, a, x1, b) for a, b in zip(bounds, bounds[1:])]
        if along_x and is_vertical:
            pieces.reverse()  # vertical text is read from the right
        for piece in pieces:
            cut(piece)

    cut((0, 0, text.shape[1], text.shape[0]))
    return leaves


def _size_breaks(rows: np.ndarray, th: float) -> list[tuple[int, int]]:
    """Narrow gaps between lines of display type of very different sizes: a kicker or section
    label set close above a headline is its own block even where the gap is too narrow to count
    as a block break (a skewed, blurred scan closes it up). Body-sized lines and regions of more
    than four runs are left alone: a Latin line without ascenders is half as tall as its
    neighbours, and lines whose descenders touch the next make taller runs, but no new block."""
    runs = runs_of(rows > 0)
    if len(runs) > 4:  # running text, where lines that touch make runs of any height
        return []
    out = []
    for (a0, a1), (b0, b1) in zip(runs, runs[1:]):
        small, large = sorted((a1 - a0, b1 - b0))
        if b0 - a1 >= 2 and small >= 1.2 * th and large >= 1.3 * small:
            out.append((a1, b0))
    return out


WORD_SPACE = 0.6  # the widest word space of display type, in its type size


def _inside_one_line(region: np.ndarray, gap: tuple[int, int], size: float) -> bool:
    """Whether a gap is a space inside lines of a head rather than a gutter between columns of
    lines. Wide gaps (two type sizes) never are. Inside are:

    - a gap with a single line beside it on both sides (a headline's letter-spacing);
    - a word space in the first line of a two-line head whose short, centred second line stands
      on one side of it: the side with one line holds the rest of a line the other side begins;
    - a word-space-wide gap through both lines of a two-line head, the same two lines on both
      sides (columns of body type have more lines, and gutters wider than a word space)."""
    a, b = gap
    if b - a >= 2 * size:
        return False
    reach = max(2, int(size))
    sides = [region[:, max(0, a - reach) : a], region[:, b : b + reach]]
    lines_of = [count_lines(side) for side in sides]
    fewer = 1 if lines_of[1] < lines_of[0] else 0  # the side with fewer lines; the left on a tie
    counts = [lines_of[fewer], lines_of[1 - fewer]]
    if counts[1] <= 1:
        return True
    one, two = sides[fewer].any(axis=1), sides[1 - fewer].any(axis=1)
    shared = (one & two).sum()
    if counts == [1, 2]:
        return bool(shared >= 0.5 * one.sum())
    if counts == [2, 2] and b - a < WORD_SPACE * size:
        return bool(shared >= 0.8 * min(one.sum(), two.sum()))
    return False


def _drop_narrow_pieces(gaps: list[tuple[int, int]], length: int, min_width: float,
                        keep_width: float) -> list[tuple[int, int]]:
    """Drop gaps that would cut off a piece narrower than a column.

    Letter-spaced text set on a grid has gaps that line up from line to line like gutters; the
    pieces between them are a glyph wide, far narrower than any column. Gaps wider than
    `keep_width` are wider than any letter-spacing and always stay (a scan's dark edge is a
    narrow piece that must still be cut off).
    """
    gaps = list(gaps)
    while any(b - a < keep_width for a, b in gaps):
        edges = [0] + [x for gap in gaps for x in gap] + [length]
        widths = [edges[2 * i + 1] - edges[2 * i] for i in range(len(gaps) + 1)]
        narrowest = min(range(len(widths)), key=widths.__getitem__)
        if widths[narrowest] >= min_width:
            break
        # remove the narrower of the gaps beside the narrowest piece
        beside = [i for i in (narrowest - 1, narrowest) if 0 <= i < len(gaps) and gaps[i][1] - gaps[i][0] < keep_width]
        if not beside:
            break
        gaps.pop(min(beside, key=lambda i: gaps[i][1] - gaps[i][0]))
    return gaps


def is_reverse_type(ink: np.ndarray) -> bool:
    """White text on a dark box: the box's frame is solid ink, unlike a block of dark glyphs."""
    h, w = ink.shape
    if h < 4 or w < 4:
        return False
    frame = np.concatenate([ink[:2].ravel(), ink[-2:].ravel(), ink[:, :2].ravel(), ink[:, -2:].ravel()])
    return bool(frame.mean() > 0.8 and ink.mean() > 0.45)


@dataclass
class Leaf:
    box: Box
    vertical: bool
    size: float  # type size: line height, or column width for vertical text


def merge_leaves(leaves: list[Leaf], th: float, max_gap: float) -> list[Leaf]:
    """Join runs of single-line leaves that are one block the XY-cut split apart.

    Widely leaded text (a lead, a caption) is split into single lines, and a line with a wide
    space into pieces. A horizontal one-line leaf is joined to the previous leaf when that is a
    one-line leaf or such a run, both have the same body-like type size, and it continues it:
    the next line below on (almost) the same measure, or the rest of the same line to its
    right. Multi-line leaves are blocks already and are never joined.
    """
    out: list[Leaf] = []
    joinable: list[bool] = []
    for leaf in leaves:
        box, h = leaf.box, leaf.size
        extent = (box[2] - box[0]) if leaf.vertical else (box[3] - box[1])
        single = extent < 1.8 * h
        if out and single and joinable[-1] and out[-1].vertical == leaf.vertical:
            prev = out[-1]
            if 0.8 <= h / prev.size <= 1.25 and h < 1.3 * th and _continues(prev, leaf, th, max_gap):
                prev.box = _box_union(prev.box, box)
                continue
        out.append(Leaf(box, leaf.vertical, h))
        joinable.append(single)
    return _absorb_contained(out)


def _box_union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _area(b: Box) -> int:
    return max(0, b[2] - b[0]) * max(0, b[3] - b[1])


def _absorb_contained(leaves: list[Leaf]) -> list[Leaf]:
    """A leaf lying mostly inside another's box (the letter-spaced tail of a block's last line,
    which the XY-cut split off) is part of that block: it would otherwise read the same line twice."""
    kept: list[Leaf] = []
    for leaf in sorted(leaves, key=lambda lf: -_area(lf.box)):
        b = leaf.box
        for big in kept:
            c = big.box
            inside = (max(b[0], c[0]), max(b[1], c[1]), min(b[2], c[2]), min(b[3], c[3]))
            if big.vertical == leaf.vertical and _area(inside) >= 0.8 * _area(b):
                big.box = _box_union(c, b)
                break
        else:
            kept.append(leaf)
    kept_ids = {id(leaf) for leaf in kept}
    return [leaf for leaf in leaves if id(leaf) in kept_ids]  # in reading order


def _continues(prev: Leaf, leaf: Leaf, th: float, max_gap: float) -> bool:
    """`leaf` is the next line of `prev` (below it; for vertical text, left of it) on about the
    same measure, or the rest of the same line (to its right; for vertical text, below it)."""
    (x0, y0, x1, y1), box = prev.box, leaf.box
    if leaf.vertical:  # turn the geometry a quarter so one test serves both directions
        x0, y0, x1, y1 = y0, -x1, y1, -x0
        box = (box[1], -box[2], box[3], -box[0])
    overlap = min(x1, box[2]) - max(x0, box[0])
    next_line = 0 <= box[1] - y1 <= max_gap * th and overlap >= 0.8 * min(x1 - x0, box[2] - box[0])
    same_line = box[1] < y1 and box[3] > y0 and 0 <= box[0] - x1 <= 2 * th and y1 - y0 < 1.8 * prev.size
    return next_line or same_line


def count_lines(region: np.ndarray) -> int:
    """Text lines in a block: runs of inked rows."""
    return len(runs_of(region.sum(axis=1) > 0))


def assign_kinds(blocks: list[Block], lines: dict[str, int], th: float, page_h: int,
                 photos: list[Block], cfg: dict[str, Any]) -> None:
    """Kinds from type size, position and neighbours; `blocks` is in page (XY-cut) order."""
    ratio = {b.id: b.text_height / th for b in blocks}
    top_text = min((b.bbox[1] for b in blocks), default=0)
    body_widths = [b.bbox[2] - b.bbox[0] for b in blocks if ratio[b.id] < cfg["subhead_ratio"] and lines[b.id] > 3]
    column = float(np.median(body_widths)) if body_widths else float(page_h)
    head_lines = cfg["max_head_lines"]

    for b in blocks:
        x0, y0, x1, y1 = b.bbox
        r = ratio[b.id]
        if b.inverted:
            b.kind = BlockKind.SECTION if y0 <= top_text + th else BlockKind.KICKER
        elif lines[b.id] <= head_lines and r >= cfg["headline_ratio"]:
            b.kind = BlockKind.HEADLINE
        elif lines[b.id] <= head_lines and r >= cfg["subhead_ratio"]:
            b.kind = BlockKind.SUBHEAD
        elif lines[b.id] <= 1 and (y1 < page_h * cfg["margin"] or y0 > page_h * (1 - cfg["margin"])):
            b.kind = BlockKind.HEADER if y1 < page_h / 2 else BlockKind.FOOTER
        else:
            b.kind = BlockKind.BODY

    # In a run of head blocks the largest type is the headline; smaller head type is a subhead.
    start = 0
    while start < len(blocks):
        end = start
        while end < len(blocks) and blocks[end].kind in HEAD_KINDS:
            end += 1
        run = blocks[start:end]
        if run:
            largest = max(b.text_height for b in run)
            for b in run:
                if b.kind == BlockKind.HEADLINE and b.text_height < 0.85 * largest:
                    b.kind = BlockKind.SUBHEAD
        start = end + 1

    # A single short line of slightly large type right above bigger head type is a kicker.
    for prev, nxt in zip(blocks, blocks[1:]):
        if (
            prev.kind in (BlockKind.SUBHEAD, BlockKind.BODY)
            and lines[prev.id] == 1
            and ratio[prev.id] >= 1.1
            and nxt.kind in (BlockKind.HEADLINE, BlockKind.SUBHEAD)
            and prev.text_height < nxt.text_height * 0.8
            and (prev.bbox[2] - prev.bbox[0]) < 0.5 * (nxt.bbox[2] - nxt.bbox[0])
        ):
            prev.kind = BlockKind.KICKER

    # The first running text after a headline, set wider than the columns, is the lead.
    for prev, b in zip(blocks, blocks[1:]):
        if (prev.kind in HEAD_KINDS and b.kind == BlockKind.BODY and b.direction == Direction.HORIZONTAL
                and (b.bbox[2] - b.bbox[0]) > 1.5 * column):
            b.kind = BlockKind.LEAD

    # Short text right under (or over) a photo and within its width is its caption.
    gap = cfg["caption_gap"] * th
    for b in blocks:
        if b.kind not in (BlockKind.BODY, BlockKind.SUBHEAD) or lines[b.id] > 3:
            continue
        for p in photos:
            px0, py0, px1, py1 = p.bbox
            overlap = min(px1, b.bbox[2]) - max(px0, b.bbox[0])
            below = 0 <= b.bbox[1] - py1 <= gap
            above = 0 <= py0 - b.bbox[3] <= gap
            if overlap > 0.5 * (b.bbox[2] - b.bbox[0]) and (below or above):
                b.kind = BlockKind.CAPTION
                b.article = p.id  # its photo; the order stage puts both in one article
                break


def analyze_layout(page: Page, cfg: dict[str, Any]) -> Page:
    """Find separators, photos and text blocks on `page.image` (the cleaned page).

    Blocks are built in working coordinates and mapped to input coordinates at the end.
    """
    start = time.perf_counter()
    settings = cfg["layout"]
    grey = page.image
    ink = binarize(grey, settings["ink_threshold"])
    # At full size a 600-dpi glyph falls apart into strokes and the page's grain into specks, so
    # the median component errs low; cleanup measured the glyphs on a reduced copy, where a
    # glyph's strokes join. The larger of the two is the glyph.
    glyph = max(glyph_size(ink), float(page.metadata.get("glyph_height") or 0.0))
    # Which way the body text runs decides how its size is measured and how the page is cut.
    directions = TextDirection.of(ink, glyph)
    page_vertical = settings["direction"] == "vertical" or (
        settings["direction"] == "auto" and directions.vertical((0, 0, ink.shape[1], ink.shape[0]), 2.0))
    page.metadata["direction"] = "vertical" if page_vertical else "horizontal"
    th = estimate_text_height(ink, page_vertical, glyph)

    text = ink.copy()
    photo_boxes = find_photos(ink, th, settings["photos"])
    photos = [Block(f"p{i + 1}", BlockKind.PHOTO, rect_polygon(*box)) for i, box in enumerate(photo_boxes)]
    for x0, y0, x1, y1 in photo_boxes:
        text[y0:y1, x0:x1] = 0
    # Rules: drawn between columns and articles, not the streaks inside a halftone.
    pad = max(2, int(th * 0.25))  # a rule's ragged edges and broken-off bits go with it
    rule_boxes = find_rules(text, th, settings["rules"])
    rules = [Block(f"r{i + 1}", BlockKind.SEPARATOR, rect_polygon(*box)) for i, box in enumerate(rule_boxes)]
    for x0, y0, x1, y1 in rule_boxes:
        text[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad] = 0
    # Specks smaller than a glyph's smallest stroke go; for finding gutters, where a few dots would
    # close one down a whole column, dust up to a 3-px speck (not a 、 or 。) goes too.
    text, dustless = without_specks(text, max(2, int(th * th * 0.01)), max(2, int(th * th * 0.025)))

    blobs = smear_blobs(text, th)
    text_blocks: list[Block] = []
    lines: dict[str, int] = {}
    directions = TextDirection.of(text, th)
    leaves = []
    for box, is_vertical in xy_cut(text, rule_boxes, blobs, directions if page_vertical else None, th,
                                   settings["xycut"], dustless):
        blob_set = directions.down if is_vertical else blobs
        sizes = (blob_set.widths if is_vertical else blob_set.heights)[blob_set.inside(*box)]
        leaves.append(Leaf(box, is_vertical, float(np.median(sizes)) if len(sizes) else th))
    for leaf in merge_leaves(leaves, th, settings["xycut"]["merge_gap"]):
        x0, y0, x1, y1 = leaf.box
        region = text[y0:y1, x0:x1]
        if region.sum() < th * th * 0.2 or min(y1 - y0, x1 - x0) < th * 0.3:
            continue
        block = Block(
            id=f"b{len(text_blocks) + 1}",
            kind=BlockKind.BODY,
            polygon=rect_polygon(x0, y0, x1, y1),
            text_height=leaf.size,
            inverted=is_reverse_type(ink[y0:y1, x0:x1]),
            direction=Direction.VERTICAL if leaf.vertical else Direction.HORIZONTAL,
        )
        lines[block.id] = 1 if block.inverted else count_lines(region.T if leaf.vertical else region)
        text_blocks.append(block)

    assign_kinds(text_blocks, lines, th, grey.shape[0], photos, settings["kinds"])
    text_blocks = with_drop_caps(text_blocks, text)
    page.blocks = text_blocks + photos + rules
    for b in page.blocks:
        b.polygon = page.to_input(b.polygon)
        b.text_height = round(b.text_height, 1)
    page.reading_order = [b.id for b in text_blocks]
    page.metadata["text_height"] = round(th, 1)
    page.timings["layout"] = round(time.perf_counter() - start, 3)
    return page


def with_drop_caps(blocks: list[Block], text: np.ndarray) -> list[Block]:
    """Each body or lead block that opens with a drop cap gets the cap as a block of its own, just
    before it in reading order (see `drop_caps.py`)."""
    out = []
    for block in blocks:
        if block.kind in (BlockKind.BODY, BlockKind.LEAD) and block.direction == Direction.HORIZONTAL:
            x0, y0, x1, y1 = bbox_of(block.polygon)
            cap = find_drop_cap(text[y0:y1, x0:x1], block.text_height)
            if cap is not None:
                cx0, cy0, cx1, cy1 = cap
                out.append(Block(f"{block.id}-cap", BlockKind.DROP_CAP,
                                 rect_polygon(x0 + cx0, y0 + cy0, x0 + cx1, y0 + cy1),
                                 text_height=float(cy1 - cy0)))
        out.append(block)
    return out


def without_specks(mask: np.ndarray, *min_areas: int) -> list[np.ndarray]:
    """Copies of `mask` without its components smaller than each of `min_areas` (dust, stray
    halftone dots); one labelling serves them all."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for min_area in min_areas:
        small = stats[:, cv2.CC_STAT_AREA] < min_area
        small[0] = False
        cleaned = mask.copy()
        cleaned[small[labels]] = 0
        out.append(cleaned)
    return out
