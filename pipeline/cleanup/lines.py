"""A quick look at the page's text on a reduced copy: type size, line direction, line boxes.

Cleanup needs these before the layout stage has run: the type size sets its kernels (what is a
speck, how far a stroke's edge reaches), the line direction tells a sideways page, and the line
boxes give the printed area and the lines the orientation check reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .binarize import components, otsu_ink
from .reduce import reduced


@dataclass
class Sketch:
    scale: float  # reduced copy / working image
    glyph: float  # typical glyph height, working-image pixels
    lines: np.ndarray  # N×4 boxes (x0, y0, x1, y1) of horizontal text lines, working-image pixels
    vertical: bool  # the lines run top to bottom: a sideways page, or vertical CJK type
    components: np.ndarray  # N×4 boxes of all ink components but specks, working-image pixels

    @property
    def line_height(self) -> float:
        return float(np.median(self.lines[:, 3] - self.lines[:, 1])) if len(self.lines) else self.glyph


def _line_blobs(ink: np.ndarray, glyph: float, reach: float = 0.8) -> np.ndarray:
    """Glyphs smeared along x (over gaps up to `reach` glyphs) into lines; boxes of the blobs
    shaped like a line of type."""
    smear = max(3, int(round(reach * glyph)))
    s = components(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, smear), np.uint8)))
    h, w = s[:, 3], s[:, 2]
    keep = (h >= 0.6 * glyph) & (h <= 3.0 * glyph) & (w >= 3 * h)
    s = s[keep]
    return np.column_stack([s[:, 0], s[:, 1], s[:, 0] + s[:, 2], s[:, 1] + s[:, 3]]).astype(np.float64)


def sketch(grey: np.ndarray, work_size: int = 1600) -> Sketch:
    """Ink by Otsu's threshold on a copy whose long side is at most `work_size` pixels."""
    small, scale = reduced(grey, work_size)
    ink = otsu_ink(small)
    s = components(ink)
    # Glyph-sized components: not specks, not rules or photos. A glyph's larger side, so the
    # size is the same whichever way the page lies.
    size = np.maximum(s[:, 2], s[:, 3])
    solid = size[(s[:, 4] >= 6) & (size >= 3) & (size < 0.05 * max(small.shape))]
    glyph = float(np.median(solid)) if len(solid) >= 10 else 10.0
    transposed = np.ascontiguousarray(ink.T)
    lines = _line_blobs(ink, glyph)
    vertical = _area(_line_blobs(transposed, glyph, 0.4)) > _area(_line_blobs(ink, glyph, 0.4))
    marks = s[size >= 3]
    boxes = np.column_stack([marks[:, 0], marks[:, 1], marks[:, 0] + marks[:, 2], marks[:, 1] + marks[:, 3]])
    return Sketch(scale, glyph / scale, lines / scale, vertical, boxes.astype(np.float64) / scale)


def _area(boxes: np.ndarray) -> float:
    """Line direction: glyphs join into lines along the direction they are set in, because
    letters and characters stand closer together than lines do. Smeared over gaps of under half
    a glyph, far more ink forms line-shaped blobs along the lines than across them (measured:
    13 to 70 times more on horizontal pages up to 10° askew, Fraktur and CJK)."""
    return float(np.sum((boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])))
