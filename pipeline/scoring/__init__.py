"""Scoring OCR text against ground truth: plain, order-free and block-flexible CER.

    from pipeline.scoring import score_texts, score_files, sum_scores, format_report
    pages = score_files(Path("gt/"), Path("out/"), profile="cjk")
    print(format_report(pages, "cjk"))
"""

from __future__ import annotations

from pathlib import Path

from .metrics import CorpusScore, PageScore, score_page, sum_scores
from .normalize import PROFILES, Profile, get_profile, normalize, normalize_blocks
from .pairs import find_pairs, read_text
from .report import format_report

__all__ = [
    "CorpusScore", "PageScore", "PROFILES", "Profile", "find_pairs", "format_report", "normalize",
    "normalize_blocks", "score_files", "score_texts", "sum_scores",
]


def score_texts(gt_text: str, hyp_text: str, profile: str | Profile = "cjk", name: str = "",
                missing: bool = False) -> PageScore:
    """Score one page: GT and OCR texts in the `.gt.txt`/`.txt` format (blocks separated by blank
    lines), both normalized with `profile`."""
    p = get_profile(profile)
    return score_page(normalize_blocks(gt_text, p), normalize_blocks(hyp_text, p), name=name,
                      missing=missing)


def score_files(gt: Path, out: Path, profile: str | Profile = "cjk") -> list[PageScore]:
    """Score every page `find_pairs(gt, out)` finds; a missing OCR file scores as empty output and
    is flagged `missing`."""
    return [
        score_texts(read_text(g), read_text(h) if h else "", profile, name=stem, missing=h is None)
        for stem, g, h in find_pairs(gt, out)
    ]
