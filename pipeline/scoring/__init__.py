"""Scoring OCR output against ground truth.

Metrics (per page and per corpus, errors and lengths summed over pages): CER and WER as
dinglehopper defines them, order-free (line-flexible) CER, block-flexible CER, and a reading-order score where both
sides have regions with coordinates. Ground truth and output in any form: plain text, PAGE-XML,
ALTO, hOCR, the JSON page model, the renderer's `.gt.json`.

    from pipeline.scoring import evaluate, sum_scores, format_report
    analyses, failures = evaluate(Path("gt/"), Path("out/"), profile="cjk")
    print(format_report([a.score for a in analyses], "cjk"))
"""

from __future__ import annotations

from pathlib import Path

from .evaluate import PageAnalysis, PageFailure, analyze, analyze_texts, evaluate
from .metrics import CorpusScore, PageScore, analyze_text, score_page, sum_scores
from .normalize import PROFILES, Profile, get_profile, normalize, normalize_blocks, normalize_lines
from .pairs import find_pairs, read_text
from .readers import BadDocument, Document, read_document
from .report import format_report

__all__ = [
    "BadDocument", "CorpusScore", "Document", "PageAnalysis", "PageFailure", "PageScore", "PROFILES", "Profile",
    "analyze", "analyze_text", "evaluate", "find_pairs", "format_report", "get_profile", "normalize",
    "normalize_blocks", "normalize_lines", "read_document", "read_text", "score_files", "score_page", "score_texts", "sum_scores",
]


def score_texts(gt_text: str, hyp_text: str, profile: str | Profile = "cjk", name: str = "",
                missing: bool = False) -> PageScore:
    """Score one page: GT and OCR texts in the `.gt.txt`/`.txt` format (blocks separated by blank
    lines), both normalized with `profile`."""
    return analyze_texts(gt_text, hyp_text, profile, name, missing).score


def score_files(gt: Path, out: Path, profile: str | Profile = "cjk") -> list[PageScore]:
    """Score every page `find_pairs(gt, out)` finds; a missing OCR file scores as empty output and
    is flagged `missing`. An unreadable file raises `BadDocument` (`evaluate` goes on instead)."""
    analyses, failures = evaluate(gt, out, profile)
    if failures:
        raise BadDocument(failures[0].path, failures[0].reason)
    return [a.score for a in analyses]
