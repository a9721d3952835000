"""--executor ray: the same per-page function on a local Ray cluster gives the same text, byte for byte."""

from __future__ import annotations

import json

import cv2
import pytest
from typer.testing import CliRunner

from make_bad_inputs import good_page
from pipeline.batch import ExitCode
from pipeline.cli import app

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install -e '.[ray]'")
runner = CliRunner()


def test_an_8_page_batch_on_a_local_ray_cluster_matches_the_local_executor(tmp_path):
    folder = tmp_path / "in"
    (folder / "reel-2").mkdir(parents=True)
    for i in range(8):
        image, _ = good_page(i)
        cv2.imwrite(str(folder / ("reel-2" if i % 2 else "") / f"page{i}.png"), image)
    folder_pages = sorted(p.relative_to(folder).with_suffix("") for p in folder.rglob("*.png"))
    outs = {}
    for executor in ("local", "ray"):
        out = outs[executor] = tmp_path / executor
        result = runner.invoke(app, ["run", str(folder), "-o", str(out), "--executor", executor, "--jobs", "2",
                                     "--no-progress"])
        assert result.exit_code == ExitCode.OK, result.output
        assert "8 of 8 pages done" in result.output
    assert not ray.is_initialized()  # the cluster the run started for itself is gone
    for page in folder_pages:
        local_text = (outs["local"] / f"{page}.txt").read_bytes()
        assert local_text.strip() and (outs["ray"] / f"{page}.txt").read_bytes() == local_text, page
    journal = [json.loads(line) for line in (outs["ray"] / "journal.jsonl").read_text().splitlines()]
    assert sorted(r["page"] for r in journal) == sorted(p.as_posix() for p in folder_pages)
    assert all(r["status"] == "done" for r in journal)
