"""Drop caps: an article's first letter set large, beside its first lines.

The letter belongs to the first line's first word (`A` + `fter eleven hours` is `After eleven
hours`), but neither a line detector nor Tesseract's page segmentation sees it so: one reads it
as a line of its own, the other as a word of the second line that swallows the word beside it.
So the layout stage finds the letter and makes it a block of its own (`BlockKind.DROP_CAP`), the
OCR stage reads the other blocks with it painted out and the letter alone, and then joins the
letter to the first word of the line beside its top (`attach_drop_caps`).
"""

from __future__ import annotations

import cv2
import numpy as np

from .cleanup.binarize import components
from .model import Block, BlockKind, Page, Polygon, bbox_of, rect_polygon

Box = tuple[int, int, int, int]

# Sizes in body text heights (the block's median glyph height).
CAP_HEIGHT = (1.8, 6.0)  # two to five lines deep
CAP_REACH = 1.0  # its top and left edge within this of the block's
CAP_GAP = 0.25  # the white between the letter and the lines beside it


def find_drop_cap(region: np.ndarray, th: float) -> Box | None:
    """The drop cap of a text block (its ink mask, 0/1 or 0/255) in the block's pixels, or None.

    One connected component at the block's top left, two to five lines deep, no wider than
    about its height, with white between it and the lines beside it, and two or more lines of
    smaller type beside it."""
    from .layout import runs_of  # here: the layout stage imports this module

    if region.size == 0 or th <= 0:
        return None
    reach = CAP_REACH * th
    for x, y, w, h, _ in components((region > 0).astype(np.uint8)):
        at_corner = x <= reach and y <= reach
        if not (at_corner and CAP_HEIGHT[0] * th <= h <= CAP_HEIGHT[1] * th and 0.15 * h <= w <= 1.5 * h):
            continue
        beside = region[y : y + h, x + w :]
        gap = int(np.ceil(CAP_GAP * th))
        if beside.shape[1] < 4 * th or beside[:, :gap].any():
            continue  # touching ink: a large glyph of a line, not a letter standing apart
        # Beside it, two or more lines of smaller type over most of its rows; the next glyph of a
        # line of display type (a headline's first character) stands beside a single line.
        rows = beside.any(axis=1)
        runs = [b - a for a, b in runs_of(rows)]
        if rows.mean() >= 0.4 and len(runs) >= 2 and max(runs) < 0.7 * h:
            return int(x), int(y), int(x + w), int(y + h)
    return None


def cap_image(grey: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The letter alone on white: its box cut out exactly (a padded crop would take in the lines
    beside it) and framed with paper."""
    h, w = grey.shape[:2]
    x0, y0 = max(0, int(np.floor(box[0]))), max(0, int(np.floor(box[1])))
    x1, y1 = min(w, int(np.ceil(box[2]))), min(h, int(np.ceil(box[3])))
    crop = grey[y0:y1, x0:x1]
    frame = max(2, int(0.2 * (y1 - y0)))
    return cv2.cvtColor(np.pad(crop, frame, constant_values=255), cv2.COLOR_GRAY2BGR)


def painted_out(grey: np.ndarray, boxes: list[tuple[float, float, float, float]]) -> np.ndarray:
    """The page with the drop caps painted white, for reading the lines beside them."""
    out = grey.copy()
    for x0, y0, x1, y1 in boxes:
        out[max(0, int(y0) - 1) : int(np.ceil(y1)) + 1, max(0, int(x0) - 1) : int(np.ceil(x1)) + 1] = 255
    return out


def attach_drop_caps(page: Page) -> Page:
    """Join each drop cap's letter to the first word of the line beside its top, in the block that
    holds it, and drop the cap's block: its text now stands where the page's readers expect it."""
    joined = set()
    for cap in (b for b in page.blocks if b.kind is BlockKind.DROP_CAP):
        letter = "".join(line.text for line in cap.lines).strip()
        line = _line_beside(page, cap, bbox_of(cap.polygon))
        if not letter:
            joined.add(cap.id)  # nothing read: nothing to keep
        elif line is not None:
            line.text = letter + line.text.lstrip()
            line.polygon = _joined(line.polygon, cap.polygon)
            if line.words:
                first = line.words[0]
                first.text = letter + first.text
                first.polygon = _joined(first.polygon, cap.polygon)
            joined.add(cap.id)
        else:
            cap.kind = BlockKind.BODY  # no line beside it after all: its text stays, as a block
    page.blocks = [b for b in page.blocks if b.id not in joined]
    page.reading_order = [i for i in page.reading_order if i not in joined]
    return page


def _line_beside(page: Page, cap: Block, box: Box):
    """The topmost line to the right of the cap whose middle lies within the cap's rows, in the
    text block that holds the cap."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    for block in page.blocks:
        if block is cap or not block.kind.has_text or not block.lines:
            continue
        bx0, by0, bx1, by1 = bbox_of(block.polygon)
        if not (bx0 <= cx <= bx1 and by0 <= cy <= by1):
            continue
        beside = []
        for line in block.lines:
            lx0, ly0, lx1, ly1 = bbox_of(line.polygon)
            if lx0 >= x0 + 0.5 * (x1 - x0) and y0 <= (ly0 + ly1) / 2 <= y1:
                beside.append((ly0, line))
        if beside:
            return min(beside, key=lambda item: item[0])[1]
    return None


def _joined(a: Polygon, b: Polygon) -> Polygon:
    return rect_polygon(*bbox_of([*a, *b]))
