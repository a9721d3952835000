"""The OCR stage on real pixels, with the embedded PP-OCR models."""

import numpy as np

from pages import column_lines, draw_columns, halftone
from pipeline.model import BlockKind
from pipeline.process import process_page
from pipeline.scoring import score_texts


def test_lines_stay_inside_their_column_across_a_narrow_gutter(cfg):
    left, right = column_lines(0, 10, 13), column_lines(60, 10, 13)
    image, cols = draw_columns([left, right], gutter=14)
    page = process_page(image, cfg)
    blocks = page.ordered_blocks()
    assert len(blocks) == 2
    gutter_mid = (cols[0][2] + cols[1][0]) / 2
    for block in blocks:
        for line in block.lines:
            x0, _, x1, _ = line.bbox
            assert x1 <= gutter_mid + 2 or x0 >= gutter_mid - 2, f"line crosses the gutter: {line.text}"
    got = "\n\n".join(b.text for b in blocks)
    score = score_texts("\n".join(left) + "\n\n" + "\n".join(right), got)
    assert score.cer <= 0.03  # plain CER: the order (left column first) must be right too
    assert all(0.5 <= line.confidence <= 1 for b in blocks for line in b.lines)


def test_a_photo_is_kept_as_a_block_and_never_read(cfg):
    image, _ = draw_columns([column_lines(0, 10, 13)], width=1300)
    photo = halftone(500, 560)
    image[80:580, 600:1160] = photo
    page = process_page(image, cfg)
    photos = [b for b in page.blocks if b.kind == BlockKind.PHOTO]
    assert len(photos) == 1 and not photos[0].lines
    px0, py0, px1, py1 = photos[0].bbox
    for block in page.ordered_blocks():
        for line in block.lines:
            x0, y0, x1, y1 = line.bbox
            assert x1 <= px0 or x0 >= px1 or y1 <= py0 or y0 >= py1


def test_timings_and_polygons_are_in_the_page(cfg):
    image, _ = draw_columns([column_lines(0, 6, 12)])
    page = process_page(image, cfg)
    assert {"cleanup", "layout", "ocr", "order", "dehyphenate", "total"} <= set(page.timings)
    for block in page.ordered_blocks():
        for line in block.lines:
            xs = np.array(line.polygon)[:, 0]
            assert 0 <= xs.min() and xs.max() <= image.shape[1]


def test_tile_duplicates_merge_but_a_box_down_several_lines_joins_none():
    from pipeline.ocr import merge_boxes

    lines = [(100, 0, 600, 28), (100, 30, 600, 58), (100, 60, 600, 88)]
    down_the_first_glyphs = (98, 0, 125, 88)  # what a detector sometimes adds beside a column
    seen_again = (300, 2, 600, 27)  # a line's right part, seen again in the next tile
    merged = merge_boxes([*lines, down_the_first_glyphs, seen_again])
    assert sorted(tuple(b[:4]) for b in merged if b[2] - b[0] > 100) == lines
    headline, quote = (100, 200, 700, 268), (698, 205, 730, 230)  # “ found apart from its headline
    assert [tuple(b[:4]) for b in merge_boxes([headline, quote])] == [(100, 200, 730, 268)]


def test_a_leaning_column_is_read_line_by_line_turned_level(cfg):
    """A column pasted up 4° askew on a level page: each line is detected with its slope,
    cut to its own band and turned level before it is read."""
    from pages import rotate
    from pipeline.engines import get_engine
    from pipeline.ocr import crop_line, detect_lines

    lines = column_lines(0, 8, 16)
    image, (box,) = draw_columns([lines], top=120, left=200)
    x0, y0, x1, y1 = box
    image[y0 - 40 : y1 + 40, x0 - 40 : x1 + 40] = rotate(image[y0 - 40 : y1 + 40, x0 - 40 : x1 + 40], -4)
    found = sorted(detect_lines(get_engine(cfg), image, 20 / 28, cfg["ocr"]["detection"]), key=lambda b: b.y0)
    assert len(found) == len(lines)
    assert all(0.055 < line.slope < 0.085 for line in found)  # tan 4° = 0.07, falling to the right
    reads = get_engine(cfg).recognize([crop_line(image, line, cfg["ocr"]["recognition"]["padding"], False)
                                       for line in found])
    assert score_texts("\n".join(lines), "\n".join(r.text for r in reads)).cer <= 0.03
