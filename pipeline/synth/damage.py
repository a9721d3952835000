"""Scan damage: what happens between a clean printed page and the image a scanner delivers.

Each effect is a function of the page image and one parameter; `apply` runs them in the order a
scan does (the reverse side's ink shows through the paper, the page lies askew on paper-toned
stock, dust and a printing screen add dots, the light is uneven and the binding casts a shadow,
the optics blur, the sensor adds noise, a low-resolution scanner samples it coarsely, and the
operator may have laid it sideways) and returns the 2×3 affine matrix that maps clean-page
coordinates to the output, so the ground truth can follow. Geometric effects must go through
that matrix. An effect whose parameter is off draws no random numbers, so adding effects never
changes the pages older settings make.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ..cleanup import deskew
from ..cleanup.deskew import compose

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
    show_through: float = 0.0  # 0..1: how dark the reverse side's (mirrored) ink shows through the paper
    speckle: float = 0.0  # dark specks of dust and paper fibre per 100×100 px
    screen: float = 0.0  # 0..1: darkness of a fine halftone dot screen over the page (microfilm, tinted stock)
    shadow: float = 0.0  # 0..1: darkness of the binding's shadow along one edge (a curled gutter)
    scale: float = 1.0  # output resolution as a share of the rendering's (0.5: a 200-dpi page scanned at 100 dpi)
    turn: int = 0  # the page laid on the scanner turned by 0, 90, 180 or 270 degrees counter-clockwise
    lean: float = 0.0  # degrees: columns pasted up askew, turned alternately this way and that on the page


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


def show_through(page: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """The reverse side seen through the paper: its ink mirrored left to right, diffused by the
    paper, and faint. The reverse page is this page's own type mirrored and shifted by a random
    fraction of a line or more, so its lines fall anywhere between and across the real ones.
    Returns float32, 255 paper, 0 ink."""
    t = page.astype(np.float32)
    if strength <= 0:
        return t
    h, w = page.shape[:2]
    shift = np.float32([[1, 0, rng.uniform(-0.03, 0.03) * w], [0, 1, rng.uniform(-0.03, 0.03) * h]])
    reverse = cv2.warpAffine(np.fliplr(page), shift, (w, h), borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    reverse = cv2.GaussianBlur(reverse.astype(np.float32), (0, 0), max(0.8, w / 2500))
    return t * (1 - strength * (1 - reverse / 255))


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


def binding_shadow(image: np.ndarray, strength: float, rng: np.random.Generator) -> np.ndarray:
    """A dark band fading in along one edge, where a bound volume curls into its gutter."""
    if strength <= 0:
        return image
    h, w = image.shape[:2]
    side = int(rng.integers(4))  # left, right, top, bottom
    length = w if side < 2 else h
    depth = np.arange(length, dtype=np.float32) / (0.12 * length)  # the shadow fades over 12% of the page
    profile = 1 - strength * np.exp(-(depth**1.5))
    if side in (1, 3):
        profile = profile[::-1]
    gain = profile[None, :] if side < 2 else profile[:, None]
    return image * (gain[..., None] if image.ndim == 3 else gain)


def specks(image: np.ndarray, density: float, rng: np.random.Generator) -> np.ndarray:
    """Dark specks of dust and fibre: small round dots, one to three pixels across, ink-dark."""
    if density <= 0:
        return image
    h, w = image.shape[:2]
    n = int(density * h * w / 1e4)
    mask = np.zeros((h, w), np.uint8)
    xs, ys = rng.integers(0, w, n), rng.integers(0, h, n)
    radii = rng.uniform(0.5, 1.5, n)
    for x, y, r in zip(xs.tolist(), ys.tolist(), radii.tolist()):
        cv2.circle(mask, (x, y), int(round(r)), 255, -1)
    darkness = np.float32(0.85) * mask.astype(np.float32) / 255
    ink = np.array(INK, np.float32) if image.ndim == 3 else np.float32(np.mean(INK))
    d = darkness[..., None] if image.ndim == 3 else darkness
    return image * (1 - d) + ink * d


def dot_screen(image: np.ndarray, strength: float) -> np.ndarray:
    """A fine 45° halftone dot screen over everything (a tinted or microfilmed page), period 4 px."""
    if strength <= 0:
        return image
    h, w = image.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    period = 4.0
    u, v = (xx + yy) / np.sqrt(2), (xx - yy) / np.sqrt(2)
    dots = ((np.cos(2 * np.pi * u / period) + np.cos(2 * np.pi * v / period)) > 1.0).astype(np.float32)
    gain = 1 - strength * dots
    return image * (gain[..., None] if image.ndim == 3 else gain)


def downscale(image: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Sample the page at a lower resolution (area averaging, as a sensor does)."""
    h, w = image.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    out = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    m = np.array([[size[0] / w, 0, 0], [0, size[1] / h, 0]], np.float64)
    return out, m


