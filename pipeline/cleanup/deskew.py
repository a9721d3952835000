"""Deskew: measure the text lines' tilt by projection profiles and level the page."""

from __future__ import annotations

import cv2
import numpy as np

from .binarize import otsu_ink
from .reduce import reduced


def measure_skew(grey: np.ndarray, max_angle: float = 10.0, work_size: int = 1400) -> float:
    """The rotation (degrees, counter-clockwise as cv2 counts it) that makes text lines level.

    Projection-profile method: rotated ink coordinates are histogrammed into rows; level lines
    give the sharpest profile (largest sum of squares). Rotating coordinates instead of images
    makes each trial angle one `bincount`. Rows are half-pixel bins so the last, finest steps
    still see a difference at the ends of long lines.
    """
    small, _ = reduced(grey, work_size)
    mask = otsu_ink(small)
    # Large solid areas (photos, reverse boxes) carry no line structure: drop them.
    solid = cv2.erode(mask, np.ones((7, 7), np.uint8))
    mask[cv2.dilate(solid, np.ones((9, 9), np.uint8)) > 0] = 0
    ys, xs = np.nonzero(mask)
    if len(xs) < 100:
        return 0.0
    xs = xs.astype(np.float64) - small.shape[1] / 2
    ys = ys.astype(np.float64) - small.shape[0] / 2

    def sharpness(angle: float) -> float:
        a = np.deg2rad(angle)
        rows = -np.sin(a) * xs + np.cos(a) * ys
        hist = np.bincount((rows - rows.min()).astype(np.int64))
        return float(np.dot(hist, hist))

    best = 0.0
    for step, span in ((0.5, max_angle), (0.1, 0.5), (0.02, 0.1)):
        angles = np.arange(best - span, best + span + step / 2, step)
        best = float(max(angles, key=sharpness))
    return round(best, 2)


def rotate(grey: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate about the centre onto a canvas large enough to keep every pixel; white fill."""
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(np.ceil(w * cos + h * sin)), int(np.ceil(w * sin + h * cos))
    m[0, 2] += (nw - w) / 2
    m[1, 2] += (nh - h) / 2
    out = cv2.warpAffine(grey, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=255)
    return out, m


def quarter_turn(grey: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Turn by k × 90° counter-clockwise (pixel-exact); the matrix maps points onto the result."""
    k %= 4
    h, w = grey.shape[:2]
    matrices = {
        0: [[1, 0, 0], [0, 1, 0]],
        1: [[0, 1, 0], [-1, 0, w]],
        2: [[-1, 0, w], [0, -1, h]],
        3: [[0, -1, h], [1, 0, 0]],
    }
    return np.ascontiguousarray(np.rot90(grey, k)), np.array(matrices[k], np.float64)


def compose(second: np.ndarray, first: np.ndarray) -> np.ndarray:
    """The 2×3 affine matrix of applying `first`, then `second`."""
    a, b = np.eye(3), np.eye(3)
    a[:2], b[:2] = second, first
    return (a @ b)[:2]
