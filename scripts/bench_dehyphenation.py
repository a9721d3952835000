#!/usr/bin/env python3
"""De-hyphenation against ground truth that marks line-end hyphenation (`¬`).

Each OCR line that ends in a hyphen is matched to its ground-truth line (closest text among
the GT lines); the GT says whether that hyphen divides a word (`¬`) or is a real one (`-`).
Precision: joins made that should be; recall: GT divisions (matched or not) that were joined.

    python scripts/bench_dehyphenation.py OUT.json GT.gt.marked.txt
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.dehyphenate import HYPHENS
from pipeline.model import Page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page_json", type=Path, help="Broadsheet's <stem>.json for the page")
    parser.add_argument("gt_marked", type=Path, help="<stem>.gt.marked.txt: `¬` marks a divided word")
    parser.add_argument("--min-similarity", type=float, default=0.75)
    args = parser.parse_args()

    page = Page.from_json(args.page_json.read_text(encoding="utf-8"))
    gt_lines = [line for line in args.gt_marked.read_text(encoding="utf-8").splitlines() if line.strip()]
    # the text to match on: the printed form (¬ shown as the hyphen on the page)
    printed = [line.replace("-¬", "-").replace("¬", "-") for line in gt_lines]
    divisions = sum(line.endswith("¬") and not line.endswith("-¬") for line in gt_lines)

    made = right = wrong_kept = unmatched = 0
    for block in page.ordered_blocks():
        for line in block.lines:
            if not line.text.rstrip() or line.text.rstrip()[-1] not in HYPHENS:
                continue
            match = process.extractOne(line.text, printed, scorer=Levenshtein.normalized_similarity)
            if match is None or match[1] < args.min_similarity:
                unmatched += 1
                continue
            gt = gt_lines[match[2]]
            divided = gt.endswith("¬") and not gt.endswith("-¬")
            made += line.hyphenated
            right += line.hyphenated and divided
            wrong_kept += (not line.hyphenated) and divided
    precision = right / made if made else 1.0
    recall = right / divisions if divisions else 1.0
    print(f"GT divisions: {divisions}; OCR lines ending in a hyphen matched to GT: {made + (wrong_kept)}+, "
          f"unmatched: {unmatched}")
    print(f"joins made: {made}, right: {right}, divisions left unjoined: {wrong_kept}")
    print(f"precision {precision:.3f}  recall {recall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
