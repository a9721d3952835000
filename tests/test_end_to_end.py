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
