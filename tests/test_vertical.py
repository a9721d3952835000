"""Vertical CJK: columns read right to left, mixed with horizontal headlines and captions."""

from pages import TEXT, draw_vertical_columns
from pipeline.formats.txt import write_txt
from pipeline.layout import analyze_layout
from pipeline.cleanup import cleanup
from pipeline.model import Direction, Page
from pipeline.process import process_page
from pipeline.scoring import score_texts

COLUMNS = [TEXT[i * 18 : (i + 1) * 18] for i in range(10)]
HEADLINE = "经开区筑牢红色防线"
CAPTION = "岐伯山医院留观病区医护团队"


def test_layout_finds_vertical_body_between_horizontal_headline_and_caption(cfg):
    image = draw_vertical_columns(COLUMNS, spacing=1.3, headline=HEADLINE, caption=CAPTION)
    page = analyze_layout(cleanup(Page("v", image.shape[1], image.shape[0], image=image), cfg), cfg)
    assert page.metadata["direction"] == "vertical"
    directions = [b.direction for b in page.ordered_blocks()]
    assert directions == [Direction.HORIZONTAL, Direction.VERTICAL, Direction.HORIZONTAL]


def test_a_mixed_page_reads_headline_then_columns_right_to_left_then_caption(cfg):
    image = draw_vertical_columns(COLUMNS, spacing=1.3, headline=HEADLINE, caption=CAPTION)
    page = process_page(image, cfg)
    text = write_txt(page)
    expected = HEADLINE + "\n\n" + "\n".join(COLUMNS) + "\n\n" + CAPTION
    assert score_texts(expected, text).cer <= 0.02  # plain CER: the order must be right
    body = next(b for b in page.ordered_blocks() if b.direction == Direction.VERTICAL)
    xs = [line.bbox[0] for line in body.lines]
    assert xs == sorted(xs, reverse=True)  # columns right to left


def test_a_column_is_set_upright_with_its_marks_where_horizontal_setting_puts_them(cfg):
    """︐ (top right of its cell) must come out at the bottom left, ︵ turned back to (."""
    import cv2

    from pipeline.engines import get_engine
    from pipeline.vertical_text import glyph_grid, upright_line, vertical_lines

    column = "（三）经开区，二十一。"
    vertical = column.translate(str.maketrans({"（": "︵", "）": "︶", "，": "︐", "。": "︒"}))
    image = draw_vertical_columns([vertical], spacing=1.3)
    lines = vertical_lines(image, (0, 0, image.shape[1], image.shape[0]), 27)
    assert len(lines) == 1
    row = upright_line(image, lines[0], glyph_grid(image, lines))
    assert row.shape[1] > 5 * row.shape[0]  # one glyph a slot, side by side
    read = get_engine(cfg).recognize([cv2.cvtColor(row, cv2.COLOR_GRAY2BGR)])[0].text
    assert score_texts(column, read).cer <= 0.1, read
