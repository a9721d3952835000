"""Reliability: bad input, injected faults, and output safety. One broken file costs one page.

The bad-input corpus comes from tests/make_bad_inputs.py; the faulty engines from tests/faults.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from faults import process_with_faults
from make_bad_inputs import good_page, make_corpus
from pipeline.batch import ExitCode, run_batch, write_atomic
from pipeline.config import load_config
from pipeline.journal import read_journal

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path, skip: Path) -> dict[str, tuple[int, int, str]]:
    """Every file below `folder` (links not followed, `skip` left out): size, mtime and content hash."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if Path(dirpath, d) != skip]
        for name in filenames:
            path = Path(dirpath, name)
            info = path.lstat()
            digest = "link" if path.is_symlink() else hashlib.sha256(path.read_bytes()).hexdigest()
            files[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns, digest)
    return files


def unprivileged() -> list[str]:
    """A command prefix that takes away root's power to read any file, so a permission error is real.

    Tests run as root here, and root reads a file whatever its mode; without CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH root obeys file modes like anyone else. (setpriv is in util-linux.)
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if setpriv else []


def test_bad_input_corpus_costs_only_the_bad_pages(tmp_path):
    corpus = tmp_path / "corpus"
    expect = make_corpus(corpus)
    out = tmp_path / "out"
    before = snapshot(tmp_path, skip=out)
    prefix = unprivileged()
    if os.geteuid() == 0 and not prefix:  # root without setpriv: the locked file is honestly readable
        expect["unreadable.png"].status = "done"
    result = subprocess.run([*prefix, sys.executable, "-m", "pipeline.cli", "run", str(corpus), "-o", str(out),
                             "--jobs", "2", "--no-progress"], capture_output=True, text=True, timeout=600)
    lines = result.stderr.splitlines()
    assert result.returncode == ExitCode.PAGES_FAILED, result.stderr
    assert "Traceback" not in result.stderr and not result.stdout
    assert all(line.startswith("broadsheet: ") for line in lines), result.stderr  # nothing from native libraries

    journal_lines = (out / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in journal_lines]
    by_page = {r["page"]: r for r in records}
    assert len(by_page) == len(records), "a page was recorded twice"
    for name, what in expect.items():
        file = name.split("#")[0]
        key = what.page or Path(file).with_suffix("").as_posix()
        record = by_page.pop(key)
        mentions = [line for line in lines if str(corpus / file) in line and
                    (record["status"] == "done" or "(page" not in line or f"(page {key[-1]})" in line)]
        if what.status == "any":
            what.status = record["status"]
        assert record["status"] == what.status, (name, record)
        if what.status == "failed":
            assert what.reason in record["error"], (name, record["error"])
            assert len(mentions) == 1 and what.reason in mentions[0], (name, mentions)
        else:
            text = (out / f"{key}.txt").read_text(encoding="utf-8")
            if what.text is not None:
                assert text.strip() == what.text.strip(), name
            if what.note:
                assert what.note in record["note"] and len(mentions) == 1, (name, record)
            json.loads((out / f"{key}.json").read_text(encoding="utf-8"))
    assert by_page == {}, f"pages nobody expected: {sorted(by_page)}"

    # Nothing written outside -o, no input touched, no partial file left.
    assert snapshot(tmp_path, skip=out) == before
    assert not [p for p in out.rglob("*") if p.name.endswith(".partial")]
    done = sum(r["status"] == "done" for r in records)
    assert f"{done} of {len(records)} pages done, {len(records) - done} failed: see {out / 'journal.jsonl'}" in lines[-1]


def write_page_image(path: Path, i: int) -> str:
    image, text = good_page(i)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)
    return text


def test_each_injected_fault_costs_exactly_its_page(tmp_path):
    folder = tmp_path / "in"
    texts = {name: write_page_image(folder / f"{name}.png", i)
             for i, name in enumerate(["good-a", "fault-raise", "fault-hang", "good-b", "fault-kill", "fault-bloat",
                                       "good-c"])}
    cfg = load_config(overrides=["limits.page_timeout=30", "limits.worker_memory=1500"])
    out = tmp_path / "out"
    result = run_batch([folder], out, cfg, ["txt", "json"], workers=2, process=process_with_faults)

    assert result.exit_code == ExitCode.PAGES_FAILED
    assert (result.done, result.failed) == (3, 4)
    lines = (out / "journal.jsonl").read_text().splitlines()
    journal = read_journal(out / "journal.jsonl")
    assert len(lines) == len(journal) == 7  # each page tried exactly once: no innocent page redone
    reasons = {
        "fault-raise": "RuntimeError: the model rejected its input",
        "fault-hang": "took longer than the page time limit (30 s",
        "fault-kill": "killed by the system (SIGKILL)",
        "fault-bloat": "used more memory than a worker may (1,500 MB",
    }
    for name, reason in reasons.items():
        assert journal[name]["status"] == "failed" and reason in journal[name]["error"], journal[name]
        assert not list(out.glob(f"{name}.*")) and not list(out.glob(f".{name}.*"))
    for name in ("good-a", "good-b", "good-c"):
        assert journal[name]["status"] == "done"
        assert (out / f"{name}.txt").read_text(encoding="utf-8").strip() == texts[name]


def test_a_failed_rerun_never_truncates_existing_outputs(tmp_path):
    page = tmp_path / "in" / "page.png"
    text = write_page_image(page, 3)
    out = tmp_path / "out"
    cfg = load_config()
    assert run_batch([page], out, cfg, ["txt", "json"]).exit_code == ExitCode.OK
    before = {p.name: p.read_bytes() for p in out.glob("page.*")}
    assert before["page.txt"].decode().strip() == text

    page.write_bytes(page.read_bytes()[:300])  # the scan is damaged after the first run
    rerun = run_batch([page], out, load_config(), ["txt", "json"], overwrite=True)
    assert rerun.exit_code == ExitCode.PAGES_FAILED
    assert {p.name: p.read_bytes() for p in out.glob("page.*")} == before
    assert read_journal(out / "journal.jsonl")["page"]["status"] == "failed"


def test_outputs_never_land_outside_the_output_folder(tmp_path):
    folder = tmp_path / "in"
    write_page_image(folder / "inside.png", 1)
    write_page_image(folder / "linked" / "escape.png", 2)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "linked").symlink_to(elsewhere)  # a link in the output folder leading out of it

    result = run_batch([folder], out, load_config(), ["txt"], workers=1)
    journal = read_journal(out / "journal.jsonl")
    assert journal["inside"]["status"] == "done"
    assert journal["linked/escape"]["status"] == "failed"
    assert "outside the output folder" in journal["linked/escape"]["error"]
    assert list(elsewhere.iterdir()) == [] and result.exit_code == ExitCode.PAGES_FAILED


def test_write_atomic_replaces_all_or_nothing(tmp_path):
    (tmp_path / "page.txt").write_text("old text")
    (tmp_path / "blocked").write_text("a file where a folder is needed")
    with pytest.raises(OSError):
        write_atomic({tmp_path / "page.txt": "new text", tmp_path / "blocked" / "page.json": "{}"})
    assert (tmp_path / "page.txt").read_text() == "old text"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked", "page.txt"]  # no partial file left
    write_atomic({tmp_path / "page.txt": "new text", tmp_path / "page.json": "{}"})
    assert (tmp_path / "page.txt").read_text() == "new text"
    assert oct((tmp_path / "page.txt").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
