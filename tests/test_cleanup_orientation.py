"""Orientation: sideways and upside-down pages are turned upright; vertical CJK type is not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pages import TEXT, draw_vertical_columns
from pipeline.cleanup import cleanup
from pipeline.model import Page
from pipeline.synth.damage import Damage
from pipeline.synth.render import missing_packages, render_page

ROOT = Path(__file__).resolve().parents[1]


def cleaned(image: np.ndarray, cfg) -> Page:
    return cleanup(Page("p", image.shape[1], image.shape[0], image=image), cfg)


@pytest.fixture(scope="module")
def scans():
    """The seed page at 120 dpi, 3° askew on newsprint with show-through, laid on the scanner four ways."""
    if missing_packages("noto-serif"):
        pytest.skip("CJK fonts missing (make system-deps)")
    return {turn: render_page(ROOT / "samples/transcription.txt", ROOT / "samples/seed-page.layout.yaml", dpi=120,
                              seed=2, damage=Damage(rotate=3.0, turn=turn, paper="newsprint", noise=4.0,
                                                    show_through=0.2, illumination=0.3))
            for turn in (0, 90, 180, 270)}


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_a_page_laid_any_way_round_comes_out_upright(scans, cfg, turn):
    page = cleaned(scans[turn].image, cfg)
    assert page.metadata["orientation"] == (360 - turn) % 360
    assert page.metadata["skew_angle"] == pytest.approx(3.0, abs=0.1)
    upright = cleaned(scans[0].image, cfg)
    assert abs(page.image.shape[0] - upright.image.shape[0]) <= 2
    assert abs(page.image.shape[1] - upright.image.shape[1]) <= 2
    # The GT's headline box, mapped into the working image, holds the same ink as upright.
    gt = next(b for b in scans[turn].gt["blocks"] if b["type"] == "headline")
    box = np.asarray(page.to_working(gt["polygon"]))
    x0, y0 = box.min(axis=0).astype(int)
    x1, y1 = box.max(axis=0).astype(int)
    gt0 = next(b for b in scans[0].gt["blocks"] if b["type"] == "headline")
    box0 = np.asarray(upright.to_working(gt0["polygon"]))
    assert np.allclose(box.min(axis=0), box0.min(axis=0), atol=3)
    ink, ink0 = (page.image[y0:y1, x0:x1] < 128).mean(), (upright.image[y0:y1, x0:x1] < 128).mean()
    assert ink > 0.15 and ink == pytest.approx(ink0, abs=0.03)


def test_vertical_type_is_not_turned(cfg):
    columns = [TEXT[i * 18 : (i + 1) * 18] for i in range(10)]
    page = draw_vertical_columns(columns, headline="市委办公厅党员", caption="岐伯山医院留观")
    out = cleaned(page, cfg)
    assert out.metadata["orientation"] == 0
    assert np.allclose(out.image.shape, page.shape, atol=3)  # not turned sideways

    upside_down = cleaned(np.ascontiguousarray(np.rot90(page, 2)), cfg)
    assert upside_down.metadata["orientation"] == 180
    assert np.allclose(upside_down.image.shape, page.shape, atol=3)  # not turned sideways


def test_orientation_can_be_switched_off(scans, cfg):
    from pipeline.config import load_config

    off = load_config(None, ["cleanup.orientation.enabled=false"])
    page = cleaned(scans[180].image, off)
    assert "orientation" not in page.metadata
