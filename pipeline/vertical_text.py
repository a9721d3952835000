"""Vertical CJK columns: found in a block, and set upright in a row for a horizontal recognizer.

PP-OCR's recognizer reads a column turned a quarter with its glyphs on their side, and reads
most of them, but it drops the vertical punctuation forms (︐ ︒ ︑ ︵ ﹁ …): they sit in other
places of their cells and face other ways than anything it was taught. So each column is cut
into its glyph cells (vertical type is set on a regular grid) and the cells are laid side by
side, upright, as a horizontal line. On the way each mark is moved to where horizontal setting
puts it:

- a small mark (comma, full stop, enumeration comma), which vertical setting prints in the
  cell's top right (mainland style) or its centre (Taiwan, Hong Kong), goes to the bottom left;
- a bracket or quote lying across the column (︵ ︶ ﹁ ﹂) is turned a quarter back to ( ) 「 」;
- a bar or dots running down the column (︱ ︙) is turned to run along the line (— …).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .cleanup.binarize import otsu_ink
from .layout import runs_of

Box = tuple[float, float, float, float]
MARGIN = 0.15  # of a cell: space left around a comma or stop in the cell's bottom left corner


def _ink(grey: np.ndarray) -> np.ndarray:
    return otsu_ink(grey).astype(bool)


def vertical_lines(grey: np.ndarray, box: Box, size: float) -> list[Box]:
    """The columns of glyphs in a block of vertical text, right to left.

    Vertical CJK is set in regular columns of square glyphs, so the block's ink profile across
    the page separates them cleanly; the page-wide detector is kept for horizontal text.
    """
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    region = grey[y0:y1, x0:x1]
    if region.size == 0:
        return []
    ink = _ink(region)
    runs: list[list[int]] = []
    for a, b in runs_of(ink.any(axis=0)):
        if runs and a - runs[-1][1] < 0.2 * size:
            runs[-1][1] = b  # a gap inside a glyph (two-part characters), not between columns
        else:
            runs.append([a, b])
    lines = []
    for a, b in runs:
        if b - a < 0.3 * size:
            continue
        rows = np.flatnonzero(ink[:, a:b].any(axis=1))
        lines.append((float(x0 + a), float(y0 + rows[0]), float(x0 + b), float(y0 + rows[-1] + 1)))
    return lines[::-1]


def _column(grey: np.ndarray, box: Box) -> np.ndarray:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    return grey[max(0, y0) : y1, max(0, x0) : x1]


@dataclass(frozen=True)
class GlyphGrid:
    """The cells of a block of vertical type: a cell boundary at `phase + k * pitch` (page y)."""

    pitch: float
    phase: float

    def cuts(self, top: float, bottom: float) -> np.ndarray:
        """The grid's cell boundaries from the one above `top` to the one below `bottom`."""
        first = np.floor((top - self.phase) / self.pitch)
        last = np.ceil((bottom - self.phase) / self.pitch)
        return self.phase + np.arange(first, last + 1) * self.pitch


def glyph_grid(grey: np.ndarray, columns: list[Box]) -> GlyphGrid:
    """The grid the block's glyphs are set on, found where the columns' gaps line up.

    All columns of a block share one grid, so their ink profiles down the page are summed and
    the pitch and phase chosen whose boundaries fall on the least ink. One column alone can
    mislead (三 and 二 have gaps inside them, a bracket sits low in its cell); twenty agree."""
    width = float(np.median([b[2] - b[0] for b in columns]))
    top, bottom = int(min(b[1] for b in columns)), int(np.ceil(max(b[3] for b in columns)))
    profile = np.zeros(bottom - top + 2)
    for box in columns:
        crop = _column(grey, box)
        if crop.size:
            start = int(round(box[1])) - top
            profile[start : start + crop.shape[0]] += _ink(crop).any(axis=1)
    profile = np.minimum.reduce([profile, np.roll(profile, 1), np.roll(profile, -1)])  # a pixel's slack
    best = (np.inf, width * 1.05, 0.0)
    for pitch in np.arange(0.9 * width, 1.5 * width, 0.25):
        phases = np.arange(0.0, pitch, 0.5)
        rows = np.rint(phases[:, None] + np.arange(0.0, len(profile) - 1, pitch)[None, :]).astype(int)
        cost = profile[np.minimum(rows, len(profile) - 1)].mean(axis=1)
        i = int(np.argmin(cost))
        if cost[i] < best[0] - 1e-9:
            best = (float(cost[i]), float(pitch), float(phases[i]))
    return GlyphGrid(best[1], top + best[2])


