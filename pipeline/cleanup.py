"""Cleanup: greyscale, paper flattening, deskew.

The working image becomes a clean, upright greyscale page; `page.transform` records how
input coordinates map onto it, so every later result maps back to the input image.
"""

from __future__ import annotations

import time
from typing import Any

import cv2
import numpy as np

from .model import Page


def to_grey(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def estimate_paper(grey: np.ndarray, cell: int, degree: int) -> np.ndarray:
    """A smooth surface through the paper's brightness.

    Each grid cell's bright percentile samples the paper under it; cells covered by photos or
    reverse type (far darker than the page's paper) are left out, and a low-degree polynomial
    fitted to the rest gives the light falling on the page. Unlike a morphological closing it
    never mistakes a large dark box for background.
    """
    h, w = grey.shape
    ny, nx = max(1, h // cell), max(1, w // cell)
    cells = grey[: ny * cell, : nx * cell].reshape(ny, cell, nx, cell).swapaxes(1, 2).reshape(ny, nx, -1)
    paper = np.percentile(cells, 90, axis=2)
    keep = paper >= np.percentile(paper, 50) * 0.75
    ys, xs = np.nonzero(keep)
    # Normalized cell-centre coordinates keep the polynomial well conditioned.
    u = (xs + 0.5) / nx * 2 - 1
    v = (ys + 0.5) / ny * 2 - 1
    terms = [u**i * v**j for i in range(degree + 1) for j in range(degree + 1 - i)]
    coef, *_ = np.linalg.lstsq(np.stack(terms, axis=1), paper[keep], rcond=None)
    gu = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    gv = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    surface = np.zeros((h, w), np.float32)
    k = 0
    for i in range(degree + 1):
        for j in range(degree + 1 - i):
            surface += np.float32(coef[k]) * (gu**i) * (gv**j)
            k += 1
    return np.clip(surface, 16, 255)


def flatten_background(grey: np.ndarray, cell: int = 64, degree: int = 2) -> np.ndarray:
    """Divide by the paper estimate: paper → white whatever its tone or the light on it."""
    paper = estimate_paper(grey, cell, degree)
    return np.clip(grey.astype(np.float32) * (255.0 / paper), 0, 255).astype(np.uint8)


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Dark pixels (text, rules, photos) as 1, by Otsu's threshold."""
    _, mask = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return mask


def measure_skew(grey: np.ndarray, max_angle: float = 10.0, work_size: int = 1400) -> float:
    """The rotation (degrees, counter-clockwise as cv2 counts it) that makes text lines level.

    Projection-profile method: rotated ink coordinates are histogrammed into rows; level lines
    give the sharpest profile (largest sum of squares). Rotating coordinates instead of images
    makes each trial angle one `bincount`.
    """
    scale = min(1.0, work_size / max(grey.shape))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    mask = ink_mask(small)
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


def cleanup(page: Page, cfg: dict[str, Any]) -> Page:
    """Greyscale, flatten the paper, level the text. Needs `page.image` (the input image)."""
    start = time.perf_counter()
    settings = cfg["cleanup"]
    grey = to_grey(page.image)
    transform = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    if settings["background"]["enabled"]:
        grey = flatten_background(grey, settings["background"]["cell"], settings["background"]["degree"])
    deskew = settings["deskew"]
    if deskew["enabled"]:
        angle = measure_skew(grey, deskew["max_angle"], deskew["work_size"])
        page.metadata["skew_angle"] = -angle  # the page's own tilt, counter-clockwise positive
        if abs(angle) >= deskew["min_angle"]:
            grey, transform = rotate(grey, angle)
    page.image = grey
    page.transform = transform
    page.timings["cleanup"] = round(time.perf_counter() - start, 3)
    return page
