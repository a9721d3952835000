#!/usr/bin/env python3
"""Batch throughput: pages per hour and peak memory per worker for `--jobs 1` and `--jobs 2`
(or any list), on copies of a sample page, and what a 64-core node would do.

    python scripts/bench_throughput.py                 # 40 copies of samples/seed-page.jpg, jobs 1 and 2
    python scripts/bench_throughput.py --pages 8 --jobs 1 2 4 --image my-scan.tif

Each setting runs the real command (`broadsheet run DIR -o OUT --jobs N`) from process start to
the last file written, the settings alternating when repeated. Memory is each process's peak
resident set, sampled from outside every 0.2 s (and checked against the peak the workers
report in the journal). The machine is shared and noisy: quote the ratio between settings of
the same run, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def run_batch(broadsheet: str, pages: Path, out: Path, jobs: int, threads: int = 0) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [broadsheet, "run", str(pages), "-o", str(out), "--jobs", str(jobs), "--no-progress",
           "--set", f"ocr.threads={threads}"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    main = psutil.Process(proc.pid)
    peaks: dict[int, float] = {}
    while proc.poll() is None:
        try:
            for p in [main, *main.children(recursive=True)]:
                try:
                    peaks[p.pid] = max(peaks.get(p.pid, 0.0), p.memory_info().rss / 2**20)
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    err = proc.stderr.read()
    if proc.returncode != 0:
        sys.exit(f"broadsheet run --jobs {jobs} failed ({proc.returncode}):\n{err}")
    records = [json.loads(line) for line in (out / "journal.jsonl").read_text().splitlines()]
    worker_peaks = sorted((v for pid, v in peaks.items() if pid != proc.pid), reverse=True)[:jobs]
    return {
        "jobs": jobs,
        "pages": len(records),
        "seconds": seconds,
        "pages_per_hour": len(records) / seconds * 3600,
        "page_seconds_median": sorted(r["seconds"] for r in records)[len(records) // 2],
        "main_rss_mb": peaks.get(proc.pid, 0.0),
        "worker_rss_mb": max(worker_peaks or [0.0]),
        "worker_rss_mb_journal": max(r.get("rss_mb", 0.0) for r in records),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", type=Path, default=ROOT / "samples" / "seed-page.jpg")
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each setting, alternating")
    parser.add_argument("--cores", type=int, default=64, help="the node to project onto")
    parser.add_argument("--all-cores-baseline", action="store_true",
                        help="also run --jobs 1 with ONNX Runtime on every core (ocr.threads=<cores>): whether "
                             "one page on all cores would beat pages side by side")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    # The command of this interpreter's install first: another `broadsheet` on PATH may run other code.
    beside = Path(sys.executable).with_name("broadsheet")
    broadsheet = str(beside) if beside.exists() else shutil.which("broadsheet")
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        for i in range(args.pages):
            shutil.copyfile(args.image, pages / f"page-{i:04d}{args.image.suffix}")
        runs: dict[int, list[dict]] = {j: [] for j in args.jobs}
        baseline: list[dict] = []
        for _ in range(args.repeat):
            for jobs in args.jobs:
                result = run_batch(broadsheet, pages, Path(tmp) / f"out-{jobs}", jobs)
                runs[jobs].append(result)
                print(f"--jobs {jobs}: {result['pages']} pages in {result['seconds']:.1f} s", file=sys.stderr)
            if args.all_cores_baseline:
                baseline.append(run_batch(broadsheet, pages, Path(tmp) / "out-1all", 1, threads=psutil.cpu_count()))
                print(f"--jobs 1 on every core: {baseline[-1]['seconds']:.1f} s", file=sys.stderr)

    best = {j: min(rs, key=lambda r: r["seconds"]) for j, rs in runs.items()}
    base = best[min(args.jobs)]
    print(f"\n{args.pages} copies of {args.image.name}, {psutil.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GB\n")
    print("| --jobs | seconds | × --jobs 1 time | pages/hour | pages/hour per worker | median page s "
          "| peak RSS per worker (MB) | main process (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for jobs, r in sorted(best.items()):
        print(f"| {jobs} | {r['seconds']:.1f} | {r['seconds'] / base['seconds']:.2f} | {r['pages_per_hour']:,.0f} "
              f"| {r['pages_per_hour'] / jobs:,.0f} | {r['page_seconds_median']:.1f} "
              f"| {r['worker_rss_mb']:,.0f} (journal {r['worker_rss_mb_journal']:,.0f}) | {r['main_rss_mb']:,.0f} |")
    if args.repeat > 1:
        rounds = [runs[max(args.jobs)][i]["seconds"] / runs[min(args.jobs)][i]["seconds"] for i in range(args.repeat)]
        print(f"\n--jobs {max(args.jobs)} time / --jobs {min(args.jobs)} time, round by round: "
              + ", ".join(f"{r:.2f}" for r in rounds))
    if baseline:
        rounds = [runs[max(args.jobs)][i]["seconds"] / baseline[i]["seconds"] for i in range(args.repeat)]
        print(f"\n--jobs {max(args.jobs)} time / time of --jobs 1 with {psutil.cpu_count()} threads, round by round: "
              + ", ".join(f"{r:.2f}" for r in rounds))
    top = best[max(args.jobs)]
    per_worker = top["pages_per_hour"] / max(args.jobs)
    print(f"\nProjection for a {args.cores}-core node at --jobs {args.cores} (one thread per worker, as measured "
          f"at --jobs {max(args.jobs)} here): about {per_worker * args.cores:,.0f} pages/hour "
          f"({per_worker * args.cores * 24:,.0f} a day), needing about "
          f"{top['worker_rss_mb'] * args.cores / 1024:,.0f} GB for the workers. This assumes the node's cores are "
          "as fast as these and its disks keep up; memory bandwidth and turbo limits make real nodes scale a little less.")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "best": best, "all_cores_baseline": baseline}, indent=1))


if __name__ == "__main__":
    main()
