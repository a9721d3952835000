"""Ground truth and output in every form: plain text, PAGE-XML 2013 and 2019, ALTO, hOCR, the JSON
page model and the renderer's .gt.json score alike; bad files fail alone with a clear line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import pytest
from typer.testing import CliRunner

from pipeline.batch import ExitCode
from pipeline.cli import app
from pipeline.formats import WRITERS
from pipeline.model import Line, Page
from pipeline.scoring import (BadDocument, analyze, evaluate, find_pairs, read_document, score_files, score_texts)
from pipeline.scoring.readers import read_render_gt

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "seed-page"
FORMS = ("txt", "json", "page", "alto", "hocr")
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory) -> Path:
    """The bundled sample page read once by `broadsheet run`, written in every output format."""
    out = tmp_path_factory.mktemp("seed-run")
    result = runner.invoke(app, ["run", f"{SEED}.jpg", "-o", str(out), "--no-progress", "--formats", ",".join(FORMS)])
    assert result.exit_code == 0, result.output
    return out


def with_line_strips(page: Page) -> Page:
    """The renderer's GT has no line outlines; ALTO needs them: each line gets its share of the
    block's box, top to bottom (only for writing GT as ALTO in these tests)."""
    for block in page.blocks:
        x0, y0, x1, y1 = block.bbox
        n = len(block.lines)
        block.lines = [Line(line.text, [(x0, y0 + (y1 - y0) * i / n), (x1, y0 + (y1 - y0) * i / n),
                                        (x1, y0 + (y1 - y0) * (i + 1) / n), (x0, y0 + (y1 - y0) * (i + 1) / n)], 1.0)
                       for i, line in enumerate(block.lines)]
    return page


