#!/usr/bin/env python3
"""How fast scoring is: a corpus of 100 pages of about 3,000 characters, every metric.

Pages are made from the seed page's ground-truth blocks (Chinese, the `cjk` profile) and, where
../shared is present, from the NZZ page's (German, `latin`): each page is GT blocks drawn at random
until 3,000 characters; its "OCR" has 5% of the characters substituted, 1% dropped, 1% doubled,
the blocks shuffled and a junk block added, so every metric has work to do (the block-flexible
alignment most of all). The peer, timed in the same run on the same pages, is dinglehopper's CER and
WER (installed with the dev extra): our figure covers four more metrics, so the ratio is an upper
bound of what the same two metrics cost here.

    python scripts/bench_scoring.py [--pages 100] [--chars 3000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.scoring import normalize_blocks, score_texts, sum_scores  # noqa: E402
from pipeline.scoring.normalize import split_blocks  # noqa: E402

SOURCES = {
    "cjk": ROOT / "samples" / "seed-page.gt.txt",
    "latin": ROOT.parent / "shared" / "real" / "nzz-1939" / "nzz_19390611_0_0_a1_p1_1.gt.txt",
}


def make_pages(source: Path, profile: str, count: int, chars: int, seed: int = 7) -> list[tuple[str, str]]:
    blocks = split_blocks(source.read_text(encoding="utf-8"))
    alphabet = sorted(set("".join(blocks)) - set(" \n"))
    rnd = random.Random(seed)
    pages = []
    for _ in range(count):
        gt, size = [], 0
        while size < chars:
            block = rnd.choice(blocks)
            gt.append(block)
            size += len("".join(normalize_blocks(block, profile)))
        ocr = []
        for block in gt:
            out = []
            for c in block:
                r = rnd.random()
                out.append(rnd.choice(alphabet) if r < 0.05 else "" if r < 0.06 else c + c if r < 0.07 else c)
            ocr.append("".join(out))
        rnd.shuffle(ocr)
        ocr.insert(rnd.randrange(len(ocr)), "".join(rnd.choice(alphabet) for _ in range(40)))
        pages.append(("\n\n".join(gt), "\n\n".join(ocr)))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--chars", type=int, default=3000)
    args = parser.parse_args()
    try:
        from dinglehopper import character_error_rate, word_error_rate
    except ImportError:
        character_error_rate = word_error_rate = None
    for profile, source in SOURCES.items():
        if not source.is_file():
            print(f"{profile}: {source} not here, skipped")
            continue
        pages = make_pages(source, profile, args.pages, args.chars)
        start, cpu = time.perf_counter(), time.process_time()
        scores = [score_texts(gt, ocr, profile) for gt, ocr in pages]
        ours, cpu = time.perf_counter() - start, time.process_time() - cpu
        total = sum_scores(scores)
        print(f"{profile}: {len(pages)} pages, {total.gt_chars / len(pages):,.0f} GT chars a page: "
              f"{ours:.2f} s for all metrics ({ours / len(pages) * 1000:.0f} ms a page; {cpu:.2f} s of CPU); "
              f"CER {total.cer:.2%}, WER {total.wer:.2%}, order-free {total.orderfree_cer:.2%}, "
              f"block-flex {total.flex_cer:.2%}")
        if character_error_rate is not None:
            texts = [("".join(normalize_blocks(gt, profile)), "".join(normalize_blocks(ocr, profile)))
                     for gt, ocr in pages]
            start = time.perf_counter()
            for gt, ocr in texts:
                character_error_rate(gt, ocr)
                word_error_rate(gt, ocr)
            peer = time.perf_counter() - start
            print(f"{profile}: dinglehopper CER+WER on the same pages: {peer:.2f} s; "
                  f"ratio ours (all metrics) / dinglehopper (two) = {ours / peer:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
