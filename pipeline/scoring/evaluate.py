"""Scoring pages: ground truth and output documents in, every metric out.

    analyses, failures = evaluate(Path("gt/"), Path("out/"), profile="cjk")

One page is scored from two `Document`s (see `readers.py`): the text metrics from their texts
under a normalization profile, the reading-order score from their regions where both have them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..dehyphenate import is_cjk
from .metrics import PageScore, TextAnalysis, analyze_text
from .normalize import Profile, get_profile, normalize_blocks, normalize_lines
from .pairs import find_pairs
from .readers import BadDocument, Document, read_document
from .reading_order import ReadingOrderResult, score_reading_order


@dataclass(frozen=True)
class PageAnalysis:
    """Everything known about one scored page: the score and the details behind it."""

    name: str
    profile: Profile
    gt: Document
    hyp: Document | None  # None: the page has no output (scored as empty output)
    text: TextAnalysis
    order: ReadingOrderResult | None  # None: no regions with coordinates on one side

    @property
    def score(self) -> PageScore:
        return self.text.score


@dataclass(frozen=True)
class PageFailure:
    """A page that could not be scored (an unreadable file); it is left out of every total."""

    name: str
    path: Path  # the file that could not be read
    reason: str

    @property
    def error(self) -> str:
        return f"{self.path}: {self.reason}"


def analyze_texts(gt_text: str, hyp_text: str, profile: str | Profile = "cjk", name: str = "",
                  missing: bool = False) -> TextAnalysis:
    """The text metrics of one page from its GT and output texts (transcription style), both
    normalized with `profile`."""
    p = get_profile(profile)
    return analyze_text(normalize_blocks(gt_text, p), normalize_blocks(hyp_text, p), name=name, missing=missing,
                        gt_lines=normalize_lines(gt_text, p))


def analyze(gt: Document, hyp: Document | None, profile: str | Profile = "cjk", name: str = "") -> PageAnalysis:
    """Score one page. A missing output (`hyp` None) scores as empty output and is flagged."""
    p = get_profile(profile)
    text = analyze_texts(gt.text, hyp.text if hyp else "", p, name, missing=hyp is None)
    order = None
    if hyp is not None and gt.has_regions and hyp.page is not None:
        order = score_reading_order(gt.page, hyp.page)
    if order is not None:
        text = replace(text, score=replace(
            text.score, ro_regions=order.regions, ro_matched=len(order.gt_order), ro_edits=order.edits,
            ro_pairs=order.pairs, ro_pairs_ok=order.pairs_ok))
    return PageAnalysis(name, p, gt, hyp, text, order)


def guess_profile(gt: Path) -> str:
    """`cjk` for a ground truth written mostly in CJK characters, else `latin` (also when the
    file can't be read: the scoring run reports that itself)."""
    try:
        text = read_document(gt).text
    except BadDocument:
        return "latin"
    letters = [c for c in text if c.isalpha()]
    return "cjk" if letters and sum(map(is_cjk, letters)) > 0.3 * len(letters) else "latin"


def evaluate(gt: Path, out: Path, profile: str | Profile = "cjk") -> tuple[list[PageAnalysis], list[PageFailure]]:
    """Score every page `find_pairs(gt, out)` finds. A page whose GT or output file can't be read
    is a `PageFailure` (named with the file and the reason) and the others are still scored.
    Profile `auto`: the first GT page's script chooses (`guess_profile`)."""
    analyses, failures = [], []
    pairs = find_pairs(gt, out)
    if profile == "auto":
        profile = guess_profile(pairs[0][1]) if pairs else "cjk"
    for stem, gt_path, hyp_path in pairs:
        try:
            gt_doc = read_document(gt_path)
            hyp_doc = read_document(hyp_path) if hyp_path is not None else None
        except BadDocument as e:
            failures.append(PageFailure(stem, e.path, e.reason))
            continue
        analyses.append(analyze(gt_doc, hyp_doc, profile, stem))
    return analyses, failures
