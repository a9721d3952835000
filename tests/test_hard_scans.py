"""Harsh scans of the seed page through the whole pipeline: show-through, skew, uneven light,
newsprint, noise, JPEG 50, 150 dpi, laid sideways. Figures over more cases: scripts/bench_hard_scans.py."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.formats import WRITERS
from pipeline.process import process_page
from pipeline.scoring import score_texts
from pipeline.synth.damage import Damage
from pipeline.synth.render import missing_packages, render_page

ROOT = Path(__file__).resolve().parents[1]
HARSH = dict(rotate=7.0, paper="newsprint", illumination=0.35, noise=5.0, jpeg_quality=50, show_through=0.2)

pytestmark = pytest.mark.slow


def scan(**damage):
    if missing_packages("noto-serif"):
        pytest.skip("CJK fonts missing (make system-deps)")
    page = render_page(ROOT / "samples/transcription.txt", ROOT / "samples/seed-page.layout.yaml", dpi=150, seed=3,
                       damage=Damage(**damage))
    return page, np.asarray(Image.open(io.BytesIO(page.jpeg())))


@pytest.fixture(scope="module")
def harsh(cfg):
    truth, image = scan(**HARSH)
    page = process_page(image, cfg, page_id="harsh")
    return truth, page, WRITERS["txt"][1](page)


def test_a_harsh_scan_reads_almost_as_well_as_a_clean_one(harsh):
    truth, page, text = harsh
    score = score_texts(truth.gt_text(), text)
    assert score.flex_cer <= 0.05, f"block-flexible CER {score.flex_cer:.2%}"
    assert page.metadata["skew_angle"] == pytest.approx(7.0, abs=0.1)


def test_show_through_does_not_become_text(harsh):
    """Every line read lies in a block of the ground truth: none on the reverse side's ghost type."""
    truth, page, _ = harsh
    boxes = np.array([b["bbox"] for b in truth.gt["blocks"]], float)
    slack = 10
    for block in page.blocks:
        for line in block.lines:
            x, y = np.mean(np.asarray(line.polygon), axis=0)
            inside = ((boxes[:, 0] - slack <= x) & (x <= boxes[:, 2] + slack)
                      & (boxes[:, 1] - slack <= y) & (y <= boxes[:, 3] + slack))
            assert inside.any(), f"line {line.text!r} at ({x:.0f}, {y:.0f}) is in no block of the page"


def test_a_page_scanned_sideways_reads_like_the_upright_one(harsh, cfg):
    _, _, upright_text = harsh
    truth, image = scan(turn=270, **HARSH)
    page = process_page(image, cfg, page_id="sideways")
    assert page.metadata["orientation"] == 90
    text = WRITERS["txt"][1](page)
    assert score_texts(truth.gt_text(), text).flex_cer <= 0.05
    same = score_texts(upright_text, text)  # the upright page's output as the reference
    assert same.orderfree_cer <= 0.02, f"{same.orderfree_cer:.2%} of the characters differ"
