"""The whole command on whole pages: the bundled sample and the shared rendering."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.model import Page
from pipeline.scoring import score_files

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def run_and_score(image: Path, gt: Path, out: Path):
    result = runner.invoke(app, ["run", str(image), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    stem = image.stem
    assert (out / f"{stem}.txt").exists() and (out / f"{stem}.json").exists()
    [score] = score_files(gt, out / f"{stem}.txt")
    return score, Page.from_json((out / f"{stem}.json").read_text())


def test_bundled_sample(tmp_path):
    score, page = run_and_score(ROOT / "samples/seed-page.jpg", ROOT / "samples/seed-page.gt.txt", tmp_path)
    assert score.flex_cer <= 0.03 and score.orderfree_cer <= 0.02
    assert page.timings["total"] > 0 and len(page.reading_order) >= 20


def test_shared_rendering_of_the_seed_page(shared, tmp_path):
    score, page = run_and_score(shared / "samples/seed-page.jpg", shared / "samples/seed-page.gt.txt", tmp_path)
    assert score.flex_cer <= 0.03 and score.orderfree_cer <= 0.02
    # reading order: each GT article's headline comes before its body, articles in GT order
    gt = json.loads((shared / "samples/seed-page.gt.json").read_text())
    heads = [b["lines"][0] for b in sorted(gt["blocks"], key=lambda b: b["order"]) if b["type"] == "headline"]
    text = (tmp_path / "seed-page.txt").read_text()
    positions = [text.find(h.replace("“", "“")) for h in heads]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_score_command_prints_the_three_rates(tmp_path):
    out = tmp_path / "o"
    runner.invoke(app, ["run", str(ROOT / "samples/seed-page.jpg"), "-o", str(out), "--no-progress"])
    result = runner.invoke(app, ["score", str(ROOT / "samples/seed-page.gt.txt"), str(out), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["total"]["flex_cer"] <= 0.03 and data["profile"] == "cjk"


@pytest.mark.parametrize(
    "style, arrangement, column_width, rotate",
    [("noto-sans", "flipped", None, -0.8), ("arphic", "tabloid", None, 1.2), ("wqy", "reference", 280, 0.3)],
)
def test_other_renderings_of_the_seed_page(tmp_path, style, arrangement, column_width, rotate):
    """Typefaces, arrangements and column widths the pipeline was not tuned on."""
    from pipeline.synth.damage import Damage
    from pipeline.synth.render import missing_packages, render_page

    if missing_packages(style):
        pytest.skip(f"fonts for {style} missing: {missing_packages(style)}")
    page = render_page(ROOT / "samples/transcription.txt", ROOT / "samples/seed-page.layout.yaml", style=style,
                       arrangement=arrangement, column_width=column_width, seed=11,
                       damage=Damage(rotate=rotate, paper="newsprint", noise=3.0, jpeg_quality=85))
    page.save(tmp_path / "variant.jpg")
    score, _ = run_and_score(tmp_path / "variant.jpg", tmp_path / "variant.gt.txt", tmp_path / "out")
    assert score.flex_cer <= 0.04
    assert score.cer <= 0.04  # the GT is in reading order: order errors would show here


def test_a_strip_of_one_long_line_is_read(tmp_path):
    """A 20000 × 200 px strip (one line cut from a page, a banner): every stage copes with a page
    a hundred times wider than high."""
    import cv2
    import numpy as np

    strip = np.full((200, 20000), 250, np.uint8)
    words = [f"word{i:03d}" for i in range(100)]
    for i, word in enumerate(words):
        cv2.putText(strip, word, (20 + 198 * i, 120), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    cv2.imwrite(str(tmp_path / "strip.png"), strip)
    result = runner.invoke(app, ["run", str(tmp_path / "strip.png"), "-o", str(tmp_path / "out"), "--no-progress"])
    assert result.exit_code == 0, result.output
    read = set((tmp_path / "out" / "strip.txt").read_text(encoding="utf-8").split())
    assert len(read & set(words)) >= 0.9 * len(words)
