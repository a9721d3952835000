import numpy as np

from pages import column_lines, draw_columns, halftone
from pipeline.cleanup import cleanup
from pipeline.layout import _inside_one_line, analyze_layout
from pipeline.model import BlockKind, Page


def laid_out(image, cfg):
    page = Page("p", image.shape[1], image.shape[0], image=image)
    return analyze_layout(cleanup(page, cfg), cfg)


def test_two_columns_with_a_narrow_gutter_come_out_as_two_blocks_in_order(cfg):
    image, cols = draw_columns([column_lines(0, 12, 14), column_lines(30, 12, 14)], gutter=16)
    page = laid_out(image, cfg)
    blocks = page.ordered_blocks()
    assert [b.kind for b in blocks] == [BlockKind.BODY, BlockKind.BODY]
    gutter = (cols[0][2], cols[1][0])
    assert blocks[0].bbox[2] <= gutter[1] and blocks[1].bbox[0] >= gutter[0]
    assert blocks[0].bbox[0] < blocks[1].bbox[0]


def test_photos_and_rules_are_found_and_kept_out_of_text(cfg):
    image, cols = draw_columns([column_lines(0, 12, 14), column_lines(30, 12, 14)], width=1500, gutter=40)
    image[80:500, 1000:1400] = halftone(420, 400)
    image[620:624, 80:1400] = 0  # a rule across the page
    page = laid_out(image, cfg)
    photos = [b for b in page.blocks if b.kind == BlockKind.PHOTO]
    rules = [b for b in page.blocks if b.kind == BlockKind.SEPARATOR]
    assert len(photos) == 1 and len(rules) >= 1
    px0, py0, px1, py1 = photos[0].bbox
    assert abs(px0 - 1000) < 15 and abs(py1 - 500) < 15
    for b in page.ordered_blocks():
        assert b.bbox[2] <= px0 or b.bbox[0] >= px1 or b.bbox[3] <= py0 or b.bbox[1] >= py1
    assert photos[0].id not in page.reading_order


def test_headline_is_told_from_body_by_type_size(cfg):
    from PIL import Image, ImageDraw

    from pages import font

    image, _ = draw_columns([column_lines(0, 10, 14), column_lines(30, 10, 14)], top=220)
    pil = Image.fromarray(image)
    ImageDraw.Draw(pil).text((80, 80), "经开区筑牢红色防线", font=font(84), fill=0)
    page = laid_out(np.asarray(pil).copy(), cfg)
    kinds = [b.kind for b in page.ordered_blocks()]
    assert kinds == [BlockKind.HEADLINE, BlockKind.BODY, BlockKind.BODY]


def test_a_split_off_piece_of_a_blocks_last_line_joins_the_block():
    from pipeline.layout import Leaf, merge_leaves

    lead = Leaf((138, 1446, 1096, 1560), False, 16.5)  # four letter-spaced lines
    tail = Leaf((437, 1542, 586, 1560), False, 16.0)  # the last line's end, cut off by the XY-cut
    body = Leaf((108, 1606, 510, 1906), False, 20.0)
    merged = merge_leaves([lead, tail, body], th=20, max_gap=1.2)
    assert [leaf.box for leaf in merged] == [(138, 1446, 1096, 1560), (108, 1606, 510, 1906)]


def test_a_few_specks_in_a_gutter_do_not_join_the_columns(cfg):
    """Dust left in a gutter (a scan's specks, show-through that survived cleanup) must not close it."""
    image, boxes = draw_columns([column_lines(0, 12, 8), column_lines(40, 12, 8)], gutter=16)
    gutter_x = boxes[0][2] + 8
    for y in range(boxes[0][1] + 30, boxes[0][3] - 30, 90):
        image[y : y + 3, gutter_x - 1 : gutter_x + 2] = 0  # 3×3 specks down the gutter
    page = analyze_layout(cleanup(Page("p", image.shape[1], image.shape[0], image=image), cfg), cfg)
    body = [b for b in page.blocks if b.kind == BlockKind.BODY]
    assert len(body) == 2


def test_dense_type_in_lines_is_not_taken_for_a_halftone():
    from pipeline.layout import _lines_of_type

    lines = np.zeros((300, 300), np.uint8)
    for top in range(0, 300, 27):
        lines[top : top + 20] = np.random.default_rng(top).random((20, 300))[: 300 - top] < 0.5  # bold type, 20 px lines
    assert _lines_of_type(lines, 20)
    assert not _lines_of_type((halftone(300, 300) == 0).astype(np.uint8), 20)


def test_a_word_space_above_a_centred_last_line_is_no_gutter():
    """A two-line head: `Fragrance Works Reopens  Six Months after the` over a centred `Fire`
    that lies left of the word space. The space runs through both lines' rows but stays a space;
    two columns of two lines each keep their gutter."""
    size = 40
    head = np.zeros((2 * size + 10, 1200), np.uint8)
    head[0:size, 0:600] = 1  # first line, left of the space
    head[0:size, 630:1200] = 1  # first line, right of it
    head[size + 10 :, 540:600] = 1  # the short second line, left of the space
    assert _inside_one_line(head, (600, 630), size)
    columns = head.copy()
    columns[size + 10 :, 630:700] = 1  # a second line on the right too: two lines on each side
    assert not _inside_one_line(columns, (600, 630), size)  # a gap wider than a word space
    assert _inside_one_line(columns, (600, 620), size)  # a word space through both lines
    body = np.zeros((6 * size, 1200), np.uint8)
    for k in range(6):
        body[k * size : k * size + size // 2, :600] = body[k * size : k * size + size // 2, 620:] = 1
    assert not _inside_one_line(body, (600, 620), size)  # columns of body lines keep their gutter
