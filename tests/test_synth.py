"""The synthetic page renderer: deterministic, faithful to the transcription, correct geometry."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.synth import damage
from pipeline.synth.render import STYLES, missing_packages, render_page
from pipeline.synth.spec import load_spec

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TRANSCRIPTION = SAMPLES / "transcription.txt"
LAYOUT = SAMPLES / "seed-page.layout.yaml"
CAPTION = "岐伯山医院留观病区医护团队"  # printed once, transcribed twice in one line


def needs_fonts(style: str) -> None:
    missing = missing_packages(style)
    if missing:
        pytest.skip(f"style {style} needs the Debian font packages {', '.join(missing)}")


def render(**kw):
    needs_fonts(kw.get("style", "noto-serif"))
    kw.setdefault("dpi", 100)  # half size: fast, and exercises the scaling
    return render_page(TRANSCRIPTION, LAYOUT, **kw)


def printed_lines() -> list[str]:
    """The transcription's lines as they should appear on the page (independent of spec.py)."""
    lines = [line.strip() for line in TRANSCRIPTION.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [CAPTION if line == CAPTION * 2 else line for line in lines]


def gt_lines(page) -> list[str]:
    return [line for b in page.gt["blocks"] for line in b["lines"]]


def chars(lines) -> Counter:
    return Counter(re.sub(r"\s", "", "".join(lines)))


def by_article(page, types=("body", "subhead")) -> dict[str, str]:
    text: dict[str, str] = {}
    for b in sorted(page.gt["blocks"], key=lambda b: b["order"]):
        if b["type"] in types:
            text[b["article"]] = text.get(b["article"], "") + re.sub(r"\s", "", "".join(b["lines"]))
    return text


def test_same_seed_same_bytes():
    scan = damage.Damage(rotate=0.4, paper="newsprint", illumination=0.05, blur=0.6, noise=2.5, jpeg_quality=85)
    a, b = render(seed=3, damage=scan), render(seed=3, damage=scan)
    assert a.jpeg() == b.jpeg()
    assert a.gt == b.gt
    assert render(seed=4, damage=scan).jpeg() != a.jpeg()


def test_gt_prints_every_transcription_line_once():
    page = render(dpi=200)
    assert sorted(gt_lines(page)) == sorted(printed_lines())
    assert chars(gt_lines(page)) == chars(printed_lines())
    # gt.txt: the blocks in reading order, one blank line between them.
    blocks = sorted(page.gt["blocks"], key=lambda b: b["order"])
    assert page.gt_text().split("\n\n") == ["\n".join(b["lines"]) for b in blocks[:-1]] + [
        "\n".join(blocks[-1]["lines"]) + "\n"
    ]
    assert [b["type"] for b in blocks if b["article"] == "C"][-1] == "caption"


def test_gt_schema_and_boxes_hold_ink():
    page = render(damage=damage.Damage(rotate=0.4, paper="newsprint", noise=2.5, jpeg_quality=85))
    gt, img = page.gt, page.image
    assert set(gt) == {"image", "width", "height", "style", "layout", "blocks"}
    assert (gt["width"], gt["height"]) == (img.shape[1], img.shape[0])
    paper = np.median(img)
    for b in gt["blocks"]:
        assert set(b) == {"id", "article", "type", "order", "bbox", "polygon", "lines"}
        x0, y0, x1, y1 = b["bbox"]
        assert 0 <= x0 < x1 <= gt["width"] and 0 <= y0 < y1 <= gt["height"], b
        assert all(0 <= x <= gt["width"] and 0 <= y <= gt["height"] for x, y in b["polygon"]), b
        crop = img[y0:y1, x0:x1]
        assert crop.min() < paper - 100, f"no ink in block {b['id']} {b['lines'][:1]}"


def test_rotation_moves_the_gt_with_the_ink():
    """The section label is a black box: find it in the rotated image and compare with its GT polygon."""
    angle = 8.0
    flat = render()
    page = render(damage=damage.Damage(rotate=angle))
    section = next(b for b in page.gt["blocks"] if b["type"] == "section")
    flat_section = next(b for b in flat.gt["blocks"] if b["type"] == "section")
    poly = np.array(section["polygon"])

    # The box is the dark region just inside the GT polygon's first corner (its middle is white text).
    _, labels = cv2.connectedComponents((page.image < 100).astype(np.uint8))
    x, y = poly[0] + 0.1 * (poly.mean(axis=0) - poly[0])
    ys, xs = np.nonzero(labels == labels[int(y), int(x)])
    box = cv2.boxPoints(cv2.minAreaRect(np.column_stack([xs, ys]).astype(np.float32)))
    for corner in poly:  # every GT corner has an ink corner within 3 px
        assert np.min(np.linalg.norm(box - corner, axis=1)) < 3.0, (corner, box)
    # The top edge tilts by the rotation (counter-clockwise: it rises to the right).
    dx, dy = poly[1] - poly[0]
    assert np.degrees(np.arctan2(-dy, dx)) == pytest.approx(angle, abs=0.05)
    assert np.abs(poly - np.array(flat_section["polygon"])).max() > 10  # it really moved
    # The image grew as far as needed to keep all text on it.
    assert page.image.shape[0] > flat.image.shape[0]
    corners = [xy for b in page.gt["blocks"] for xy in b["polygon"]]
    assert all(0 <= x <= page.gt["width"] and 0 <= y <= page.gt["height"] for x, y in corners)


def test_reflow_keeps_the_text():
    default, narrow = render(dpi=200), render(dpi=200, column_width=250)
    assert by_article(narrow) == by_article(default)
    assert chars(gt_lines(narrow)) == chars(gt_lines(default))
    body_lines = {line for b in narrow.gt["blocks"] if b["type"] == "body" for line in b["lines"]}
    assert not body_lines & {"州晚报记者 王赛华 经开", "前程办事处党工委成立由"}  # really re-broken
    for b in narrow.gt["blocks"]:
        if b["type"] == "body":
            assert b["bbox"][2] - b["bbox"][0] <= 250 + 2


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_style_renders(style):
    page = render(style=style)
    assert page.gt["style"] == style
    assert sorted(gt_lines(page)) == sorted(printed_lines())


@pytest.mark.parametrize("arrangement", sorted(load_spec(TRANSCRIPTION, LAYOUT).arrangements))
def test_each_arrangement_renders(arrangement):
    page = render(arrangement=arrangement)
    assert page.gt["layout"] == arrangement
    assert chars(gt_lines(page)) == chars(printed_lines())
    assert by_article(page, ("body", "subhead", "lead")) == by_article(render(), ("body", "subhead", "lead"))
    assert {b["article"] for b in page.gt["blocks"]} == {"section", "A", "C", "D", "E"}


def test_layout_must_use_every_line(tmp_path):
    layout = tmp_path / "bad.yaml"
    text = LAYOUT.read_text(encoding="utf-8")
    layout.write_text(text.replace("body: [7, 8, 9, 10, 11, 12]", "body: [7, 8, 9, 10, 12]"))
    with pytest.raises(ValueError, match="11:0"):
        load_spec(TRANSCRIPTION, layout)
    layout.write_text(text.replace("body: [7, 8, 9, 10, 11, 12]", "body: [7, 8, 9, 10, 11, 11, 12]"))
    with pytest.raises(ValueError, match="11:0 .* used 2×"):
        load_spec(TRANSCRIPTION, layout)


def test_bundled_sample_matches_the_renderer():
    """samples/seed-page.* are what scripts/make_samples.sh produces (regenerate them after changes)."""
    needs_fonts("noto-serif")
    page = render_page(
        TRANSCRIPTION,
        LAYOUT,
        seed=1,
        damage=damage.Damage(rotate=0.4, paper="newsprint", illumination=0.05, blur=0.6, noise=2.5, jpeg_quality=85),
    )
    assert page.gt_text() == (SAMPLES / "seed-page.gt.txt").read_text(encoding="utf-8")
    assert sorted(page.gt_text().split()) == sorted(" ".join(printed_lines()).split())


def test_lean_turns_columns_this_way_and_that_and_leaves_wide_blocks():
    import numpy as np

    from pipeline.synth.damage import lean_columns

    page = np.full((400, 600), 255, np.uint8)
    page[50:350, 60:66] = 0  # a column's left edge, upright
    page[50:350, 300:306] = 0  # the next column's
    page[370:376, 60:560] = 0  # a wide block's rule
    out = lean_columns(page, [(40, 40, 200, 360), (280, 40, 440, 360), (40, 365, 580, 380)], 3.0)
    first, second = (np.flatnonzero(out[y, 40:200] < 128) for y in (60, 340)), \
        (np.flatnonzero(out[y, 280:440] < 128) for y in (60, 340))
    top, bottom = first
    assert top.mean() < bottom.mean() - 10  # turned counter-clockwise: the top leans left
    top, bottom = second
    assert top.mean() > bottom.mean() + 10  # the next one the other way
    assert (out[370:376] == page[370:376]).all()  # wider than tall: not a column
