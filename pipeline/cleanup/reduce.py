"""Reduced copies of a page, on which cleanup takes its measurements cheaply."""

from __future__ import annotations

import cv2
import numpy as np

# However long the page, its short side keeps this many pixels: a strip cut from a page (one long
# line) shrunk to the usual long side would leave its glyphs a pixel or two high.
MIN_SHORT_SIDE = 400


def reduction(shape: tuple[int, ...], long_side: int) -> float:
    """The scale that brings the long side down to `long_side` (never up), short side permitting."""
    h, w = shape[:2]
    return min(1.0, max(long_side / max(h, w), MIN_SHORT_SIDE / min(h, w)))


def reduced(grey: np.ndarray, long_side: int) -> tuple[np.ndarray, float]:
    """A copy whose long side is about `long_side` pixels, and its scale."""
    scale = reduction(grey.shape, long_side)
    if scale >= 1:
        return grey, 1.0
    return cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale
