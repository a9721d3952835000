"""The HTML report: a page read by the pipeline, scored, reported, and opened in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from pages import column_lines, draw_columns, font
from pipeline.formats import WRITERS
from pipeline.io import read_image
from pipeline.process import process_page
from pipeline.scoring import analyze, evaluate, read_document
from pipeline.scoring.readers import text_blocks
from pipeline.scoring.report_html import KIND_COLOURS, write_report

HEADLINE = "党旗飘起来党徽亮起来"


def make_gt_page(folder: Path, stem: str = "page", shift: int = 0) -> Path:
    """A small page (a headline over three columns) with its ground truth in the renderer's
    `.gt.json` form (regions with boxes, kinds and order) beside it; returns the image path."""
    folder.mkdir(parents=True, exist_ok=True)
    columns = [column_lines(shift + 13 * i, 6, 11) for i in range(3)]
    image, boxes = draw_columns(columns, size=28, gutter=48, top=190, width=1300, height=650)
    page = Image.fromarray(image)
    draw = ImageDraw.Draw(page)
    big = font(64)
    draw.text((80, 60), HEADLINE, font=big, fill=0)
    head_box = [80, 60 + big.getbbox(HEADLINE)[1], 80 + int(draw.textlength(HEADLINE, font=big)),
                60 + big.getbbox(HEADLINE)[3]]
    path = folder / f"{stem}.png"
    page.save(path)
    blocks = [{"id": 0, "article": "A", "type": "headline", "order": 0, "bbox": head_box, "lines": [HEADLINE]}]
    blocks += [{"id": i + 1, "article": "A", "type": "body", "order": i + 1, "bbox": list(box), "lines": lines}
               for i, (box, lines) in enumerate(zip(boxes, columns))]
    gt = {"image": path.name, "width": page.width, "height": page.height, "blocks": blocks}
    (folder / f"{stem}.gt.json").write_text(json.dumps(gt, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scored(tmp_path_factory, cfg):
    """Two small pages read by the pipeline (the second with one column's text garbled in the
    output), scored against their ground truth."""
    gt_dir, out = tmp_path_factory.mktemp("gt"), tmp_path_factory.mktemp("out")
    for stem, shift in (("clean", 0), ("garbled", 50)):
        image = make_gt_page(gt_dir, stem, shift)
        page = process_page(read_image(image), cfg, page_id=stem)
        if stem == "garbled":
            line = page.ordered_blocks()[-1].lines[0]
            line.text = "错字" + line.text[2:]
        (out / f"{stem}.json").write_text(WRITERS["json"][1](page), encoding="utf-8")
    analyses, failures = evaluate(gt_dir, out, "cjk")
    assert not failures and [a.name for a in analyses] == ["clean", "garbled"]
    return analyses


def test_report_files_and_worst_first_index(scored, tmp_path):
    index = write_report(scored, tmp_path / "report")
    html = index.read_text(encoding="utf-8")
    assert html.index('href="garbled.html"') < html.index('href="clean.html"')  # worst first
    assert "cjk" in html and "TOTAL" in html
    page = (tmp_path / "report" / "garbled.html").read_text(encoding="utf-8")
    assert (tmp_path / "report" / "img" / "garbled.jpg").is_file()
    assert '<del class="sub">' in page and '<ins class="sub">错' in page  # the substituted characters
    hyp_blocks = text_blocks(scored[1].hyp.page)
    assert page.count('<g class="block"') == len(hyp_blocks) >= 4
    assert KIND_COLOURS[scored[1].hyp.page.ordered_blocks()[0].kind] in page  # coloured by kind
    assert "Output lines and confidences" in page


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    pytest.skip("chromium not installed (Debian: chromium; make system-deps)")


def headless(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120)


def test_page_report_renders_in_headless_chromium(scored, tmp_path):
    browser = chromium()
    write_report(scored, tmp_path / "report")
    page = (tmp_path / "report" / "clean.html").resolve()
    expected = len([b for b in text_blocks(scored[0].hyp.page) if b.polygon])

    dom = headless(browser, tmp_path / "profile-dom", "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
    match = re.search(r'data-rendered-blocks="(\d+)"', dom.stdout)
    assert match, dom.stderr[-2000:]
    assert int(match.group(1)) == expected >= 4  # drawn by the browser with a size on screen

    shot = tmp_path / "shot.png"
    headless(browser, tmp_path / "profile-shot", "--window-size=1400,1000", f"--screenshot={shot}", page.as_uri())
    assert shot.is_file(), "no screenshot"
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert pixels.std() > 20  # not a blank page
    body_blue = np.array([0x15, 0x65, 0xC0])  # body blocks' outline colour
    assert (np.abs(pixels - body_blue).sum(axis=2) < 40).sum() > 200


def test_report_of_a_page_without_image_or_regions(tmp_path):
    """Plain-text GT and output: no picture to draw, the text diff is still there."""
    (tmp_path / "p.gt.txt").write_text("第一段文字\n\n第二段", encoding="utf-8")
    (tmp_path / "p.txt").write_text("第二段\n\n第一段文宇", encoding="utf-8")
    analysis = analyze(read_document(tmp_path / "p.gt.txt"), read_document(tmp_path / "p.txt"), "cjk", "p")
    write_report([analysis], tmp_path / "r")
    page = (tmp_path / "r" / "p.html").read_text(encoding="utf-8")
    assert "nothing to draw" in page and '<del class="sub">字</del><ins class="sub">宇</ins>' in page


def test_image_is_found_from_the_name_the_ground_truth_gives(scored):
    from pipeline.scoring.report_html import find_image

    assert find_image(scored[0]).name == "clean.png"
