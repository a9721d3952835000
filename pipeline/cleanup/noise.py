"""Specks: dust, fibres and stray dots, removed without touching the strokes of type.

A speck is small *and* alone. Size alone would take the dots of 、。 and i, and the 1–2 px
strokes of CJK type at 150 dpi; but those always stand within a fraction of a glyph of other
ink, while a speck on the paper has nothing near it. (Specks touching type stay: they are the
recognizer's to ignore, and telling them from strokes is not worth the risk.)
"""

from __future__ import annotations

import cv2
import numpy as np


def remove_specks(grey: np.ndarray, glyph: float, size: float = 0.3, isolation: float = 0.5,
                  ink_level: int = 200) -> np.ndarray:
    """`grey` with isolated specks painted white.

    A speck is a component of ink (darker than `ink_level`) at most `size` glyph heights across
    with no other ink within `isolation` glyph heights. Each candidate's surroundings are counted
    in an integral image of the ink, so a large page costs one labelling and a few array sums.
    """
    ink = (grey < ink_level).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h, area = (stats[1:, i] for i in range(5))
    small = np.flatnonzero(np.maximum(w, h) <= max(1.0, size * glyph))
    if not len(small):
        return grey
    r = max(1, int(round(isolation * glyph)))
    rows, cols = grey.shape
    x0, y0 = np.maximum(0, x[small] - r), np.maximum(0, y[small] - r)
    x1, y1 = np.minimum(cols, x[small] + w[small] + r), np.minimum(rows, y[small] + h[small] + r)
    total = cv2.integral(ink)
    around = total[y1, x1] - total[y0, x1] - total[y1, x0] + total[y0, x0]
    out = grey.copy()
    for i in small[around == area[small]]:  # nothing near but the speck itself
        sy, sx = slice(y[i], y[i] + h[i]), slice(x[i], x[i] + w[i])
        out[sy, sx][labels[sy, sx] == i + 1] = 255
    return out
