"""Cleanup's steps one by one, on small drawn pages damaged by the renderer's own scan effects."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from pages import TEXT, column_lines, draw_columns, font
from pipeline.cleanup import cleanup
from pipeline.cleanup.background import flatten_background, stretch_contrast, whiten_borders
from pipeline.cleanup.binarize import sauvola
from pipeline.cleanup.lines import sketch
from pipeline.cleanup.noise import remove_specks
from pipeline.cleanup.showthrough import suppress_show_through
from pipeline.config import load_config
from pipeline.io import read_image
from pipeline.model import Page
from pipeline.synth import damage


def small_type_page() -> np.ndarray:
    """Body type of 150 dpi (20 px, strokes 1–2 px thick) in three columns, with 、。 in it."""
    lines = [line[:6] + "、" + line[6:12] + "。" + line[12:] for line in column_lines(0, 16, 16)]
    image, _ = draw_columns([lines, column_lines(50, 16, 16), column_lines(120, 16, 16)], size=20, gutter=16,
                            width=1240, height=700)
    return image


def ink(grey: np.ndarray, level: int = 160) -> np.ndarray:
    return grey < level


def test_show_through_is_painted_out_and_the_type_stays():
    clean = small_type_page()
    rng = np.random.default_rng(0)
    seen = np.clip(damage.show_through(clean, 0.3, rng), 0, 255).astype(np.uint8)
    seen = np.clip(damage.gaussian_noise(seen.astype(np.float32), 4, rng), 0, 255).astype(np.uint8)
    reverse_only = ink(seen, 235) & ~cv2.dilate(ink(clean, 250).astype(np.uint8), np.ones((5, 5))).astype(bool)
    assert reverse_only.sum() > 5000  # the reverse side really shows

    out = suppress_show_through(seen, glyph=20)
    assert ink(out, 235)[reverse_only].mean() < 0.01
    kept = ink(out)[ink(clean, 100)].mean()
    assert kept > 0.99, f"only {kept:.1%} of the type's ink kept"


def test_specks_go_but_thin_strokes_and_small_punctuation_stay():
    clean = small_type_page()
    rng = np.random.default_rng(1)
    dusty = np.clip(damage.specks(clean.astype(np.float32), 1.0, rng), 0, 255).astype(np.uint8)
    # Specks on the paper, clear of the type (those touching a glyph are the recognizer's to ignore,
    # and one the size of a comma within 0.8 glyphs of type is let be: it may be a centred 、).
    clear = ~cv2.dilate(ink(clean, 250).astype(np.uint8), np.ones((27, 27), np.uint8)).astype(bool)
    n_dust, _ = cv2.connectedComponents((ink(dusty) & clear).astype(np.uint8))
    assert n_dust > 30

    out = remove_specks(dusty, glyph=20 * 0.75)
    left, _ = cv2.connectedComponents((ink(out) & clear).astype(np.uint8))
    assert left - 1 <= 0.05 * (n_dust - 1), f"{left - 1} of {n_dust - 1} specks left"
    assert ink(out)[ink(clean)].mean() > 0.995  # every stroke, 、 and 。 included

    # the page's 、 and 。 (small, but beside other glyphs) survive a speck filter on the clean page
    n_clean, _ = cv2.connectedComponents(ink(clean).astype(np.uint8))
    n_after, _ = cv2.connectedComponents(ink(remove_specks(clean, glyph=15)).astype(np.uint8))
    assert n_after == n_clean


def test_uneven_light_shadow_and_paper_tone_become_white():
    clean = small_type_page()
    rng = np.random.default_rng(2)
    page = damage.paper_tone(clean, "newsprint", colour=False)
    page = damage.uneven_illumination(page, 0.45, rng)
    page = damage.binding_shadow(page, 0.5, rng)
    scan = np.clip(page, 0, 255).astype(np.uint8)
    flat = stretch_contrast(flatten_background(scan))
    paper = ~cv2.dilate(ink(clean, 250).astype(np.uint8), np.ones((3, 3))).astype(bool)
    assert np.percentile(flat[paper], 5) > 225  # the shadowed, dim side is white too
    assert np.percentile(flat[ink(clean, 60)], 90) < 90  # and the type dark


def test_scanner_border_and_facing_page_edge_are_whitened():
    clean = small_type_page()
    scan = clean.copy()
    scan[:, -60:] = 90  # the dark lid beyond the page
    scan[:, -90:-60] = 200  # the facing page's edge
    scan[-40:, :] = 60  # the scanner's border along the bottom
    out = whiten_borders(scan, sketch(scan), margin=1.5)
    assert out[:, -90:].min() == 255 and out[-40:, :].min() == 255
    assert np.array_equal(out[ink(clean, 250)], clean[ink(clean, 250)])


def test_cleanup_levels_and_records_the_transform(cfg):
    image, _ = draw_columns([column_lines(0, 14, 16), column_lines(40, 14, 16)])
    tilted, matrix = damage.rotate(image.astype(np.float32), 6.3, [], 255)
    tilted = tilted.astype(np.uint8)
    page = cleanup(Page("p", tilted.shape[1], tilted.shape[0], image=tilted), cfg)
    assert page.metadata["skew_angle"] == pytest.approx(6.3, abs=0.1)
    assert page.metadata["orientation"] == 0
    # a point of the original page lands on the same glyph after scan and cleanup
    corner = damage.transform_points([(80, 80)], matrix)
    back = page.to_working(corner)[0]
    assert np.allclose(page.to_input(page.to_working(corner)), corner, atol=0.1)
    x, y = int(round(back[0])), int(round(back[1]))
    assert page.image[y : y + 30, x : x + 30].min() < 100  # the first glyph is there


def test_binarization_is_an_option_per_engine():
    cfg = load_config(None, ["cleanup.binarize.engines=[rapidocr]", "cleanup.orientation.enabled=false"])
    image = small_type_page()
    page = cleanup(Page("p", image.shape[1], image.shape[0], image=image), cfg)
    assert set(np.unique(page.image)) <= {0, 255}
    assert set(np.unique(sauvola(image, 31))) <= {0, 255}


def test_every_step_can_be_switched_off(cfg):
    off = load_config(None, [f"cleanup.{step}.enabled=false" for step in
                             ("background", "show_through", "specks", "orientation", "deskew", "borders")])
    image = small_type_page()
    page = cleanup(Page("p", image.shape[1], image.shape[0], image=image), off)
    assert np.array_equal(page.image, image)


def test_debug_images_are_written_when_asked(tmp_path):
    cfg = load_config(None, [f"debug.images={tmp_path}", "cleanup.orientation.enabled=false"])
    image = small_type_page()
    cleanup(Page("pg", image.shape[1], image.shape[0], image=image), cfg)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "pg.cleanup-1-grey.png" in written and any("deskew" in n for n in written)
    assert cv2.imread(str(tmp_path / "pg.cleanup-1-grey.png"), cv2.IMREAD_GRAYSCALE).shape == image.shape


def test_exif_orientation_is_applied_on_reading(tmp_path):
    """A camera JPEG stored sideways with EXIF orientation 6 ("turn 90° clockwise to view")."""
    f = font(40)
    upright = Image.new("L", (400, 120), 255)
    from PIL import ImageDraw

    ImageDraw.Draw(upright).text((10, 30), TEXT[:8], font=f, fill=0)
    stored = upright.rotate(90, expand=True)  # as the sensor stored it
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    stored.save(buf, "JPEG", exif=exif.tobytes(), quality=95)
    path = tmp_path / "camera.jpg"
    path.write_bytes(buf.getvalue())
    image = read_image(path)
    assert image.shape[:2] == (120, 400)
    diff = np.abs(image.astype(int) - np.asarray(upright).astype(int))
    assert np.mean(diff > 64) < 0.01


def test_run_writes_debug_images_with_the_option(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    image = tmp_path / "small.png"
    cv2.imwrite(str(image), small_type_page())
    result = CliRunner().invoke(app, ["run", str(image), "-o", str(tmp_path / "out"), "--no-progress",
                                      "--debug-images", str(tmp_path / "dbg")])
    assert result.exit_code == 0, result.output
    written = {p.name for p in (tmp_path / "dbg").iterdir()}
    assert {"small.cleanup-1-grey.png", "small.cleanup-2-background.png"} <= written
    assert (tmp_path / "out" / "small.txt").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("turn, scale", [(90, 1.0), (180, 1.0), (270, 0.5)])
def test_damage_turns_and_downscales_with_the_ground_truth(turn, scale):
    from pathlib import Path

    from pipeline.synth.render import missing_packages, render_page

    if missing_packages("noto-serif"):
        pytest.skip("CJK fonts missing (make system-deps)")
    root = Path(__file__).resolve().parents[1]
    args = (root / "samples/transcription.txt", root / "samples/seed-page.layout.yaml")
    flat = render_page(*args, dpi=100)
    page = render_page(*args, dpi=100, damage=damage.Damage(turn=turn, scale=scale))
    h, w = flat.image.shape
    expected = (w, h) if turn in (90, 270) else (h, w)
    assert page.image.shape == tuple(round(s * scale) for s in expected)
    for block, before in zip(page.gt["blocks"], flat.gt["blocks"]):
        x0, y0, x1, y1 = block["bbox"]
        assert page.image[y0:y1, x0:x1].min() < 100, block["lines"][:1]  # the ink is where the GT says
        bw, bh = before["bbox"][2] - before["bbox"][0], before["bbox"][3] - before["bbox"][1]
        want = (bh, bw) if turn in (90, 270) else (bw, bh)  # a quarter turn swaps width and height
        assert np.allclose((x1 - x0, y1 - y0), np.array(want) * scale, atol=2)  # edges rounded outwards


def test_show_through_damage_puts_mirrored_type_on_blank_paper():
    clean = small_type_page()
    seen = damage.show_through(clean, 0.25, np.random.default_rng(0))
    blank = ~cv2.dilate(ink(clean, 250).astype(np.uint8), np.ones((9, 9))).astype(bool)
    assert (seen[blank] < 235).mean() > 0.02  # the reverse side's type
    assert seen[blank].min() > 255 * (1 - 0.25) - 1  # never darker than its strength allows
    assert np.array_equal(damage.show_through(clean, 0.0, np.random.default_rng(0)), clean.astype(np.float32))
