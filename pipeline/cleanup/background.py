"""Paper and light: greyscale, background flattening, contrast, page borders.

The light falling on the page and the paper's tone are estimated from the paper itself (the
bright end of each grid cell) and divided out, so the paper becomes white whatever its colour or
the lamp. Photos and reverse-type boxes, far darker than the paper, are kept out of the estimate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

from .reduce import reduced

if TYPE_CHECKING:
    from .lines import Sketch


def to_grey(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _poly_terms(u: np.ndarray, v: np.ndarray, degree: int) -> np.ndarray:
    return np.stack([u**i * v**j for i in range(degree + 1) for j in range(degree + 1 - i)], axis=-1)


def paper_grid(grey: np.ndarray, cells: int = 48, degree: int = 3, max_correction: float = 0.6) -> np.ndarray:
    """The paper's brightness on a grid of about `cells` cells along the long side (float32).

    The page is sampled on a grid of about `cells` cells along its long side (on a reduced copy:
    a cell's bright percentile is paper wherever the cell is not solid ink). A low-degree
    polynomial fitted robustly to the samples (cells far below the fit, photos and reverse
    boxes, are refitted without) gives the lamp's broad gradient; the smoothed residual of the
    paper cells adds what a polynomial cannot follow (a binding shadow, a bright corner), but
    never darkens the estimate by more than `max_correction` of the fit, so a large dark box
    stays dark rather than being taken for shadowed paper.
    """
    small_side = 16 * cells  # 16 px cells on the reduced copy: percentiles stay cheap
    small, _ = reduced(grey, small_side)
    # A cell fits across the short side too (a strip of one long line is a row of cells).
    cell = max(1, min(max(4, round(max(small.shape) / cells)), min(small.shape[:2])))
    ny, nx = max(1, small.shape[0] // cell), max(1, small.shape[1] // cell)
    blocks = small[: ny * cell, : nx * cell].reshape(ny, cell, nx, cell).swapaxes(1, 2).reshape(ny, nx, -1)
    paper = np.percentile(blocks, 90, axis=2).astype(np.float64)

    gv, gu = np.mgrid[0:ny, 0:nx]
    u, v = (gu + 0.5) / nx * 2 - 1, (gv + 0.5) / ny * 2 - 1
    terms = _poly_terms(u, v, degree)
    keep = paper >= np.percentile(paper, 50) * 0.5
    fit = np.full_like(paper, np.median(paper))
    for _ in range(3):  # refit without the cells far darker than the surface (photos, dark boxes)
        if keep.sum() < terms.shape[-1] + 2:
            break
        # OpenCV's solver: NumPy's BLAS-threaded lstsq stalls on a busy machine for a 10-term fit.
        # The right-hand side as a column: OpenCV 5 refuses a 1-D one.
        _, coef = cv2.solve(terms[keep].astype(np.float64), paper[keep].astype(np.float64)[:, None],
                            flags=cv2.DECOMP_SVD)
        fit = (terms @ coef.ravel()).reshape(paper.shape)
        keep = paper >= 0.85 * fit
    ratio = np.where(keep, paper / np.maximum(fit, 1), 1.0).astype(np.float32)
    ratio = cv2.GaussianBlur(cv2.medianBlur(ratio, 3), (0, 0), 1.0)
    return np.clip(np.clip(ratio, max_correction, 1.25) * fit, 16, 255).astype(np.float32)


def flatten_background(grey: np.ndarray, cells: int = 48, degree: int = 3, max_correction: float = 0.6) -> np.ndarray:
    """Divide by the paper estimate: paper → white whatever its tone or the light on it.

    The grid is smooth, so linear interpolation up to the page's size is exact enough, and done
    in 8 bits (a paper level needs no finer step than a grey level) it costs little on large pages.
    """
    grid = np.rint(paper_grid(grey, cells, degree, max_correction)).astype(np.uint8)
    paper = cv2.resize(grid, grey.shape[::-1], interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, paper, scale=255.0)


def stretch_contrast(grey: np.ndarray, ink_percentile: float = 1.0) -> np.ndarray:
    """Make the darkest ink black, keeping paper white: faded or grey ink gets its contrast back.

    The ink level is a low percentile of the page (never above mid-grey, so a page with little
    ink is left alone).
    """
    sample = grey[::4, ::4]
    ink = min(128.0, float(np.percentile(sample, ink_percentile)))
    if ink <= 2:
        return grey
    lut = np.clip((np.arange(256, dtype=np.float32) - ink) * 255.0 / (255.0 - ink), 0, 255).astype(np.uint8)
    return cv2.LUT(grey, lut)


def printed_area(page: "Sketch", shape: tuple[int, int], margin: float) -> tuple[int, int, int, int] | None:
    """The box (x0, y0, x1, y1) around the print: text lines, and rules, photos and reverse boxes
    (ink at least three glyphs long), grown by `margin` line heights.

    Large ink touching the image's edge is left out: a scanner's border, the facing page's edge.
    Text lines always count, even at the edge: pages are often cropped tight to the type.
    """
    h, w = shape
    c = page.components
    big = c[np.maximum(c[:, 2] - c[:, 0], c[:, 3] - c[:, 1]) >= 3 * page.glyph]
    edge = 2 / page.scale
    big = big[(big[:, 0] > edge) & (big[:, 1] > edge) & (big[:, 2] < w - edge) & (big[:, 3] < h - edge)]
    boxes = np.vstack([page.lines, big])
    if len(page.lines) < 3:
        return None
    pad = margin * page.line_height
    return (max(0, int(boxes[:, 0].min() - pad)), max(0, int(boxes[:, 1].min() - pad)),
            min(w, int(np.ceil(boxes[:, 2].max() + pad))), min(h, int(np.ceil(boxes[:, 3].max() + pad))))


def whiten_borders(grey: np.ndarray, page: "Sketch", margin: float) -> np.ndarray:
    """Paint everything outside the printed area white: a scanner's dark border, the facing
    page's edge, the dust on them."""
    box = printed_area(page, grey.shape, margin)
    if box is None:
        return grey
    x0, y0, x1, y1 = box
    out = np.full_like(grey, 255)
    out[y0:y1, x0:x1] = grey[y0:y1, x0:x1]
    return out
