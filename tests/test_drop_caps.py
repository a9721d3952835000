"""Drop caps: found beside lines of smaller type, not in a line of display type; a letter with no
line beside it is kept as text."""

import numpy as np

from pipeline.drop_caps import attach_drop_caps, find_drop_cap
from pipeline.model import Block, BlockKind, Line, Page, Word, rect_polygon

TH = 20  # body text height


def block_mask(cap_height: int, lines_beside: int, line_height: int) -> np.ndarray:
    mask = np.zeros((8 * TH, 400), np.uint8)
    mask[2 : 2 + cap_height, 2:50] = 1  # the letter
    for k in range(lines_beside):
        top = 2 + k * int(1.5 * line_height)
        mask[top : top + line_height, 70:390] = 1
    return mask


def test_a_letter_beside_three_body_lines_is_a_drop_cap():
    assert find_drop_cap(block_mask(3 * TH, 3, TH), TH) == (2, 2, 50, 2 + 3 * TH)


def test_the_first_glyph_of_a_display_line_is_not():
    assert find_drop_cap(block_mask(3 * TH, 1, 3 * TH), TH) is None  # one line of the same size beside it
    assert find_drop_cap(block_mask(TH, 3, TH), TH) is None  # no larger than the body type


def test_a_cap_joins_the_first_word_beside_it_or_stays_as_text():
    body = Block("b1", BlockKind.BODY, rect_polygon(0, 0, 400, 200), [
        Line("fter eleven hours", rect_polygon(70, 0, 390, 20), 0.9,
             [Word("fter", rect_polygon(70, 0, 120, 20), 0.9), Word("eleven", rect_polygon(130, 0, 200, 20), 0.9)]),
        Line("of debate", rect_polygon(70, 30, 390, 50), 0.9)])
    cap = Block("b1-cap", BlockKind.DROP_CAP, rect_polygon(2, 2, 50, 62), [Line("A", rect_polygon(2, 2, 50, 62), 0.9)])
    page = attach_drop_caps(Page("p", 400, 200, [cap, body], reading_order=["b1-cap", "b1"]))
    assert [b.id for b in page.blocks] == page.reading_order == ["b1"]
    assert body.lines[0].text == "After eleven hours" and body.lines[0].words[0].text == "After"
    assert body.lines[0].words[0].bbox[0] == 2  # the word's box takes in the letter

    lone = Block("c1-cap", BlockKind.DROP_CAP, rect_polygon(500, 2, 550, 62), [Line("Z", rect_polygon(500, 2, 550, 62), 0.9)])
    page = attach_drop_caps(Page("p", 600, 200, [lone], reading_order=["c1-cap"]))
    assert page.blocks == [lone] and lone.kind is BlockKind.BODY and lone.lines[0].text == "Z"


def test_lines_beside_a_cap_run_on_and_indents_start_paragraphs():
    from pipeline.formats.articles import _paragraph_starts

    def block(lines):  # (x0, x1) per line, 20 px high, 30 apart
        return Block("b", BlockKind.BODY, rect_polygon(0, 0, 400, 30 * len(lines)),
                     [Line("x", rect_polygon(x0, 30 * k, x1, 30 * k + 20), 0.9) for k, (x0, x1) in enumerate(lines)],
                     text_height=20)

    # after a cap: the first line takes in the letter; the two beside it are set in alike
    assert _paragraph_starts(block([(0, 400), (60, 400), (60, 400), (0, 400)])) == [False, False, False, False]
    # first-line indents
    assert _paragraph_starts(block([(20, 400), (0, 400), (0, 250), (20, 400), (0, 300)])) == \
        [True, False, False, True, False]
    # one-line paragraphs, each set in and short: each starts a paragraph
    assert _paragraph_starts(block([(0, 400), (20, 300), (20, 260), (20, 310)])) == [False, True, True, True]
