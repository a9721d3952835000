"""Ink masks: Otsu's global threshold and the connected components of a mask, which every stage
measures with; and binarization (an option per engine): Sauvola's local threshold, black ink on white.

Tesseract expects a bilevel page; PP-OCR was trained on grey images. Measured on a harsh
rendering of the seed page (150 dpi, show-through, 7° skew, JPEG 50) PP-OCR read the binarized
page exactly as well as the grey one (block-flexible CER 0.97% both), so it stays off for
rapidocr (`cleanup.binarize.engines`) and keeps the strokes' anti-aliasing.
"""

from __future__ import annotations

import cv2
import numpy as np


def otsu_ink(grey: np.ndarray) -> np.ndarray:
    """Dark pixels (type, rules, photos) as 1 (uint8), by Otsu's threshold."""
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def components(mask: np.ndarray) -> np.ndarray:
    """Connected-component stats (x, y, w, h, area), 8-connected, without the background row."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return stats[1:]


def sauvola(grey: np.ndarray, window: int, k: float = 0.2) -> np.ndarray:
    """T = m · (1 + k · (s / 128 − 1)) over a `window`-pixel square; ink (below T) → 0, else 255."""
    g = grey.astype(np.float32)
    size = (window | 1, window | 1)
    mean = cv2.boxFilter(g, -1, size, borderType=cv2.BORDER_REPLICATE)
    sq = cv2.boxFilter(g * g, -1, size, borderType=cv2.BORDER_REPLICATE)
    std = np.sqrt(np.maximum(sq - mean * mean, 0))
    threshold = mean * (1 + k * (std / 128 - 1))
    return np.where(g < threshold, 0, 255).astype(np.uint8)
