"""Vertical pages from the project's renderer: the seed page set in right-to-left columns."""

import pytest

from pipeline.formats.txt import write_txt
from pipeline.io import read_image
from pipeline.model import Direction, Page
from pipeline.process import process_page
from pipeline.scoring import score_texts
from pipeline.synth.damage import Damage
from pipeline.synth.render import missing_packages
from pipeline.synth.vertical import render_vertical_page

from conftest import ROOT


@pytest.fixture(scope="module")
def vertical_run(tmp_path_factory):
    if missing_packages("noto-serif"):
        pytest.skip("CJK fonts missing")
    out = tmp_path_factory.mktemp("vertical")
    results = {}
    for traditional in (False, True):
        page = render_vertical_page(ROOT / "samples/transcription.txt", ROOT / "samples/seed-page.layout.yaml",
                                    traditional=traditional, damage=Damage(rotate=0.3, paper="newsprint", noise=3.0))
        page.save(out / "v.jpg")
        from pipeline.config import load_config

        result = process_page(read_image(out / "v.jpg"), load_config(), "v")
        results[traditional] = (page, result)
    return results


@pytest.mark.parametrize("traditional", [False, True])
def test_vertical_text_reads_in_order_punctuation_included(vertical_run, traditional):
    rendered, page = vertical_run[traditional]
    assert page.metadata["direction"] == "vertical"
    score = score_texts(rendered.gt_text(), write_txt(page))
    # Plain CER, so the order counts; the vertical forms (︐ ︒ ﹁ ︵) count as the ordinary marks.
    assert score.cer <= 0.04 and score.flex_cer <= 0.04


def test_traditional_page_scores_alike_in_either_script(vertical_run):
    """The recognizer writes some traditional characters in their simplified form: the
    cjk-simplified profile does not count that as an error."""
    rendered, page = vertical_run[True]
    plain = score_texts(rendered.gt_text(), write_txt(page), "cjk")
    folded = score_texts(rendered.gt_text(), write_txt(page), "cjk-simplified")
    assert folded.plain_errors < plain.plain_errors
    assert folded.cer <= 0.02


@pytest.mark.parametrize("traditional", [False, True])
def test_every_articles_columns_run_right_to_left(vertical_run, traditional):
    _, page = vertical_run[traditional]
    bodies = [b for b in page.ordered_blocks() if b.direction == Direction.VERTICAL]
    assert len(bodies) >= 4
    for block in bodies:
        xs = [line.bbox[0] for line in block.lines]
        assert xs == sorted(xs, reverse=True)


def test_exports_carry_the_direction(vertical_run):
    from pipeline.formats import WRITERS, read_page

    _, page = vertical_run[False]
    again = read_page(WRITERS["page"][1](page).encode())
    assert [b.direction for b in again.ordered_blocks()] == [b.direction for b in page.ordered_blocks()]
    assert isinstance(again, Page)
