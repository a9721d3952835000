"""How well the output's reading order follows the ground truth's, where both sides have regions
with coordinates (PAGE, ALTO, hOCR, the JSON page model, the renderer's `.gt.json`).

Output text is matched to GT regions by overlap, line by line: each output line (or block, where
lines have no outline), taken in the output's reading order, belongs to the GT text region that
covers most of it, if that region covers at least `MIN_OVERLAP` of it. So an output block that
merges two GT regions, or a GT region the output splits in two, is still placed right. A GT
region's place in the output is where the output first reads a line of it.

Over the matched GT regions, as OmniDocBench scores reading order:

- the normalized edit distance between the GT order and the output order (Levenshtein distance of
  the two sequences of region ids / their length): 0 when the output reads them in the GT's order;
- the share of region pairs the output reads in the GT's order (a Kendall-tau-like concordance),
  which degrades gently where the edit distance jumps: one article moved to the end costs a few
  pairs but many edits.

GT regions no output line falls in are not ordered; their number is reported (coverage).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from rapidfuzz.distance import Levenshtein

from ..model import Page, Polygon

# An output line belongs to a GT region that covers at least this share of its area.
MIN_OVERLAP = 0.5


@dataclass(frozen=True)
class ReadingOrderResult:
    regions: int  # GT text regions with an outline (the ones that can be ordered)
    gt_order: list[str]  # matched GT region ids in the GT's order
    output_order: list[str]  # the same ids in the order the output first reads them
    edits: int  # Levenshtein(gt_order, output_order)
    pairs: int  # pairs of matched regions
    pairs_ok: int  # of them, read in the GT's order
    # output block id → the GT region most of its matched lines belong to (for the report)
    block_regions: dict[str, str]

    @property
    def distance(self) -> float | None:
        return self.edits / len(self.gt_order) if self.gt_order else None


def _shape(polygon: Polygon, sx: float = 1.0, sy: float = 1.0) -> shapely.Geometry | None:
    """A valid areal shape for an outline (scaled), or None for outlines with no area."""
    if len(polygon) < 3:
        return None
    shape = shapely.Polygon([(x * sx, y * sy) for x, y in polygon])
    if not shape.is_valid:
        shape = shapely.make_valid(shape)
    if shape.area <= 0:  # a degenerate outline: fall back to its box
        shape = shapely.box(*shape.bounds)
    return shape if shape.area > 0 else None


def gt_regions(page: Page) -> list[tuple[str, shapely.Geometry]]:
    """The GT's outlined text regions in its reading order."""
    out = []
    for block in page.ordered_blocks():
        if block.kind.has_text and block.lines and (shape := _shape(block.polygon)) is not None:
            out.append((block.id, shape))
    return out


def output_units(page: Page, sx: float = 1.0, sy: float = 1.0) -> list[tuple[str, shapely.Geometry]]:
    """(block id, outline) of the output's lines in reading order; a block's own outline stands
    for lines that have none."""
    units = []
    for block in page.ordered_blocks():
        if not block.kind.has_text:
            continue
        lines = [_shape(line.polygon, sx, sy) for line in block.lines if line.text.strip()]
        if lines and all(shape is not None for shape in lines):
            units += [(block.id, shape) for shape in lines]
        elif (shape := _shape(block.polygon, sx, sy)) is not None:
            units.append((block.id, shape))
    return units


def score_reading_order(gt: Page, output: Page) -> ReadingOrderResult | None:
    """The reading-order score of `output` against `gt`, or None if the GT has no outlined text
    regions. The output's coordinates are scaled to the GT's page size when they differ (the
    output was made from a scaled copy of the image)."""
    regions = gt_regions(gt)
    if not regions:
        return None
    sx = gt.width / output.width if gt.width and output.width else 1.0
    sy = gt.height / output.height if gt.height and output.height else 1.0
    units = output_units(output, sx, sy)
    first_read: dict[int, int] = {}  # GT region index → index of the first output unit in it
    votes: dict[str, dict[int, float]] = {}  # output block → GT region → overlapping area
    if units:
        region_shapes = np.array([shape for _, shape in regions])
        unit_shapes = np.array([shape for _, shape in units])
        tree = shapely.STRtree(region_shapes)
        unit_idx, region_idx = tree.query(unit_shapes, predicate="intersects")
        areas = shapely.area(shapely.intersection(unit_shapes[unit_idx], region_shapes[region_idx]))
        best: dict[int, tuple[float, int]] = {}
        for u, r, a in zip(unit_idx.tolist(), region_idx.tolist(), areas.tolist()):
            if a > best.get(u, (0.0, -1))[0]:
                best[u] = (a, r)
        for u, (area, r) in sorted(best.items()):
            if area >= MIN_OVERLAP * unit_shapes[u].area:
                first_read.setdefault(r, u)
                block_votes = votes.setdefault(units[u][0], {})
                block_votes[r] = block_votes.get(r, 0.0) + area
    matched = sorted(first_read)  # GT order
    gt_order = [regions[r][0] for r in matched]
    output_order = [regions[r][0] for r in sorted(matched, key=first_read.__getitem__)]
    ranks = np.array([first_read[r] for r in matched])
    n = len(ranks)
    pairs = n * (n - 1) // 2
    pairs_ok = int(np.triu(ranks[:, None] < ranks[None, :], k=1).sum()) if n > 1 else 0
    return ReadingOrderResult(
        regions=len(regions),
        gt_order=gt_order,
        output_order=output_order,
        edits=Levenshtein.distance(gt_order, output_order),
        pairs=pairs,
        pairs_ok=pairs_ok,
        block_regions={b: regions[max(v, key=v.__getitem__)][0] for b, v in votes.items()},
    )
