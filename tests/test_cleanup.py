import numpy as np
import pytest

from pages import column_lines, draw_columns, rotate
from pipeline.cleanup import cleanup, flatten_background, measure_skew
from pipeline.model import Page


@pytest.mark.parametrize("angle", [3.0, -3.0, 7.5])
def test_skew_is_measured(angle):
    image, _ = draw_columns([column_lines(0, 14, 16), column_lines(40, 14, 16)])
    assert measure_skew(rotate(image, angle)) == pytest.approx(-angle, abs=0.15)


def test_a_page_rotated_3_degrees_is_straightened(cfg):
    image, _ = draw_columns([column_lines(0, 14, 16), column_lines(40, 14, 16)])
    page = cleanup(Page("p", image.shape[1], image.shape[0], image=rotate(image, 3.0)), cfg)
    assert page.metadata["skew_angle"] == pytest.approx(3.0, abs=0.15)
    assert abs(measure_skew(page.image)) <= 0.1
    # the input's corner maps onto the rotated working image's canvas and back
    assert np.allclose(page.to_input(page.to_working([(0, 0)])), [(0, 0)], atol=0.1)


def test_uneven_light_and_paper_tone_become_white_but_dark_boxes_stay_dark():
    h, w = 600, 900
    light = np.linspace(150, 230, w, dtype=np.float32)[None, :].repeat(h, axis=0)  # yellowed, lit from the right
    page = light.copy()
    page[200:300, 100:400] = 30  # a reverse-type box
    flat = flatten_background(page.astype(np.uint8))
    assert flat[50, 50] > 240 and flat[50, w - 50] > 240
    assert flat[250, 250] < 80
