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

from .model import Block, BlockKind, Page, rect_polygon

HEAD_KINDS = (BlockKind.KICKER, BlockKind.HEADLINE, BlockKind.SUBHEAD)


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

    def inside(self, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
        cx, cy = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        return (cx >= x0) & (cx < x1) & (cy >= y0) & (cy < y1)


def binarize(grey: np.ndarray, threshold: int = 0) -> np.ndarray:
    """Ink as 1 (uint8). Otsu's threshold unless a grey level is given."""
    if threshold:
        return (grey < threshold).astype(np.uint8)
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def _components(mask: np.ndarray) -> np.ndarray:
    """Connected-component stats (x, y, w, h, area) without the background row."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return stats[1:]


def estimate_text_height(ink: np.ndarray) -> float:
    """The body text's height, from the heights of line-shaped blobs.

    Glyphs are first measured as connected components; smearing each line with a kernel of
    half that size joins its glyphs into one wide blob whose height is the line's. The
    width-weighted median favours the page's running text over headlines.
    """
    stats = _components(ink)
    # Specks of noise outnumber glyphs on a grainy scan: size glyphs from solid components only.
    sizes = stats[(stats[:, 4] >= 24) & (stats[:, 3] >= 5), 3]
    glyph = float(np.median(sizes)) if len(sizes) else 10.0
    blobs = smear_blobs(ink, glyph)
    wide = (blobs.x1 - blobs.x0) > 3 * blobs.heights
    h = blobs.heights[wide] if wide.sum() >= 5 else blobs.heights
    w = (blobs.x1 - blobs.x0)[wide] if wide.sum() >= 5 else blobs.x1 - blobs.x0
    order = np.argsort(h)
    cum = np.cumsum(w[order])
    return float(h[order][np.searchsorted(cum, cum[-1] / 2)]) if len(h) else glyph


def smear_blobs(ink: np.ndarray, text_height: float) -> TextBlobs:
    width = max(3, int(round(text_height * 0.5)))
    smeared = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, width), np.uint8))
    s = _components(smeared)
    s = s[(s[:, 4] >= max(12, text_height)) & (s[:, 3] >= max(3, text_height * 0.3))]
    return TextBlobs(s[:, 0], s[:, 1], s[:, 0] + s[:, 2], s[:, 1] + s[:, 3])


def find_rules(ink: np.ndarray, th: float, cfg: dict[str, Any]) -> list[tuple[int, int, int, int]]:
    """Horizontal and vertical rules: long, thin runs of ink."""
    length = max(10, int(cfg["min_length"] * th))
    thick = max(2, int(cfg["max_thickness"] * th))
    rules = []
    for kernel in (np.ones((1, length), np.uint8), np.ones((length, 1), np.uint8)):
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        for x, y, w, h, _ in _components(lines):
            if min(w, h) <= thick:
                rules.append((int(x), int(y), int(x + w), int(y + h)))
    return rules


def find_photos(ink: np.ndarray, th: float, cfg: dict[str, Any]) -> list[tuple[int, int, int, int]]:
    """Photos and halftones: large dense areas of ink.

    A small dilation joins halftone dots into one component; glyphs, even headline glyphs,
    stay far smaller than `min_size` text heights, and reverse-type boxes are too low.
    """
    r = max(1, int(round(th * 0.1)))
    joined = cv2.dilate(ink, np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    size = cfg["min_size"] * th
    photos = []
    for x, y, w, h, _ in _components(joined):
        if w >= size and h >= size and ink[y : y + h, x : x + w].mean() >= cfg["min_fill"]:
            photos.append((int(x), int(y), int(x + w), int(y + h)))
    return photos


def _gaps(profile: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """Runs of empty bins at least `min_len` long, strictly inside the profile."""
    empty = np.concatenate([[0], (profile == 0).astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(empty))
    runs = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]
    return [(a, b) for a, b in runs if a > 0 and b < len(profile) and b - a >= min_len]


def xy_cut(
    text: np.ndarray, barriers: np.ndarray, blobs: TextBlobs, th: float, cfg: dict[str, Any]
) -> list[tuple[int, int, int, int]]:
    """Recursive XY-cut: leaf boxes in reading order (top to bottom, left to right).

    `barriers` holds the rules: a column gutter may not cross a horizontal rule, nor a block
    break a vertical one, so articles that a rule closes stay apart even where whitespace
    happens to line up across them. At each region the widest gap, measured in the region's
    own text heights (so letter-spacing inside a headline does not split it), decides the cut.
    """
    leaves: list[tuple[int, int, int, int]] = []
    horizontal_rules = cv2.morphologyEx(barriers, cv2.MORPH_OPEN, np.ones((1, 3), np.uint8))
    vertical_rules = barriers & ~horizontal_rules

    def tighten(x0: int, y0: int, x1: int, y1: int) -> tuple[int, int, int, int] | None:
        region = text[y0:y1, x0:x1]
        rows, cols = np.flatnonzero(region.any(axis=1)), np.flatnonzero(region.any(axis=0))
        if not len(rows):
            return None
        return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1

    def local_height(box: tuple[int, int, int, int]) -> float:
        heights = blobs.heights[blobs.inside(*box)]
        return max(th, float(np.median(heights))) if len(heights) else th

    def cut(box: tuple[int, int, int, int]) -> None:
        tight = tighten(*box)
        if tight is None:
            return
        x0, y0, x1, y1 = tight
        region = text[y0:y1, x0:x1]
        lh = local_height(tight)
        noise = int(cfg["noise"] * (y1 - y0))
        row_ink = region.sum(axis=1) + vertical_rules[y0:y1, x0:x1].sum(axis=1)
        col_ink = np.where(region.sum(axis=0) <= noise, 0, 1) + horizontal_rules[y0:y1, x0:x1].sum(axis=0)
        # A single line is split only at a gap wider than its type: glyph gaps are not gutters.
        gutter = cfg["min_gutter"] if count_lines(region) > 1 else 1.0
        rows = _gaps(row_ink, max(2, int(cfg["min_gap"] * lh)))
        cols = _gaps(col_ink, max(2, int(gutter * lh)))
        if not rows and not cols:
            leaves.append(tight)
            return
        widest_row = max((b - a for a, b in rows), default=0) / cfg["min_gap"]
        widest_col = max((b - a for a, b in cols), default=0) / gutter
        if rows and widest_row >= widest_col:
            bounds = [y0] + [y0 + (a + b) // 2 for a, b in rows] + [y1]
            for a, b in zip(bounds, bounds[1:]):
                cut((x0, a, x1, b))
        else:
            bounds = [x0] + [x0 + (a + b) // 2 for a, b in cols] + [x1]
            for a, b in zip(bounds, bounds[1:]):
                cut((a, y0, b, y1))

    cut((0, 0, text.shape[1], text.shape[0]))
    return leaves


def is_reverse_type(ink: np.ndarray) -> bool:
    """White text on a dark box: the box's frame is solid ink, unlike a block of dark glyphs."""
    h, w = ink.shape
    if h < 4 or w < 4:
        return False
    frame = np.concatenate([ink[:2].ravel(), ink[-2:].ravel(), ink[:, :2].ravel(), ink[:, -2:].ravel()])
    return bool(frame.mean() > 0.8 and ink.mean() > 0.45)


def count_lines(region: np.ndarray) -> int:
    """Text lines in a block: runs of inked rows."""
    inked = np.concatenate([[0], (region.sum(axis=1) > 0).astype(np.int8), [0]])
    return int((np.diff(inked) == 1).sum())


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
        if prev.kind in HEAD_KINDS and b.kind == BlockKind.BODY and (b.bbox[2] - b.bbox[0]) > 1.5 * column:
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
    th = estimate_text_height(ink)

    text = ink.copy()
    photo_boxes = find_photos(ink, th, settings["photos"])
    photos = [Block(f"p{i + 1}", BlockKind.PHOTO, rect_polygon(*box)) for i, box in enumerate(photo_boxes)]
    for x0, y0, x1, y1 in photo_boxes:
        text[y0:y1, x0:x1] = 0
    # Rules: drawn between columns and articles, not the streaks inside a halftone.
    barriers = np.zeros_like(ink)
    pad = max(1, int(th * 0.1))
    rules = []
    for x0, y0, x1, y1 in find_rules(text, th, settings["rules"]):
        rules.append(Block(f"r{len(rules) + 1}", BlockKind.SEPARATOR, rect_polygon(x0, y0, x1, y1)))
        text[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad] = 0
        barriers[y0:y1, x0:x1] = 1
    remove_specks(text, max(2, int(th * th * 0.01)))

    blobs = smear_blobs(text, th)
    text_blocks: list[Block] = []
    lines: dict[str, int] = {}
    for x0, y0, x1, y1 in xy_cut(text, barriers, blobs, th, settings["xycut"]):
        region = text[y0:y1, x0:x1]
        if region.sum() < th * th * 0.2 or (y1 - y0) < th * 0.3:
            continue
        inside = blobs.heights[blobs.inside(x0, y0, x1, y1)]
        block = Block(
            id=f"b{len(text_blocks) + 1}",
            kind=BlockKind.BODY,
            polygon=rect_polygon(x0, y0, x1, y1),
            text_height=float(np.median(inside)) if len(inside) else th,
            inverted=is_reverse_type(ink[y0:y1, x0:x1]),
        )
        lines[block.id] = 1 if block.inverted else count_lines(region)
        text_blocks.append(block)

    assign_kinds(text_blocks, lines, th, grey.shape[0], photos, settings["kinds"])
    page.blocks = text_blocks + photos + rules
    for b in page.blocks:
        b.polygon = page.to_input(b.polygon)
        b.text_height = round(b.text_height, 1)
    page.reading_order = [b.id for b in text_blocks]
    page.metadata["text_height"] = round(th, 1)
    page.timings["layout"] = round(time.perf_counter() - start, 3)
    return page


def remove_specks(mask: np.ndarray, min_area: int) -> None:
    """Clear components smaller than a glyph's smallest stroke (dust, stray halftone dots)."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < min_area
    small[0] = False
    mask[small[labels]] = 0
