"""Orientation: which way up the page is, read off a few of its lines.

The line direction (lines.py) brings the lines horizontal; what remains is decided on a few
line images, which are either upright horizontal type, horizontal type upside down, or
vertical CJK type lying on its side (either way round):

1. Reading them as they lie and turned by 180° tells which of the two holds the readable
   glyphs (the recognizer's confidence: about 0.99 against 0.2–0.6).
2. On a CJK page whose lines came vertical, the punctuation tells horizontal from vertical type.
   PP-OCR reads sideways CJK glyphs nearly as confidently as upright ones, so its confidence
   can't; but 。，、 stand at the foot of their cell in horizontal type and at its right side in
   vertical type, so in a line lying horizontal they fall below the middle for upright
   horizontal type (and vertical type turned clockwise) and above it for vertical type turned
   counter-clockwise (and horizontal type upside down).

Only a page whose lines came vertical can be vertical type; without the punctuation's
evidence it is taken for vertical type and kept as it lies: a vertical page is never
"corrected" to 90°.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from ..engines import Engine
from .binarize import otsu_ink

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class Orientation:
    turns: int  # quarter turns counter-clockwise still to apply to the page as given
    vertical: bool  # the page is set in vertical lines
    scores: dict[str, float]  # mean recognition confidence as the lines lie and upside down; the punctuation cue


def line_crops(grey: np.ndarray, boxes: np.ndarray, count: int, max_length: float) -> list[np.ndarray]:
    """Up to `count` body-size lines spread over the page, each cut to `max_length` line heights."""
    if not len(boxes):
        return []
    heights = boxes[:, 3] - boxes[:, 1]
    typical = np.median(heights)
    fit = boxes[(heights >= 0.7 * typical) & (heights <= 1.5 * typical) & (boxes[:, 2] - boxes[:, 0] >= 4 * heights)]
    if not len(fit):
        return []
    fit = fit[np.lexsort((fit[:, 0], fit[:, 1]))]
    picks = fit[np.unique(np.linspace(0, len(fit) - 1, min(count, len(fit))).round().astype(int))]
    h, w = grey.shape
    crops = []
    for x0, y0, x1, y1 in picks:
        pad = 0.15 * (y1 - y0)
        x1 = min(x1, x0 + max_length * (y1 - y0))
        rows = slice(max(0, int(y0 - pad)), min(h, int(y1 + pad) + 1))
        crops.append(grey[rows, max(0, int(x0 - pad)) : min(w, int(x1 + pad) + 1)])
    return crops


def punctuation_side(crops: list[np.ndarray]) -> int:
    """+1 when the small marks of CJK type (。，、) sit below the middle of the lines, −1 above,
    0 when there are too few to tell.

    A punctuation mark is small and alone across the line: no other ink above or below it.
    The dots inside glyphs (灬, 氵, 丶) always have more of their glyph beside them across the line.
    """
    below = above = 0
    for crop in crops:
        ink = otsu_ink(crop)
        _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        # Pieces of the neighbouring lines reach into the crop's edges: not this line's type.
        own = [i for i, (x, y, w, hh, _) in enumerate(stats[1:], start=1) if y > 0 and y + hh < crop.shape[0]]
        if len(own) < 4:
            continue
        top = min(stats[i, 1] for i in own)
        size = max(stats[i, 1] + stats[i, 3] for i in own) - top  # the type's extent in the crop
        for label in own:
            x, y, w, hh, area = stats[label]
            if max(w, hh) > 0.35 * size or area < 2:
                continue
            across = labels[:, x : x + w]
            if np.any((across != 0) & (across != label)):
                continue  # part of a glyph
            if y >= top + 0.5 * size:
                below += 1
            elif y + hh <= top + 0.5 * size:
                above += 1
    # Quotation marks (“”) stand high in horizontal type: the evidence is a majority, not all.
    if below + above < 6 or abs(below - above) < 0.25 * (below + above):
        return 0
    return 1 if below > above else -1


def read_orientation(grey: np.ndarray, lines: np.ndarray, engine: Engine, count: int = 6,
                     max_length: float = 10.0, allow_vertical: bool = True, margin: float = 0.05,
                     accept: float = 0.9, turned: bool = False) -> Orientation:
    """How to turn `grey`, whose lines (`lines`, boxes) lie horizontal, to make it upright.

    `turned`: the page was turned a quarter counter-clockwise to lay its lines horizontal (it
    had vertical lines). Lines that read as they lie with a mean confidence of `accept` settle
    step 1 without reading them upside down; else upside down must beat them by `margin`.
    """
    crops = line_crops(grey, lines, count, max_length)
    if not crops:
        return Orientation(0, False, {})

    def read(images: list[np.ndarray]) -> tuple[float, str]:
        results = engine.recognize([cv2.cvtColor(np.ascontiguousarray(i), cv2.COLOR_GRAY2BGR) for i in images])
        score = float(np.mean([r.confidence if r.text.strip() else 0.0 for r in results]))
        return round(score, 3), "".join(r.text for r in results)

    scores: dict[str, float] = {}
    scores["as it lies"], text = read(crops)
    flipped = False
    if scores["as it lies"] < accept:
        scores["upside down"], text_flipped = read([np.rot90(c, 2) for c in crops])
        if scores["upside down"] >= scores["as it lies"] + margin:
            flipped, text = True, text_flipped
    cjk = len(CJK.findall(text)) >= 0.3 * max(1, len(text.strip()))
    if not (allow_vertical and cjk and turned):
        # Lines that came horizontal are horizontal type (vertical type scanned sideways is
        # read as horizontal lines of sideways glyphs: rare, and PP-OCR reads those).
        return Orientation(2 if flipped else 0, False, scores)

    side = punctuation_side(line_crops(grey, lines, 40, 40.0))  # in the frame as it lies; no reading needed
    scores["punctuation below"] = side
    if side == 0:
        horizontal = False  # no evidence: the page keeps the vertical lines it came with
    else:
        # Upright horizontal type: readable as it lies, marks below. Readable upside down,
        # marks above: horizontal upside down. The mixed cases are vertical type on its side.
        horizontal = (side > 0) != flipped
    if horizontal:
        return Orientation(2 if flipped else 0, False, scores)
    # Vertical type: glyphs readable as they lie were turned counter-clockwise; turn them back.
    return Orientation(1 if flipped else 3, True, scores)
