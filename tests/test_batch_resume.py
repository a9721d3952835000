"""Resume: a batch killed halfway and rerun does each page exactly once; the journal says what happened;
failed pages wait for --retry-failed; --max-failures stops a batch going wrong; SIGTERM stops it cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import psutil
from typer.testing import CliRunner

from make_bad_inputs import good_page
from pipeline.batch import ExitCode, partial_path
from pipeline.cli import app
from pipeline.journal import read_journal

runner = CliRunner()


def make_pages(folder: Path, count: int) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    texts = {}
    for i in range(count):
        image, texts[f"page{i:02d}"] = good_page(i)
        cv2.imwrite(str(folder / f"page{i:02d}.png"), image)
    return texts


def command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "run", str(folder), "-o", str(out), "--jobs", "2", "--no-progress",
            *extra]


def records(out: Path) -> list[dict]:
    """Every journal line; all of them must parse (a kill never leaves half a line)."""
    return [json.loads(line) for line in (out / "journal.jsonl").read_text(encoding="utf-8").splitlines()]


def wait_for_records(out: Path, count: int, proc: subprocess.Popen, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "journal.jsonl").exists() and len(records(out)) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"the batch ended or stalled before {count} pages were journaled")


def test_a_batch_killed_halfway_and_rerun_does_every_page_exactly_once(tmp_path):
    texts = make_pages(tmp_path / "in", 8)
    out = tmp_path / "out"
    proc = subprocess.Popen(command(tmp_path / "in", out), stderr=subprocess.DEVNULL)
    wait_for_records(out, 3, proc)
    workers = psutil.Process(proc.pid).children()
    os.kill(proc.pid, signal.SIGKILL)  # no cleanup of any kind: as a power cut or the OOM killer would
    proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, "workers outlived the killed batch"
    first = records(out)
    assert 3 <= len(first) < 8

    rerun = subprocess.run(command(tmp_path / "in", out), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == ExitCode.OK, rerun.stderr
    assert "8 of 8 pages done" in rerun.stderr
    done = [r["page"] for r in records(out) if r["status"] == "done"]
    assert sorted(done) == sorted(texts)  # every page done, and recorded done exactly once
    for stem, text in texts.items():
        assert (out / f"{stem}.txt").read_text(encoding="utf-8").strip() == text
        json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no partial file


def test_a_rerun_finishes_what_a_kill_left_between_writing_and_journaling(tmp_path):
    make_pages(tmp_path / "in", 3)
    out = tmp_path / "out"
    args = ["run", str(tmp_path / "in"), "-o", str(out), "--no-progress", "--jobs", "1"]
    assert runner.invoke(app, args).exit_code == ExitCode.OK
    # As if killed twice: once after page01's outputs were renamed into place but before its
    # journal line, once halfway through writing page02 (its json partial, no txt).
    lines = (out / "journal.jsonl").read_text().splitlines()
    (out / "journal.jsonl").write_text("\n".join(l for l in lines if '"page01"' not in l and '"page02"' not in l)
                                       + '\n{"page": "page02", "sta')  # and a line cut short
    page01_mtime = (out / "page01.txt").stat().st_mtime_ns
    (out / "page02.txt").unlink()
    partial_path(out / "page02.json").write_text('{"id": "page02", "wid')

    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.OK, result.output
    journal = read_journal(out / "journal.jsonl")
    assert journal["page01"]["status"] == "done" and "outputs found complete" in journal["page01"]["note"]
    assert (out / "page01.txt").stat().st_mtime_ns == page01_mtime  # not redone
    assert journal["page02"]["status"] == "done" and "note" not in journal["page02"]
    assert not partial_path(out / "page02.json").exists()
    json.loads((out / "page02.json").read_text())
    assert "3 of 3 pages done" in result.output


def test_failed_pages_wait_for_retry_failed(tmp_path):
    make_pages(tmp_path / "in", 1)
    bad = tmp_path / "in" / "late.png"
    bad.write_bytes(b"still being copied")
    out = tmp_path / "out"
    args = ["run", str(tmp_path / "in"), "-o", str(out), "--no-progress"]
    first = runner.invoke(app, args)
    assert first.exit_code == ExitCode.PAGES_FAILED and "late.png: not an image" in first.output

    again = runner.invoke(app, args)  # the journal says it failed: not tried again, still counted
    assert again.exit_code == ExitCode.PAGES_FAILED
    assert "1 of 2 pages done, 1 failed (1 in an earlier run, not retried: use --retry-failed)" in again.output
    assert len(records(out)) == 2

    image, _ = good_page(5)
    cv2.imwrite(str(tmp_path / "late-copy.png"), image)
    os.replace(tmp_path / "late-copy.png", bad)  # the file arrives whole
    retried = runner.invoke(app, [*args, "--retry-failed"])
    assert retried.exit_code == ExitCode.OK, retried.output
    assert read_journal(out / "journal.jsonl")["late"]["status"] == "done"
    assert "2 of 2 pages done" in retried.output


def test_max_failures_stops_a_batch_going_wrong(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(8):
        (folder / f"bad{i}.jpg").write_bytes(b"")
    make_pages(folder, 1)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(folder), "-o", str(out), "--no-progress", "--max-failures", "2"])
    assert result.exit_code == ExitCode.ABORTED
    assert "stopped early: more than 2 pages failed" in result.output
    assert sum(r["status"] == "failed" for r in records(out)) == 3

    bad_ratio = runner.invoke(app, ["run", str(folder), "-o", str(out), "--max-failures", "1.5"])
    assert bad_ratio.exit_code == ExitCode.BAD_ARGUMENTS and "--max-failures" in bad_ratio.output


def test_sigterm_stops_the_batch_cleanly_with_exit_130(tmp_path):
    make_pages(tmp_path / "in", 6)
    out = tmp_path / "out"
    proc = subprocess.Popen(command(tmp_path / "in", out), stderr=subprocess.PIPE, text=True)
    wait_for_records(out, 1, proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert "interrupted: finished pages are kept" in err and "Traceback" not in err
    for record in records(out):
        assert (out / f"{record['page']}.txt").exists()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