def quarter_turn(image: np.ndarray, turn: int) -> tuple[np.ndarray, np.ndarray]:
    """Turn the page by a multiple of 90° counter-clockwise (pixel-exact); returns the matrix.

    The same turn the cleanup stage makes to set a page upright, so the two agree exactly."""
    if turn % 90:
        raise ValueError(f"turn must be 0, 90, 180 or 270 degrees, not {turn}")
    return deskew.quarter_turn(image, turn // 90)


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


def lean_columns(page: np.ndarray, boxes: list, angle: float) -> np.ndarray:
    """Columns (blocks taller than wide) pasted up askew: each turned about its centre, the
    first by `angle` degrees counter-clockwise, the next the other way, and so on."""
    if not angle:
        return page
    out = page.copy()
    columns = [b for b in boxes if b[3] - b[1] > b[2] - b[0]]
    for k, (x0, y0, x1, y1) in enumerate(columns):
        # a few pixels of the gutter round it, so the turned corners are not cut off
        x0, y0 = max(0, int(x0) - 6), max(0, int(y0) - 6)
        x1, y1 = min(page.shape[1], int(x1) + 6), min(page.shape[0], int(y1) + 6)
        block = page[y0:y1, x0:x1]
        turn = cv2.getRotationMatrix2D(((x1 - x0) / 2, (y1 - y0) / 2), angle if k % 2 == 0 else -angle, 1.0)
        out[y0:y1, x0:x1] = cv2.warpAffine(block, turn, (x1 - x0, y1 - y0), borderValue=255)
    return out


def apply(
    page: np.ndarray, damage: Damage, rng: np.random.Generator, keep_inside: list = ()
) -> tuple[np.ndarray, np.ndarray]:
    """Turn the clean page (uint8, 255 paper, 0 ink) into a scan: uint8 image and the 2×3 matrix
    from clean-page to image coordinates. `keep_inside` are rectangles (x0, y0, x1, y1) that must
    stay on the image."""
    page = lean_columns(page, list(keep_inside), damage.lean)
    image = paper_tone(show_through(page, damage.show_through, rng), damage.paper, damage.colour)
    lid = np.clip(paper_tone(np.full((1, 1), 255.0), damage.paper, damage.colour)[0, 0] + LID_LIGHTER, 0, 255)
    corners = [(x, y) for x0, y0, x1, y1 in keep_inside for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    image, matrix = rotate(image, damage.rotate, corners, lid)
    image = dot_screen(image, damage.screen)
    image = specks(image, damage.speckle, rng)
    image = uneven_illumination(image, damage.illumination, rng)
    image = binding_shadow(image, damage.shadow, rng)
    image = blur(image, damage.blur)
    image = gaussian_noise(image, damage.noise, rng)
    if damage.scale != 1.0:
        image, m = downscale(image, damage.scale)
        matrix = compose(m, matrix)
    image = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    if damage.turn:
        image, m = quarter_turn(image, damage.turn)
        matrix = compose(m, matrix)
    return image, matrix


__all__ = [
    "PAPERS",
    "Damage",
    "apply",
    "binding_shadow",
    "blur",
    "compose",
    "dot_screen",
    "downscale",
    "gaussian_noise",
    "lean_columns",
    "paper_tone",
    "quarter_turn",
    "rotate",
    "rotation_matrix",
    "show_through",
    "specks",
    "to_jpeg",
    "transform_points",
    "uneven_illumination",
]
