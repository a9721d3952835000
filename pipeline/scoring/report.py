"""Scores as text: a plain table, a rich table for the terminal, and JSON for machines."""

from __future__ import annotations

from rich.table import Table

from .evaluate import PageAnalysis, PageFailure
from .metrics import PageScore, sum_scores
from .normalize import Profile, get_profile


def _pct(value: float | None) -> str:
    if value is None:
        return "–"
    return "∞" if value == float("inf") else f"{value:.2%}"


def format_report(pages: list[PageScore], profile: str | Profile = "cjk") -> str:
    """One row per page and a corpus row (rates from summed errors and lengths), headed by the
    normalization profile and its description; pages without OCR output are marked MISSING."""
    p = get_profile(profile)
    total = sum_scores(pages)
    width = max([len("page"), len(total.name)] + [len(s.name) for s in pages])
    lines = [
        f"normalization: {p.name} ({p.description})",
        f"{'page':<{width}}  {'GT chars':>8}  {'OCR chars':>9}  {'CER':>7}  {'WER':>7}  {'order-free':>10}  "
        f"{'block-flex':>10}  {'RO dist':>7}  {'RO pairs':>8}",
    ]
    for s in [*pages, total]:
        row = (f"{s.name:<{width}}  {s.gt_chars:>8}  {s.hyp_chars:>9}  {_pct(s.cer):>7}  {_pct(s.wer):>7}  "
               f"{_pct(s.orderfree_cer):>10}  {_pct(s.flex_cer):>10}  {_pct(s.ro_distance):>7}  "
               f"{_pct(s.ro_pair_share):>8}")
        lines.append(row + ("  MISSING OCR OUTPUT" if s.missing and s is not total else ""))
    if total.missing_pages:
        lines.append(f"{total.missing_pages} of {total.pages} pages had no OCR output "
                     "(scored as empty output)")
    return "\n".join(lines)


SCORE_COLUMNS = ("GT chars", "CER", "WER", "order-free", "block-flex", "RO dist", "RO pairs", "RO found")


def score_cells(s: PageScore) -> list[str]:
    """The cells of SCORE_COLUMNS for one score."""
    return [f"{s.gt_chars:,}", _pct(s.cer), _pct(s.wer), _pct(s.orderfree_cer), _pct(s.flex_cer),
            _pct(s.ro_distance), _pct(s.ro_pair_share), _pct(s.ro_coverage)]


def rich_table(analyses: list[PageAnalysis], profile: Profile) -> Table:
    """Pages and the corpus total for the terminal, titled with the normalization profile."""
    table = Table(title=f"OCR against ground truth, {len(analyses)} page(s); normalization {profile.name}: "
                        f"{profile.description}",
                  caption="CER and WER as dinglehopper counts them; order-free and block-flex are CERs with the "
                          "GT's lines, or its blocks, in any order; RO: reading order of the GT regions found "
                          "(normalized edit distance; share of region pairs in order; share of GT regions found), "
                          "– where a side has no region coordinates")
    table.add_column("page", justify="left", overflow="fold")
    for column in SCORE_COLUMNS:
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("GT → output", justify="left", no_wrap=True)
    for a in analyses:
        forms = f"{a.gt.form} → {a.hyp.form}" if a.hyp else f"{a.gt.form} → MISSING (scored empty)"
        table.add_row(a.name, *score_cells(a.score), forms, style="red" if a.hyp is None else None)
    table.add_row("TOTAL", *score_cells(sum_scores([a.score for a in analyses])), "",
                  style="bold")
    return table


def scores_json(analyses: list[PageAnalysis], failures: list[PageFailure], profile: Profile) -> dict:
    """Every count and rate per page and for the corpus, the files scored, and the failures."""
    pages = []
    for a in analyses:
        pages.append({"page": a.name, **a.score.to_dict(),
                      "gt_file": str(a.gt.path), "gt_form": a.gt.form,
                      "output_file": str(a.hyp.path) if a.hyp else None, "output_form": a.hyp.form if a.hyp else None})
    total = sum_scores([a.score for a in analyses])
    return {
        "profile": profile.name,
        "profile_description": profile.description,
        "pages": pages,
        "total": {"page": "TOTAL", **total.to_dict()},
        "failures": [{"page": f.name, "error": f.error} for f in failures],
    }
