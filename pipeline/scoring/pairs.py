"""Pairing ground-truth files with OCR output files.

Ground truth is `<stem>.gt.<form>`; output is `<stem>.<form>` as `broadsheet run` writes it (or as
another tool does: Tesseract's `<stem>.txt`, `<stem>.hocr`, `<stem>.xml`). Where a page has the
same text in several forms, the first form listed below is scored: the ones with regions and a
reading order before plain text.
"""

from __future__ import annotations

from pathlib import Path

GT_SUFFIXES = (".gt.json", ".gt.page.xml", ".gt.alto.xml", ".gt.xml", ".gt.hocr", ".gt.txt")
OUT_SUFFIXES = (".json", ".page.xml", ".alto.xml", ".xml", ".hocr", ".html", ".txt")


def gt_stem(path: Path, suffixes: tuple[str, ...] = GT_SUFFIXES) -> str:
    """`page-001.gt.txt` (or `.gt.json`, `.gt.xml`, …) → `page-001`; a file without one of
    `suffixes` loses its last suffix only."""
    name = path.name
    for suffix in suffixes:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def find_gt(folder: Path) -> dict[str, Path]:
    """stem → the preferred GT file, for every page with ground truth in `folder` or below it (the
    stem of a page in a sub-folder keeps the sub-folder: `2021/p1`)."""
    found: dict[str, Path] = {}
    for suffix in reversed(GT_SUFFIXES):  # preferred forms last, so they overwrite
        for path in sorted(folder.rglob(f"*{suffix}")):
            if path.is_file() and gt_stem(path) == path.name[: -len(suffix)]:
                found[(path.parent.relative_to(folder) / gt_stem(path)).as_posix()] = path
    return dict(sorted(found.items()))


def find_output(out: Path, stem: str) -> Path | None:
    """The preferred output file of page `stem` in folder `out`, or None."""
    for suffix in OUT_SUFFIXES:
        path = out / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


def find_pairs(gt: Path, out: Path) -> list[tuple[str, Path, Path | None]]:
    """(stem, gt_path, hyp_path) for every GT page, sorted by stem.

    `gt` is one GT file or a folder of them (searched recursively); `out` is one OCR output file
    (paired with a single GT file whatever its name) or a folder holding `<stem>.<form>` files. A GT
    page without OCR output gets hyp_path None, to be scored as empty output (all deletions) and
    reported, never dropped.
    """
    gt, out = Path(gt), Path(out)
    if not gt.exists():
        raise FileNotFoundError(f"ground truth not found: {gt}")
    if not out.exists():
        raise FileNotFoundError(f"OCR output not found: {out}")
    if not gt.is_dir():
        return [(gt_stem(gt), gt, out if not out.is_dir() else find_output(out, gt_stem(gt)))]
    pages = find_gt(gt)
    if not pages:
        raise FileNotFoundError(f"no ground truth in {gt} (<stem>{', <stem>'.join(GT_SUFFIXES)})")
    if not out.is_dir():
        raise ValueError(f"GT is a folder ({gt}) but OCR output is a single file ({out})")
    return [(stem, path, find_output(out, stem)) for stem, path in pages.items()]


def read_text(path: Path) -> str:
    """A UTF-8 text file (a leading BOM is dropped)."""
    return Path(path).read_text(encoding="utf-8-sig")
