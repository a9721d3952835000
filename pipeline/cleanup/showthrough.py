"""Show-through: the reverse side's ink, seen faintly through the paper, is painted out.

After the paper is flattened, printed ink is dark and show-through is pale: reverse-side type
seen through newsprint keeps well under half the ink's darkness. Every mark paler than
`core` is painted white unless it lies within a stroke's edge (`reach`) of ink darker than
`core`: anti-aliased edges and thin strokes next to a dark core stay, pale type of the reverse
side goes, and where it crosses real type only its pixels hugging the real strokes are left.
"""

from __future__ import annotations

import cv2
import numpy as np


def suppress_show_through(grey: np.ndarray, glyph: float, core: float = 0.68, reach: float = 0.08,
                          smooth: float = 0.0) -> np.ndarray:
    """`grey` with pale marks away from dark ink painted white.

    `core`: the darkest show-through, as a share of white (0.68: grey level 173); `reach`: how far
    from dark ink paler pixels are kept, in glyph heights (at least one pixel); `smooth`: see below.
    """
    # With `smooth` (glyph heights) the print is told on a smoothed copy: noise dips pale areas
    # below `core` pixel by pixel, but not their average; it also lightens 1-px strokes, though.
    decide = cv2.GaussianBlur(grey, (0, 0), smooth * glyph) if smooth > 0 else grey
    dark = (decide < int(core * 255)).astype(np.uint8)
    r = max(1, int(round(reach * glyph)))
    near = cv2.dilate(dark, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1)))
    out = grey.copy()
    out[near == 0] = 255
    return out
