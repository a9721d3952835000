"""Plain-text table of page and corpus scores."""

from __future__ import annotations

from .metrics import PageScore, sum_scores
from .normalize import Profile, get_profile


def format_report(pages: list[PageScore], profile: str | Profile = "cjk") -> str:
    """One row per page and a corpus row (rates from summed errors and lengths), headed by the
    normalization profile and its description; pages without OCR output are marked MISSING."""
    p = get_profile(profile)
    total = sum_scores(pages)
    width = max([len("page"), len(total.name)] + [len(s.name) for s in pages])
    lines = [
        f"normalization: {p.name} ({p.description})",
        f"{'page':<{width}}  {'GT chars':>8}  {'OCR chars':>9}  {'CER':>7}  {'order-free':>10}  "
        f"{'block-flex':>10}",
    ]
    for s in [*pages, total]:
        row = (f"{s.name:<{width}}  {s.gt_chars:>8}  {s.hyp_chars:>9}  {s.cer:>7.2%}  "
               f"{s.orderfree_cer:>10.2%}  {s.flex_cer:>10.2%}")
        lines.append(row + ("  MISSING OCR OUTPUT" if s.missing and s is not total else ""))
    if total.missing_pages:
        lines.append(f"{total.missing_pages} of {total.pages} pages had no OCR output "
                     "(scored as empty output)")
    return "\n".join(lines)
