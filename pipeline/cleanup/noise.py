"""Specks: dust, fibres and stray dots, removed without touching the strokes of type.

A speck is small *and* alone. Size alone would take the dots of 、。 and i, and the 1–2 px
strokes of CJK type at 150 dpi; but those always stand within a fraction of a glyph of other
ink, while a speck on the paper has nothing near it. (Specks touching type stay: they are the
recognizer's to ignore, and telling them from strokes is not worth the risk.)

Dust is a few pixels across; a mark the size of a comma can also stand further from its
neighbours (vertical columns centre 、。 in their cells, half a glyph from the next), so it must
be alone over a wider ring before it counts as a speck.
"""

from __future__ import annotations

import cv2
import numpy as np

MARK_SIZED = 0.15  # glyph heights: a component bigger than this may be a punctuation mark
MARK_REACH = 1.6  # ... and must be alone over this many times the isolation distance


def remove_specks(grey: np.ndarray, glyph: float, size: float = 0.3, isolation: float = 0.5,
                  ink_level: int = 200) -> np.ndarray:
    """`grey` with isolated specks painted white.

    A speck is a component of ink (darker than `ink_level`) at most `size` glyph heights across
    with no other ink within `isolation` glyph heights (`MARK_REACH` times that if it is
    comma-sized). Each candidate's surroundings are counted in an integral image of the ink,
    so a large page costs one labelling and a few array sums.
    """
    ink = (grey < ink_level).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h, area = (stats[1:, i] for i in range(5))
    small = np.flatnonzero(np.maximum(w, h) <= max(1.0, size * glyph))
    if not len(small):
        return grey
    reach = np.where(np.maximum(w, h)[small] > MARK_SIZED * glyph, MARK_REACH, 1.0)
    r = np.maximum(1, np.round(isolation * glyph * reach)).astype(int)
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
