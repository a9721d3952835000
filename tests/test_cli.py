"""Batch behaviour: resume, failure isolation, exit codes, atomic outputs."""

from pathlib import Path

import cv2
from typer.testing import CliRunner

from pages import column_lines, draw_columns
from pipeline.batch import ExitCode
from pipeline.cli import app

runner = CliRunner()


def make_batch(folder: Path) -> list[Path]:
    folder.mkdir()
    pages = []
    for i in range(2):
        image, _ = draw_columns([column_lines(i * 20, 5, 12)], width=700, height=500)
        path = folder / f"page{i}.png"
        cv2.imwrite(str(path), image)
        pages.append(path)
    (folder / "broken.jpg").write_bytes(b"this is not a JPEG")
    (folder / "empty.png").write_bytes(b"")
    return pages


def test_bad_pages_fail_alone_with_a_clear_line_and_the_rest_finish(tmp_path):
    make_batch(tmp_path / "in")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "-o", str(out), "--no-progress"])
    assert result.exit_code == ExitCode.PAGES_FAILED
    assert "broken.jpg: not an image" in result.output
    assert "empty.png: the file is empty" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["journal.jsonl", "page0.json", "page0.txt", "page1.json",
                                                     "page1.txt"]
    assert f"2 of 4 pages done, 2 failed: see {out / 'journal.jsonl'}" in result.output


def test_a_rerun_skips_finished_pages_and_overwrite_redoes_them(tmp_path):
    [page0, _] = make_batch(tmp_path / "in")
    out = tmp_path / "out"
    runner.invoke(app, ["run", str(page0), "-o", str(out), "--no-progress"])
    before = (out / "page0.txt").stat().st_mtime_ns
    again = runner.invoke(app, ["run", str(page0), "-o", str(out), "--no-progress"])
    assert again.exit_code == 0 and "already done" in again.output and "1 of 1 pages done" in again.output
    assert (out / "page0.txt").stat().st_mtime_ns == before
    runner.invoke(app, ["run", str(page0), "-o", str(out), "--no-progress", "--overwrite"])
    assert (out / "page0.txt").stat().st_mtime_ns != before


def test_two_workers_give_the_same_text_as_one(tmp_path):
    make_batch(tmp_path / "in")
    for name, jobs in (("one", "1"), ("two", "2")):
        runner.invoke(app, ["run", str(tmp_path / "in"), "-o", str(tmp_path / name), "-j", jobs, "--no-progress"])
    for stem in ("page0", "page1"):
        assert (tmp_path / "one" / f"{stem}.txt").read_text() == (tmp_path / "two" / f"{stem}.txt").read_text()


def test_bad_arguments_and_settings_exit_with_their_codes(tmp_path):
    assert runner.invoke(app, ["run", str(tmp_path), "--set", "ocr.nope=1"]).exit_code == ExitCode.BAD_ARGUMENTS
    assert runner.invoke(app, ["run", str(tmp_path), "-f", "pdf"]).exit_code == ExitCode.BAD_ARGUMENTS
    assert runner.invoke(app, ["run", str(tmp_path), "-o", str(tmp_path / "o")]).exit_code == ExitCode.NO_INPUT
    assert runner.invoke(app, ["run", str(tmp_path), "--executor", "spark"]).exit_code == ExitCode.BAD_ARGUMENTS
    assert runner.invoke(app, ["run", str(tmp_path), "--max-failures", "many"]).exit_code == ExitCode.BAD_ARGUMENTS
    assert runner.invoke(app, ["run", "-o", str(tmp_path / "o")]).exit_code == ExitCode.BAD_ARGUMENTS
    assert runner.invoke(app, ["run", "--manifest", str(tmp_path / "nope.txt")]).exit_code == ExitCode.BAD_ARGUMENTS
    make_batch(tmp_path / "in")
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--set", "ocr.engine=nothing"])
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY
    assert "unknown OCR engine 'nothing'" in result.output


def test_a_missing_model_file_is_named_and_exits_with_missing_dependency(tmp_path):
    make_batch(tmp_path / "in")
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "--no-progress",
                                 "--set", "engines.rapidocr.det_model=PP-OCRv9_missing.onnx"])
    assert result.exit_code == ExitCode.MISSING_DEPENDENCY
    assert "PP-OCRv9_missing.onnx" in result.output
    # The two bad files may be journaled before the missing model stops the batch; no page output is written.
    assert not (tmp_path / "o").exists() or [p.name for p in (tmp_path / "o").iterdir()] in ([], ["journal.jsonl"])
