"""Inputs: PDFs and multi-page TIFFs page by page, --glob, a manifest, and folders walked lazily."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import cv2
from PIL import Image
from typer.testing import CliRunner

from make_bad_inputs import good_page
from pipeline import io as page_io
from pipeline.batch import ExitCode, plan_jobs
from pipeline.cli import app
from pipeline.journal import read_journal

runner = CliRunner()


def test_a_three_page_pdf_and_a_three_page_tiff_come_out_as_three_pages_each(tmp_path):
    pages = [good_page(i) for i in range(3)]
    images = [Image.fromarray(image) for image, _ in pages]
    folder = tmp_path / "in"
    folder.mkdir()
    images[0].save(folder / "reel.tif", "TIFF", save_all=True, append_images=images[1:], compression="tiff_adobe_deflate")
    # A PDF of scans, as a scanner or img2pdf writes it: one image per page, at 150 dpi.
    images[0].save(folder / "issue.pdf", "PDF", save_all=True, append_images=images[1:], resolution=150)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(folder), "-o", str(out), "--no-progress", "--pdf-dpi", "150"])
    assert result.exit_code == ExitCode.OK, result.output
    assert "6 of 6 pages done" in result.output
    for stem in ("issue", "reel"):
        for n, (_, text) in enumerate(pages, start=1):
            name = f"{stem}-p{n:04d}"
            assert (out / f"{name}.txt").read_text(encoding="utf-8").strip() == text, name
            model = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
            assert model["metadata"]["source_page"] == n
    pdf_page = json.loads((out / "issue-p0002.json").read_text(encoding="utf-8"))
    assert pdf_page["metadata"]["dpi"] == 150  # rendered at the scan's resolution: its size, give or take PDFium's rounding
    assert abs(pdf_page["width"] - images[1].width) <= 1 and abs(pdf_page["height"] - images[1].height) <= 1
    assert set(read_journal(out / "journal.jsonl")) == {f"{s}-p{n:04d}" for s in ("issue", "reel") for n in (1, 2, 3)}


def blank(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("L", (200, 200), 255).save(path)
    return path


def keys(jobs) -> list[str]:
    return sorted(job.key for job in jobs)


def test_glob_and_manifest_choose_the_pages(tmp_path):
    folder = tmp_path / "scans"
    for name in ("a.png", "b.jpg", "2020/c.tif", "2020/d.png", "2021/e.png"):
        blank(folder / name)
    (folder / "notes.txt").write_text("not a page")
    (folder / ".hidden.png").write_bytes(b"tool leftovers")
    out = tmp_path / "out"
    assert keys(plan_jobs([folder], out)) == ["2020/c", "2020/d", "2021/e", "a", "b"]
    assert keys(plan_jobs([folder], out, globs=["*.png"])) == ["2020/d", "2021/e", "a"]
    assert keys(plan_jobs([folder], out, globs=["2020/*"])) == ["2020/c", "2020/d"]

    outside = blank(tmp_path / "elsewhere" / "f.png")
    manifest = folder / "todo.txt"
    manifest.write_text(f"# tonight's pages\n2020/c.tif\n\n{outside}\n../elsewhere/f.png\nmissing.png\n2021\n")
    jobs = list(plan_jobs([], out, manifest=manifest))
    mirrored = outside.relative_to(outside.anchor).with_suffix("").as_posix()
    assert [j.key for j in jobs] == ["2020/c", mirrored, mirrored, "missing", "2021/e"]
    assert all(j.stem.is_relative_to(out) for j in jobs)  # absolute paths are mirrored inside -o

    result = runner.invoke(app, ["run", "--manifest", str(manifest), "-o", str(out), "--no-progress", "-j", "1"])
    journal = read_journal(out / "journal.jsonl")
    assert journal["missing"]["status"] == "failed" and "file not found" in journal["missing"]["error"]
    assert journal["2020/c"]["status"] == journal["2021/e"]["status"] == "done"
    assert "f.png: given twice in the inputs; done once" in result.output
    assert "3 of 4 pages done, 1 failed" in result.output
    assert result.exit_code == ExitCode.PAGES_FAILED


def test_two_files_with_one_name_do_not_overwrite_each_other(tmp_path):
    folder = tmp_path / "in"
    blank(folder / "scan.png")
    blank(folder / "scan.jpg")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(folder), "-o", str(out), "--no-progress", "-j", "1"])
    assert result.exit_code == ExitCode.PAGES_FAILED
    journal = read_journal(out / "journal.jsonl")
    assert journal["scan"]["status"] == "done"
    clash = [r for k, r in journal.items() if k != "scan"]
    assert len(clash) == 1 and "same name apart from its extension" in clash[0]["error"]


def test_a_huge_folder_starts_at_once(tmp_path, monkeypatch):
    """The first page is planned after reading a handful of directory entries, not the whole listing."""
    folder = tmp_path / "huge"
    folder.mkdir()
    for i in range(3000):
        (folder / f"p{i:05d}.png").touch()
    read = []
    real_scandir = os.scandir

    class CountingScandir:
        def __init__(self, path):
            self.it = real_scandir(path)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.it.close()

        def __iter__(self):
            for entry in self.it:
                read.append(entry.name)
                yield entry

    monkeypatch.setattr(page_io.os, "scandir", CountingScandir)
    jobs = plan_jobs([folder], tmp_path / "out")
    first = next(jobs)
    assert first.source.parent == folder and len(read) < 10
    assert sum(1 for _ in jobs) == 2999


def test_jpeg_2000_pages_are_read(tmp_path):
    image, _ = good_page(2)
    path = tmp_path / "page.jp2"
    Image.fromarray(image).save(path, "JPEG2000", irreversible=False)
    array, _ = page_io.read_page_image(path)
    assert (array == image).all()  # lossless JPEG 2000 comes back exactly


def test_a_pdf_too_large_for_the_pixel_limit_is_refused_before_rendering(tmp_path):
    path = tmp_path / "poster.pdf"
    buf = io.BytesIO()
    Image.new("L", (400, 300), 255).save(buf, "PDF", resolution=1)  # 400×300 inches
    path.write_bytes(buf.getvalue())
    try:
        page_io.read_page_image(path, 0, pdf_dpi=300)
    except page_io.BadInput as e:
        assert "400×300 inches" in str(e) and "limits.max_pixels" in str(e)
    else:
        raise AssertionError("a 10-gigapixel rendering was not refused")
    small, info = page_io.read_page_image(path, 0, pdf_dpi=1)
    assert small.shape == (300, 400) and info == {"dpi": 1}
    cv2.imwrite(str(tmp_path / "check.png"), small)
