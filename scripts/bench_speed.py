#!/usr/bin/env python3
"""Speed and accuracy of a whole `broadsheet run` against Tesseract, measured in the same run.

The machine is shared and noisy, so the two are run alternately, several rounds, and the
ratio of their medians is the figure to quote. Each Broadsheet run is a fresh process (process
start to files written), as a user would run it. Tesseract runs with OMP_THREAD_LIMIT=1: its
OpenMP threads make it about 4× slower on two cores.

    python scripts/bench_speed.py [IMAGE] [--gt GT.txt] [--rounds 3] [--lang chi_sim]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("image", nargs="?", type=Path, default=ROOT / "samples" / "seed-page.jpg")
    parser.add_argument("--gt", type=Path, help="ground truth text (default: <stem>.gt.txt beside the image)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lang", default="chi_sim", help="Tesseract language")
    args = parser.parse_args()
    gt = args.gt or args.image.with_name(args.image.stem + ".gt.txt")
    # The command of this interpreter's install first: another `broadsheet` on PATH may run other code.
    beside = Path(sys.executable).with_name("broadsheet")
    broadsheet = str(beside) if beside.exists() else shutil.which("broadsheet")
    tesseract = shutil.which("tesseract")

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    ours, theirs = [], []
    for _ in range(args.rounds):
        ours.append(timed([broadsheet, "run", str(args.image), "-o", str(work / "broadsheet"), "--overwrite",
                           "--no-progress"]))
        if tesseract:
            env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
            theirs.append(timed([tesseract, str(args.image), str(work / "tesseract"), "-l", args.lang, "--psm", "3"],
                                env=env))

    from pipeline.scoring import score_files

    print(f"page: {args.image} ({args.rounds} rounds, alternating)")
    print(f"broadsheet run: median {statistics.median(ours):.2f} s  (runs: {', '.join(f'{t:.2f}' for t in ours)})")
    rows = [("broadsheet", work / "broadsheet" / f"{args.image.stem}.txt")]
    if tesseract:
        print(f"tesseract -l {args.lang} --psm 3 (OMP_THREAD_LIMIT=1): median {statistics.median(theirs):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in theirs)})")
        print(f"ratio broadsheet / tesseract: {statistics.median(ours) / statistics.median(theirs):.2f}")
        rows.append(("tesseract", work / "tesseract.txt"))
    else:
        print("tesseract not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim): no peer measured")
    if gt.exists():
        for name, out in rows:
            [s] = score_files(gt, out)
            print(f"{name:10s} CER {s.cer:.2%}  order-free {s.orderfree_cer:.2%}  block-flexible {s.flex_cer:.2%}")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
