"""Pairing ground-truth files with OCR output files."""

from __future__ import annotations

from pathlib import Path

GT_SUFFIX = ".gt.txt"


def gt_stem(path: Path) -> str:
    """`page-001.gt.txt` → `page-001` (a GT file without the `.gt.txt` suffix loses `.txt` only)."""
    name = path.name
    return name[: -len(GT_SUFFIX)] if name.endswith(GT_SUFFIX) else path.stem


def find_pairs(gt: Path, out: Path) -> list[tuple[str, Path, Path | None]]:
    """(stem, gt_path, hyp_path) for every GT page, sorted by stem.

    `gt` is one `<stem>.gt.txt` file or a folder of them; `out` is one OCR `.txt` file (paired
    with a single GT file whatever its name) or a folder holding `<stem>.txt`. A GT page without OCR output
    gets hyp_path None, to be scored as empty output (all deletions) and reported, never dropped.
    """
    gt, out = Path(gt), Path(out)
    if not gt.exists():
        raise FileNotFoundError(f"ground truth not found: {gt}")
    if not out.exists():
        raise FileNotFoundError(f"OCR output not found: {out}")
    if gt.is_dir():
        gt_files = sorted(p for p in gt.glob(f"*{GT_SUFFIX}") if p.is_file())
        if not gt_files:
            raise FileNotFoundError(f"no *{GT_SUFFIX} files in {gt}")
        if not out.is_dir():
            raise ValueError(f"GT is a folder ({gt}) but OCR output is a single file ({out})")
    else:
        gt_files = [gt]
        if not out.is_dir():
            return [(gt_stem(gt), gt, out)]
    pairs = []
    for g in gt_files:
        stem = gt_stem(g)
        hyp = out / f"{stem}.txt"
        pairs.append((stem, g, hyp if hyp.is_file() else None))
    return sorted(pairs, key=lambda p: p[0])


def read_text(path: Path) -> str:
    """A UTF-8 text file (a leading BOM is dropped)."""
    return Path(path).read_text(encoding="utf-8-sig")
