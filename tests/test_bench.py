"""`broadsheet bench`: engines side by side on pages with ground truth, in one run."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from pipeline.batch import ExitCode
from pipeline.cli import app
from pipeline.scoring.bench import BenchError, find_bench_pages, parse_engine
from test_report import make_gt_page

runner = CliRunner()


def test_engine_specs():
    assert parse_engine("default").program == "broadsheet"
    assert parse_engine("tesseract").program == "tesseract"
    spec = parse_engine("small:ocr.detection.target_text_height=14,ocr.threads=1")
    assert (spec.name, spec.overrides) == ("small", ("ocr.detection.target_text_height=14", "ocr.threads=1"))
    with pytest.raises(BenchError, match="unknown setting"):
        parse_engine("typo:ocr.detection.nope=1")
    with pytest.raises(BenchError, match="neither key=value"):
        parse_engine("x:whatever")
    spec = parse_engine("tesseract:frk")
    assert (spec.name, spec.program, spec.lang) == ("tesseract-frk", "tesseract", "frk")
    assert "-l frk" in spec.describe()
    with pytest.raises(BenchError, match="not a Tesseract language"):
        parse_engine("tesseract:frk;rm")


def test_profile_and_language_per_folder(tmp_path):
    cjk, latin, hinted = tmp_path / "cjk", tmp_path / "latin", tmp_path / "hinted"
    make_gt_page(cjk)
    for folder in (latin, hinted):
        folder.mkdir()
        Image.new("L", (64, 64), 255).save(folder / "p.png")
        (folder / "p.gt.txt").write_text("Die Weihe des Hauses", encoding="utf-8")
    (hinted / "bench.yaml").write_text("profile: none\ntesseract_lang: frk\n", encoding="utf-8")
    (latin / "orphan.gt.txt").write_text("no image for this one", encoding="utf-8")
    pages = find_bench_pages([cjk, latin, hinted])
    assert [(p.name, p.profile, p.lang) for p in pages] == [
        ("cjk/page", "cjk", "chi_sim"), ("latin/p", "latin", "eng"), ("hinted/p", "none", "frk")]
    pages = find_bench_pages([cjk, latin, hinted], profiles=["latin=none"], langs=["deu", f"{hinted}=script/Fraktur"])
    assert [(p.profile, p.lang) for p in pages] == [("cjk", "deu"), ("none", "deu"), ("none", "script/Fraktur")]
    with pytest.raises(BenchError, match="unknown profile"):
        find_bench_pages([latin], profiles=["klingon"])


def test_bench_runs_every_engine_and_writes_table_json_plot_and_reports(tmp_path):
    """Two Broadsheet settings and Tesseract (when installed) on two small pages."""
    folder = tmp_path / "pages"
    make_gt_page(folder, "a")
    make_gt_page(folder, "b", shift=70)
    out = tmp_path / "bench"
    engines = ["default", "small:ocr.detection.target_text_height=14"]
    has_tesseract = shutil.which("tesseract") is not None
    if has_tesseract:
        engines += ["tesseract", "tesseract:eng"]  # the folder's chi_sim, and English on every page
    args = ["bench", str(folder), "-o", str(out), "--no-progress"]
    for e in engines:
        args += ["--engine", e]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "default" in result.stdout and "small" in result.stdout and "s/page" in result.stdout

    data = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    rows = {r["engine"]: r for r in data["rows"]}
    assert set(rows) == {e.replace("tesseract:", "tesseract-").split(":")[0] for e in engines}
    for name, row in rows.items():
        assert row["pages"] == 2 and row["failed"] == 0, name
        assert row["seconds_per_page"] > 0 and row["pages_per_hour"] > 0 and row["peak_rss_mb"] > 10, name
        assert row["gt_chars"] > 300, name
    assert rows["default"]["cer"] < 0.1 and rows["default"]["flex_cer"] < 0.1
    assert rows["default"]["ro_pair_share"] > 0.9
    assert rows["default"]["time_ratio"] == pytest.approx(1.0)
    assert rows["default"]["threads"] >= 1
    if has_tesseract:
        assert rows["tesseract"]["threads"] == 1 and rows["tesseract"]["orderfree_cer"] < 0.5
        assert rows["tesseract"]["ro_regions"] > 0  # its hOCR blocks are scored for reading order
        assert rows["tesseract-eng"]["cer"] > rows["tesseract"]["cer"] + 0.3  # English can't read Chinese
    assert len(data["pages"]) == 2 * len(engines)

    md = (out / "bench.md").read_text(encoding="utf-8")
    assert md.count("\n| default |") == 1 and "normalization cjk" in md
    plot = np.asarray(Image.open(out / "bench.png").convert("L"))
    assert plot.shape[1] > 500 and plot.std() > 10
    assert (out / "default" / "report" / "index.html").is_file()
    assert (out / "default" / "pages" / "a.json").is_file()


@pytest.mark.parametrize("asked", ["tesseract", "tesseract:frk"])
def test_a_tesseract_asked_for_but_not_installed_stops_the_bench(tmp_path, monkeypatch, asked):
    make_gt_page(tmp_path / "p")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))  # no tesseract program to be found
    result = runner.invoke(app, ["bench", str(tmp_path / "p"), "-o", str(tmp_path / "o"), "-e", asked,
                                 "--no-progress"])
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY, result.output
    assert "tesseract is not installed" in result.output


def test_bench_without_pages_or_with_bad_engines(tmp_path):
    assert runner.invoke(app, ["bench", str(tmp_path), "-o", str(tmp_path / "o")]).exit_code == ExitCode.NO_INPUT
    make_gt_page(tmp_path / "p")
    result = runner.invoke(app, ["bench", str(tmp_path / "p"), "--engine", "x:nope=1"])
    assert result.exit_code == ExitCode.BAD_ARGUMENTS and "unknown setting" in result.output
    result = runner.invoke(app, ["bench", str(tmp_path / "nowhere")])
    assert result.exit_code == ExitCode.BAD_ARGUMENTS and "not a folder" in result.output


def test_a_worker_that_dies_fails_its_page_alone(tmp_path):
    """Fault injection: the worker is killed (as the OOM killer would) before it reads a page; the
    page fails with a clear reason and a fresh worker reads the next one."""
    import os
    import signal

    from pipeline.scoring.bench import _BroadsheetRunner

    make_gt_page(tmp_path / "p")
    [page] = find_bench_pages([tmp_path / "p"])
    runner_ = _BroadsheetRunner(parse_engine("default"))
    try:
        os.kill(runner_.process.pid, signal.SIGKILL)
        runner_.process.join()
        seconds, error, _ = runner_.run(page, tmp_path / "first")
        assert error and "worker died" in error
        seconds, error, output = runner_.run(page, tmp_path / "second")
        assert error is None and output.is_file() and seconds > 0
    finally:
        runner_.close()
