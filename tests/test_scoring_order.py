"""The reading-order score: output lines matched to GT regions by overlap, then the normalized edit
distance between the orders and the share of region pairs in order."""

from __future__ import annotations

import pytest

from pipeline.model import Block, BlockKind, Line, Page, rect_polygon
from pipeline.scoring.reading_order import score_reading_order

# A page of four columns of two regions each: GT order is column by column, top to bottom.
CELLS = {f"r{c}{k}": (100 + 300 * c, 100 + 400 * k, 380 + 300 * c, 480 + 400 * k) for c in range(4) for k in range(2)}
GT_ORDER = [f"r{c}{k}" for c in range(4) for k in range(2)]


def gt_page() -> Page:
    blocks = [Block(rid, BlockKind.BODY, rect_polygon(*box), [Line("正文", [])]) for rid, box in CELLS.items()]
    return Page("gt", 1400, 1000, blocks, list(GT_ORDER))


def lines_in(box, n=3, scale=1.0):
    x0, y0, x1, y1 = box
    step = (y1 - y0) / n
    return [Line("文字", rect_polygon(x0 * scale, (y0 + i * step) * scale, x1 * scale,
                                      (y0 + (i + 1) * step - 5) * scale), 0.9) for i in range(n)]


def output_page(groups: list[list[str]], scale: float = 1.0) -> Page:
    """Output blocks in reading order, each made of the lines of the GT regions listed (in order)."""
    blocks = []
    for i, regions in enumerate(groups):
        lines = [line for rid in regions for line in lines_in(CELLS[rid], scale=scale)]
        boxes = [CELLS[rid] for rid in regions]
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        blocks.append(Block(f"b{i}", BlockKind.BODY, rect_polygon(*(v * scale for v in box)), lines))
    return Page("out", round(1400 * scale), round(1000 * scale), blocks, [b.id for b in blocks])


def test_same_order_scores_perfectly():
    r = score_reading_order(gt_page(), output_page([[rid] for rid in GT_ORDER]))
    assert r.gt_order == r.output_order == GT_ORDER
    assert (r.edits, r.pairs, r.pairs_ok, r.regions) == (0, 28, 28, 8)


def test_reversed_order_gets_every_pair_wrong():
    r = score_reading_order(gt_page(), output_page([[rid] for rid in reversed(GT_ORDER)]))
    assert r.pairs_ok == 0 and r.distance == pytest.approx(1.0)


def test_reading_rows_across_columns():
    """Top regions of all columns, then the bottom ones: half the pairs survive... exactly 22 of 28."""
    across = [f"r{c}0" for c in range(4)] + [f"r{c}1" for c in range(4)]
    r = score_reading_order(gt_page(), output_page([[rid] for rid in across]))
    # inverted pairs: (r{c}1, r{d}0) for c < d: 6 of 28
    assert (r.pairs, r.pairs_ok) == (28, 22)
    assert 0 < r.distance < 1


def test_merged_and_split_output_blocks_are_placed_by_their_lines():
    """One output block holding a whole column (two GT regions), or a GT region cut in two output
    blocks, does not disturb the order."""
    merged = [[f"r{c}0", f"r{c}1"] for c in range(4)]
    r = score_reading_order(gt_page(), output_page(merged))
    assert r.output_order == GT_ORDER and r.edits == 0
    assert r.block_regions["b0"] in ("r00", "r01")


def test_missing_regions_are_not_ordered_but_counted():
    r = score_reading_order(gt_page(), output_page([["r00"], ["r11"], ["r10"]]))
    assert r.regions == 8 and r.gt_order == ["r00", "r10", "r11"] and r.output_order == ["r00", "r11", "r10"]
    assert (r.pairs, r.pairs_ok) == (3, 2)


def test_output_made_from_a_scaled_copy_is_scaled_back():
    r = score_reading_order(gt_page(), output_page([[rid] for rid in GT_ORDER], scale=0.5))
    assert r.edits == 0 and len(r.gt_order) == 8


def test_lines_mostly_outside_every_region_are_not_matched():
    out = output_page([["r00"]])
    out.blocks[0].lines = [Line("x", rect_polygon(0, 0, 90, 90), 0.9)]  # in the margin
    out.blocks[0].polygon = rect_polygon(0, 0, 90, 90)
    r = score_reading_order(gt_page(), out)
    assert r.gt_order == [] and r.distance is None


def test_no_outlined_ground_truth_gives_no_score():
    page = gt_page()
    for b in page.blocks:
        b.polygon = []
    assert score_reading_order(page, output_page([["r00"]])) is None