def snap_cuts(ink_per_row: np.ndarray, grid_rows: np.ndarray, pitch: float) -> list[int]:
    """Each of the grid's boundaries moved to the emptiest row within a quarter pitch of it (the
    nearest of those), so a small slant or an uneven gap does not cut a glyph."""
    cuts: list[int] = []
    reach = max(1, int(0.25 * pitch))
    for row in grid_rows:
        lo, hi = max(0, int(round(row)) - reach), min(len(ink_per_row), int(round(row)) + reach + 1)
        if lo >= hi:
            cuts.append(min(max(int(round(row)), 0), len(ink_per_row)))
            continue
        window = np.arange(lo, hi)
        cost = ink_per_row[lo:hi] * pitch + np.abs(window - row)
        cuts.append(int(window[np.argmin(cost)]))
    return sorted(set(cuts))


def _placed(piece: np.ndarray, cell: tuple[float, float], centre: tuple[float, float], size: int) -> tuple[np.ndarray, float, float]:
    """A cell's ink as horizontal setting would print it: the piece and its centre in the cell.

    `cell` is the cell's (height, width) and `centre` the ink's centre (y, x) in it."""
    h, w = piece.shape
    (ch, cw), (cy, cx) = cell, centre
    if h <= 0.5 * size and w <= 0.5 * size:  # a comma or stop
        return piece, ch * (1 - MARGIN) - h / 2, cw * MARGIN + w / 2
    across = w > 0.5 * size and 0.15 * size < h <= 0.5 * size  # ︵ ﹁: a bracket lying across
    down = h >= 0.6 * size and w <= 0.15 * size  # ︱ ︙: a dash or ellipsis running down
    if across or down:
        return np.ascontiguousarray(np.rot90(piece)), ch / 2, cw / 2
    return piece, cy, cx


def upright_line(grey: np.ndarray, box: Box, grid: GlyphGrid, invert: bool = False) -> np.ndarray:
    """A column of vertical text as one horizontal line of upright glyphs (grey, dark on light).

    `invert` is for reverse type, which reads best as ordinary dark-on-light text."""
    pitch = grid.pitch
    size = max(4, int(round(pitch)))
    column = _column(grey, box)
    if column.size == 0:
        return np.full((size, size), 255, np.uint8)
    if invert:
        column = 255 - column
    width = column.shape[1]
    # White above and below, so the first and last cells are whole cells.
    column = cv2.copyMakeBorder(column, size, size, 0, 0, cv2.BORDER_CONSTANT, value=255)
    ink = _ink(column)
    origin = int(round(box[1])) - size  # page y of the padded column's first row
    cuts = snap_cuts(ink.sum(axis=1), grid.cuts(box[1], box[3]) - origin, pitch)
    slots = []
    for a, b in zip(cuts, cuts[1:]):
        cell = ink[a:b]
        if b <= a or not cell.any():
            continue
        ys, xs = np.flatnonzero(cell.any(axis=1)), np.flatnonzero(cell.any(axis=0))
        piece = column[a + ys[0] : a + ys[-1] + 1, xs[0] : xs[-1] + 1]
        centre = ((ys[0] + ys[-1] + 1) / 2, (xs[0] + xs[-1] + 1) / 2)
        piece, cy, cx = _placed(piece, (b - a, width), centre, size)
        h, w = piece.shape
        if h > size:  # glyphs no gap divides: squeezed into one slot rather than cut
            piece = cv2.resize(piece, (max(1, round(w * size / h)), size), interpolation=cv2.INTER_AREA)
            h, w = piece.shape
        slot = np.full((size + 4, max(size, w) + 2), 255, np.uint8)
        top = int(round(2 + cy * size / (b - a) - h / 2))
        left = int(round(1 + size / 2 + (cx - width / 2) - w / 2))
        top, left = min(max(top, 0), slot.shape[0] - h), min(max(left, 0), slot.shape[1] - w)
        slot[top : top + h, left : left + w] = piece
        slots.append(slot)
    if not slots:
        return np.full((size, size), 255, np.uint8)
    return np.hstack(slots)