def gt_in_every_form(folder: Path) -> dict[str, Path]:
    """The sample's ground truth as text, renderer JSON, PAGE 2019, PAGE 2013 and ALTO."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"text": folder / "gt.txt", "render-gt": folder / "gt.json"}
    shutil.copy(f"{SEED}.gt.txt", paths["text"])
    shutil.copy(f"{SEED}.gt.json", paths["render-gt"])
    page = with_line_strips(read_render_gt(json.loads(Path(f"{SEED}.gt.json").read_text()), "seed-page"))
    page_xml = WRITERS["page"][1](page)
    paths["page"] = folder / "gt.page.xml"
    paths["page"].write_text(page_xml, encoding="utf-8")
    paths["page-2013"] = folder / "gt.page2013.xml"
    paths["page-2013"].write_text(page_xml.replace("pagecontent/2019-07-15", "pagecontent/2013-07-15"),
                                  encoding="utf-8")
    paths["alto"] = folder / "gt.alto.xml"
    paths["alto"].write_text(WRITERS["alto"][1](page), encoding="utf-8")
    return paths


TEXT_COUNTS = ("gt_chars", "hyp_chars", "plain_errors", "orderfree_errors", "flex_errors", "bag_errors", "gt_words",
               "word_errors")


def counts(score, names=TEXT_COUNTS):
    return tuple(getattr(score, n) for n in names)


def test_one_run_scores_the_same_in_every_output_form(seed_run):
    """Text, JSON, PAGE, ALTO and hOCR output of the same run: identical text scores; the reading
    order is scored wherever the output has regions."""
    gt = read_document(Path(f"{SEED}.gt.json"))
    scores = {}
    for form in FORMS:
        hyp = read_document(seed_run / f"seed-page{WRITERS[form][0]}")
        assert hyp.text == (seed_run / "seed-page.txt").read_text(encoding="utf-8"), form
        scores[form] = analyze(gt, hyp, "cjk").score
    assert len({counts(s) for s in scores.values()}) == 1, {f: counts(s) for f, s in scores.items()}
    s = scores["json"]
    assert s.gt_chars > 2000 and s.flex_cer < 0.03 and s.cer < 0.05
    assert scores["txt"].ro_distance is None
    ro = {form: counts(scores[form], ("ro_regions", "ro_matched", "ro_edits", "ro_pairs_ok")) for form in FORMS[1:]}
    assert len(set(ro.values())) == 1, ro
    assert s.ro_regions >= 25 and s.ro_coverage > 0.9
    assert s.ro_distance < 0.2 and s.ro_pair_share > 0.95


def test_ground_truth_in_every_form_scores_the_same(seed_run, tmp_path):
    paths = gt_in_every_form(tmp_path / "gt")
    hyp = read_document(seed_run / "seed-page.json")
    docs = {form: read_document(path) for form, path in paths.items()}
    assert {form: d.form for form, d in docs.items()} == {
        "text": "text", "render-gt": "render-gt", "page": "page", "page-2013": "page", "alto": "alto"}
    scores = {form: analyze(d, hyp, "cjk").score for form, d in docs.items()}
    assert len({counts(s) for s in scores.values()}) == 1, {f: counts(s) for f, s in scores.items()}
    assert scores["text"].ro_distance is None
    ro = {f: counts(scores[f], ("ro_regions", "ro_matched", "ro_edits", "ro_pairs_ok")) for f in paths if f != "text"}
    assert len(set(ro.values())) == 1, ro


def test_score_command_gives_identical_numbers_for_every_output_form(seed_run, tmp_path):
    rates = []
    for form in FORMS:
        result = runner.invoke(app, ["score", f"{SEED}.gt.json", str(seed_run / f"seed-page{WRITERS[form][0]}"),
                                     "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["profile"] == "cjk" and data["pages"][0]["output_form"] == {"txt": "text"}.get(form, form)
        rates.append(tuple(data["total"][k] for k in ("cer", "wer", "orderfree_cer", "flex_cer")))
    assert len(set(rates)) == 1


def test_tesseract_hocr_and_text_read_alike(tmp_path):
    """Tesseract's own hOCR (ocr_carea/ocr_par/ocr_line/ocrx_word, one word per CJK character)
    reads back as the text Tesseract wrote, once normalized."""
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim)")
    from pages import column_lines, draw_columns

    image, _ = draw_columns([column_lines(0, 6, 12), column_lines(40, 6, 12)], width=900, height=500)
    cv2.imwrite(str(tmp_path / "p.png"), image)
    import subprocess

    subprocess.run(["tesseract", str(tmp_path / "p.png"), str(tmp_path / "p"), "-l", "chi_sim", "--psm", "3",
                    "txt", "hocr"], check=True, capture_output=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin"})
    doc = read_document(tmp_path / "p.hocr")
    assert doc.form == "hocr" and doc.page.width == 900 and doc.has_regions
    assert all(line.polygon and 0 <= line.confidence <= 1 for b in doc.page.blocks for line in b.lines)
    s = score_texts((tmp_path / "p.txt").read_text(encoding="utf-8"), doc.text)
    assert s.gt_chars > 100 and s.plain_errors == 0


def test_page_2013_ground_truth_of_a_real_page(shared):
    """The NZZ page's Transkribus PAGE 2013 GT (¬ marking divided words) against its text export
    (divisions shown as printed): the same text under the latin profile."""
    folder = shared / "real" / "nzz-1939"
    stem = "nzz_19390611_0_0_a1_p1_1"
    doc = read_document(folder / f"{stem}.gt.xml")
    assert doc.form == "page" and doc.has_regions
    assert len(doc.page.reading_order) > 50
    s = score_texts((folder / f"{stem}.gt.txt").read_text(encoding="utf-8"), doc.text, "latin")
    assert s.gt_chars > 20000 and s.plain_errors == 0
    # the folder pairs on the stem and prefers the PAGE file (regions, order) over the text
    [(found_stem, gt_path, hyp)] = find_pairs(folder, folder)
    assert found_stem == stem and gt_path.name.endswith(".gt.xml") and hyp is None


def test_pairs_prefer_structured_forms_and_keep_sub_folders(tmp_path):
    gt, out = tmp_path / "gt", tmp_path / "out"
    (gt / "2021").mkdir(parents=True)
    (out / "2021").mkdir(parents=True)
    shutil.copy(f"{SEED}.gt.txt", gt / "seed.gt.txt")
    shutil.copy(f"{SEED}.gt.json", gt / "seed.gt.json")
    (gt / "2021" / "p1.gt.txt").write_text("第一页", encoding="utf-8")
    (out / "2021" / "p1.txt").write_text("第一页", encoding="utf-8")
    (out / "2021" / "p1.hocr").write_text("<html><body><div class='ocr_page' title='bbox 0 0 100 100'>"
                                          "<div class='ocr_carea' title='bbox 0 0 90 20'><span class='ocr_line' "
                                          "title='bbox 0 0 90 20; x_wconf 90'><span class='ocrx_word' "
                                          "title='bbox 0 0 90 20; x_wconf 90'>第一页</span></span></div></div>"
                                          "</body></html>", encoding="utf-8")
    pairs = find_pairs(gt, out)
    assert [(s, g.name, h.name if h else None) for s, g, h in pairs] == [
        ("2021/p1", "p1.gt.txt", "p1.hocr"), ("seed", "seed.gt.json", None)]
    p1, seed = score_files(gt, out)
    assert (p1.plain_errors, p1.missing, seed.missing) == (0, False, True)


def test_bad_files_fail_alone_with_the_file_and_the_reason(tmp_path):
    gt, out = tmp_path / "gt", tmp_path / "out"
    gt.mkdir()
    out.mkdir()
    for stem in ("good", "broken-xml", "not-a-page", "bad-json"):
        (gt / f"{stem}.gt.txt").write_text("正文", encoding="utf-8")
    (out / "good.txt").write_text("正文", encoding="utf-8")
    (out / "broken-xml.xml").write_text("<PcGts><Page>", encoding="utf-8")
    (out / "not-a-page.xml").write_text("<html/>", encoding="utf-8")
    (out / "bad-json.json").write_text('{"id": "x"}', encoding="utf-8")
    analyses, failures = evaluate(gt, out)
    assert [a.name for a in analyses] == ["good"]
    errors = {f.name: f.error for f in failures}
    assert errors["broken-xml"].startswith(str(out / "broken-xml.xml"))
    assert "not well-formed XML" in errors["broken-xml"]
    assert "neither PAGE nor ALTO" in errors["not-a-page"]
    assert "list of blocks" in errors["bad-json"]
    with pytest.raises(BadDocument, match="bad-json.json"):
        score_files(gt, out)
    result = runner.invoke(app, ["score", str(gt), str(out)])
    assert result.exit_code == ExitCode.PAGES_FAILED
    assert "not well-formed XML" in result.output and "Traceback" not in result.output
    assert "good" in result.output  # the readable page is still scored and shown


def test_score_command_arguments(tmp_path):
    (tmp_path / "p.gt.txt").write_text("正文", encoding="utf-8")
    assert runner.invoke(app, ["score", str(tmp_path / "p.gt.txt"), str(tmp_path / "nowhere")]).exit_code == \
        ExitCode.BAD_ARGUMENTS
    assert runner.invoke(app, ["score", str(tmp_path), str(tmp_path), "--profile", "klingon"]).exit_code == \
        ExitCode.BAD_ARGUMENTS
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(app, ["score", str(empty), str(tmp_path)]).exit_code == ExitCode.NO_INPUT


@pytest.mark.parametrize("gt_text, profile", [("Die Zeitung, 11. Juni 1939.\n", "latin"), ("春眠不觉晓，处处闻啼鸟。\n", "cjk")])
def test_score_command_picks_the_profile_by_the_ground_truths_script(tmp_path, gt_text, profile):
    (tmp_path / "p.gt.txt").write_text(gt_text, encoding="utf-8")
    (tmp_path / "p.txt").write_text(gt_text, encoding="utf-8")
    result = runner.invoke(app, ["score", str(tmp_path / "p.gt.txt"), str(tmp_path / "p.txt"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["profile"] == profile and data["total"]["wer"] == 0.0
