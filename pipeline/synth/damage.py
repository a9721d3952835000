"""Scan damage: what happens between a clean printed page and the image a scanner delivers.

Each effect is a function of the page image and one parameter; `apply` runs them in the order a
scan does (the page lies askew on paper-toned stock, the light is uneven, the optics blur, the
sensor adds noise) and returns the 2×3 affine matrix that maps clean-page coordinates to the
output, so the ground truth can follow. Geometric effects must go through that matrix.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

# Paper and ink colours (RGB). Newsprint: greyish yellow, about 226 in grey like the reference scan.
PAPERS = {
    "white": (250, 250, 248),
    "newsprint": (234, 226, 206),
    "grey": (222, 222, 220),
}
INK = (30, 28, 27)
LID_LIGHTER = 6  # the scanner lid around a skewed page is a flat tone a bit lighter than the paper


@dataclass(frozen=True)
class Damage:
    rotate: float = 0.0  # degrees, counter-clockwise
    paper: str = "white"  # a key of PAPERS
    illumination: float = 0.0  # 0..1: how much darker the dim side of the page gets
    blur: float = 0.0  # gaussian sigma, pixels
    noise: float = 0.0  # gaussian sigma, grey levels
    jpeg_quality: int = 90
    colour: bool = False  # RGB output instead of greyscale


def paper_tone(page: np.ndarray, paper: str, colour: bool) -> np.ndarray:
    """Map the clean page (255 paper, 0 ink) to paper and ink colours; float32, H×W or H×W×3."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; papers: {', '.join(PAPERS)}")
    p, k = np.array(PAPERS[paper], np.float32), np.array(INK, np.float32)
    if not colour:  # the luma a greyscale scanner would see
        weights = np.array([0.299, 0.587, 0.114], np.float32)
        p, k = p @ weights, k @ weights
    t = page.astype(np.float32)[..., None] / 255 if colour else page.astype(np.float32) / 255
    return k + (p - k) * t


def rotation_matrix(size: tuple[int, int], degrees: float, keep_inside: list[tuple[float, float]]):
    """Rotation about the page centre, and an output size that grows only as far as needed to keep
    the points `keep_inside` on the image (a slightly skewed scan stays the same size)."""
    w, h = size
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    if not keep_inside:
        return m, (w, h)
    pts = np.asarray(transform_points(keep_inside, m))
    margin = 4
    pad_x = max(0.0, margin - pts[:, 0].min(), pts[:, 0].max() - (w - margin))
    pad_y = max(0.0, margin - pts[:, 1].min(), pts[:, 1].max() - (h - margin))
    pad_x, pad_y = int(np.ceil(pad_x)), int(np.ceil(pad_y))
    m[:, 2] += (pad_x, pad_y)
    return m, (w + 2 * pad_x, h + 2 * pad_y)


def rotate(image: np.ndarray, degrees: float, keep_inside: list, border: float | np.ndarray):
    """Rotate the page; returns the image and the matrix that maps clean coordinates to it."""
    m, size = rotation_matrix((image.shape[1], image.shape[0]), degrees, keep_inside)
    if degrees == 0 and size == (image.shape[1], image.shape[0]):
        return image, m
    value = tuple(float(v) for v in np.atleast_1d(border))
    out = cv2.warpAffine(image, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=value)
    return out, m


def uneven_illumination(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Darken the page along a gradient from a random side, as under a lamp that is off-centre."""
    if strength <= 0:
        return image
    h, w = image.shape[:2]
    angle = rng.uniform(0, 2 * np.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = (xx / w - 0.5) * np.cos(angle) + (yy / h - 0.5) * np.sin(angle)
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min() + 1e-6)
    gain = 1 - strength * ramp**1.5  # falls off faster towards the dim side
    return image * (gain[..., None] if image.ndim == 3 else gain)


def blur(image: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), sigma) if sigma > 0 else image


def gaussian_noise(image: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    if sigma <= 0:
        return image
    return image + sigma * rng.standard_normal(image.shape, dtype=np.float32)


def to_jpeg(image: np.ndarray, quality: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, "JPEG", quality=int(quality))
    return buf.getvalue()


def transform_points(points, matrix: np.ndarray) -> list[tuple[float, float]]:
    """Map (x, y) points through a 2×3 affine matrix."""
    pts = np.asarray(points, np.float64).reshape(-1, 2)
    out = pts @ matrix[:, :2].T + matrix[:, 2]
    return [(float(x), float(y)) for x, y in out]


def apply(
    page: np.ndarray, damage: Damage, rng: np.random.Generator, keep_inside: list = ()
) -> tuple[np.ndarray, np.ndarray]:
    """Turn the clean page (uint8, 255 paper, 0 ink) into a scan: uint8 image and the 2×3 matrix
    from clean-page to image coordinates. `keep_inside` are rectangles (x0, y0, x1, y1) that must
    stay on the image."""
    image = paper_tone(page, damage.paper, damage.colour)
    lid = np.clip(image[0, 0] + LID_LIGHTER, 0, 255)  # a corner is paper: margins are blank
    corners = [(x, y) for x0, y0, x1, y1 in keep_inside for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    image, matrix = rotate(image, damage.rotate, corners, lid)
    image = uneven_illumination(image, damage.illumination, rng)
    image = blur(image, damage.blur)
    image = gaussian_noise(image, damage.noise, rng)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8), matrix


__all__ = [
    "PAPERS",
    "Damage",
    "apply",
    "blur",
    "gaussian_noise",
    "paper_tone",
    "rotate",
    "rotation_matrix",
    "to_jpeg",
    "transform_points",
    "uneven_illumination",
]
