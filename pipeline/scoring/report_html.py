"""The QA report a person reads: one static HTML page per scored page and an index of the corpus.

A page's report shows the page image with the output's blocks drawn on it, numbered in reading
order and coloured by kind (the GT regions dashed beneath, the output's lines shaded by how
unsure the engine was), and beside it the aligned text: each GT block against the output text the
block-flexible alignment matched it with, insertions, deletions and substitutions coloured, then
the output text no GT block matched. Below: the output's lines with their confidences. The index
lists the pages worst first. No server, no network: open `index.html` in a browser.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path

from PIL import Image, ImageOps
from rapidfuzz.distance import Levenshtein

from ..io import IMAGE_SUFFIXES
from ..model import BlockKind, Page
from .evaluate import PageAnalysis, PageFailure
from .metrics import PageScore, sum_scores
from .readers import text_blocks

# Colour of each block kind (outline and number), chosen to stay apart on a grey page.
KIND_COLOURS = {
    BlockKind.SECTION: "#7b1fa2", BlockKind.KICKER: "#c2185b", BlockKind.HEADLINE: "#d32f2f",
    BlockKind.SUBHEAD: "#f57c00", BlockKind.LEAD: "#2e7d32", BlockKind.BODY: "#1565c0",
    BlockKind.CAPTION: "#00838f", BlockKind.PHOTO: "#6d4c41", BlockKind.SEPARATOR: "#757575",
    BlockKind.HEADER: "#5d4037", BlockKind.FOOTER: "#5d4037", BlockKind.DROP_CAP: "#1565c0",
}
MAX_IMAGE_SIDE = 2400  # the page image is scaled down to this (px) in the report: sharp enough to read
LOW_CONFIDENCE = 0.8  # lines the engine was less sure of than this are marked

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:10px 16px;background:#263238;color:#fff}
header a{color:#b3e5fc}
h1{font-size:18px;margin:0 0 4px}
.meta{font-size:12px;color:#cfd8dc}
table.scores{border-collapse:collapse;margin:8px 0}
table.scores td,table.scores th{padding:2px 10px;text-align:right;border-bottom:1px solid #ddd}
table.scores th:first-child,table.scores td:first-child{text-align:left}
.wrap{display:flex;gap:16px;padding:12px 16px;align-items:flex-start}
.image{flex:1 1 50%;position:sticky;top:0;max-height:100vh;overflow:auto;background:#fff;border:1px solid #ccc}
.image svg{width:100%;height:auto;display:block}
.text{flex:1 1 50%;min-width:0}
.block-diff{background:#fff;border:1px solid #ddd;margin:0 0 8px;padding:6px 8px}
.block-diff h3{font-size:12px;font-weight:600;margin:0 0 4px;color:#555}
.diff{white-space:pre-wrap;word-break:break-all;font-size:15px}
del{background:#ffcdd2;color:#b71c1c;text-decoration:line-through}
ins{background:#c8e6c9;color:#1b5e20;text-decoration:none}
del.sub{background:#ffe0b2;color:#e65100}
ins.sub{background:#fff59d;color:#6d4c00}
.legend span{display:inline-block;margin-right:10px;font-size:12px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:3px;vertical-align:middle}
.lines td{padding:1px 6px;vertical-align:top;font-size:13px}
.low{background:#ffebee}
.bad{color:#b71c1c;font-weight:600}
.none{color:#999}
"""

# Run by the browser after loading: counts the drawn blocks that have a size on screen, so a
# headless browser can check that the page really rendered them.
CHECK_SCRIPT = """
<script>
window.addEventListener('load', function () {
  var shown = 0;
  document.querySelectorAll('svg .block').forEach(function (g) {
    var box = g.getBBox(); if (box.width > 0 && box.height > 0) shown++;
  });
  document.body.setAttribute('data-rendered-blocks', String(shown));
});
</script>
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _json(data: object) -> str:
    """JSON that can sit inside a <script> element."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _pct(value: float | None) -> str:
    if value is None:
        return '<span class="none">–</span>'
    return "∞" if value == float("inf") else f"{value:.2%}"


def safe_name(stem: str) -> str:
    """A page's stem (which may hold sub-folders) as one file name."""
    return re.sub(r"[^\w.-]+", "_", stem.replace("/", "__")) or "page"


# --- the page image -------------------------------------------------------------------------------

def find_image(analysis: PageAnalysis) -> Path | None:
    """The page image: the file the GT or output names (beside it), else `<stem>.<image suffix>`
    beside the GT file."""
    gt_path, hyp_path = analysis.gt.path, analysis.hyp.path if analysis.hyp else None
    folders = [p.parent for p in (gt_path, hyp_path) if p is not None]
    names = []
    for doc in (analysis.gt, analysis.hyp):
        if doc is not None and doc.page is not None and doc.page.metadata.get("source"):
            names.append(Path(str(doc.page.metadata["source"])))
    for name in names:
        candidates = [name] if name.is_absolute() else [f / name for f in folders] + [f / name.name for f in folders]
        for candidate in candidates:
            if candidate.is_file() and candidate.suffix.lower() in IMAGE_SUFFIXES:
                return candidate
    if gt_path is not None:
        stem = Path(analysis.name).name
        for suffix in sorted(IMAGE_SUFFIXES):
            for candidate in (gt_path.with_name(stem + suffix), gt_path.with_name(stem + suffix.upper())):
                if candidate.is_file():
                    return candidate
    return None


def _copy_image(source: Path, target: Path) -> tuple[int, int]:
    """A browser-readable, scaled-down copy of the page image; returns the original size."""
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        size = image.size
        image = image.convert("L" if image.mode in ("1", "L", "I;16", "I", "F") else "RGB")
        image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
        image.save(target, "JPEG", quality=82)
    return size


# --- one page -------------------------------------------------------------------------------------

def _points(polygon, sx: float = 1.0, sy: float = 1.0) -> str:
    return " ".join(f"{x * sx:.1f},{y * sy:.1f}" for x, y in polygon)


def _svg(analysis: PageAnalysis, image_href: str | None, size: tuple[int, int] | None) -> tuple[str, int]:
    """The page with its blocks; returns the SVG and the number of output blocks drawn."""
    gt_page, out_page = analysis.gt.page, analysis.hyp.page if analysis.hyp else None
    width, height = size or (0, 0)
    for page in (gt_page, out_page):
        if not (width and height) and page is not None and page.width and page.height:
            width, height = page.width, page.height
    if not (width and height):
        return '<p class="none">No page image and no page size: nothing to draw.</p>', 0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'font-family="sans-serif">']
    if image_href:
        parts.append(f'<image href="{_e(image_href)}" x="0" y="0" width="{width}" height="{height}"/>')
    else:
        parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>')
    stroke = max(width, height) / 800
    if gt_page is not None:
        sx, sy = (width / gt_page.width, height / gt_page.height) if gt_page.width and gt_page.height else (1, 1)
        for block in gt_page.ordered_blocks():
            if block.polygon:
                parts.append(f'<polygon class="gt-region" points="{_points(block.polygon, sx, sy)}" fill="none" '
                             f'stroke="#555" stroke-width="{stroke:.1f}" stroke-dasharray="{4 * stroke:.0f}"/>')
    drawn = 0
    if out_page is not None:
        sx, sy = (width / out_page.width, height / out_page.height) if out_page.width and out_page.height else (1, 1)
        font = max(width, height) / 70
        for number, block in enumerate(text_blocks(out_page), 1):
            if not block.polygon:
                continue
            colour = KIND_COLOURS.get(block.kind, "#1565c0")
            parts.append(f'<g class="block" data-block="{_e(block.id)}" data-kind="{block.kind.value}">'
                         f'<title>{number}. {block.kind.value} {_e(block.id)}</title>')
            for line in block.lines:
                if len(line.polygon) >= 3:
                    shade = max(0.0, min(1.0, 1.0 - line.confidence)) * 0.6
                    parts.append(f'<polygon class="line" points="{_points(line.polygon, sx, sy)}" '
                                 f'fill="#e53935" fill-opacity="{shade:.2f}" stroke="none">'
                                 f'<title>{_e(line.text)} ({line.confidence:.2f})</title></polygon>')
            parts.append(f'<polygon points="{_points(block.polygon, sx, sy)}" fill="{colour}" fill-opacity="0.06" '
                         f'stroke="{colour}" stroke-width="{2 * stroke:.1f}"/>')
            x0, y0 = min(x for x, _ in block.polygon) * sx, min(y for _, y in block.polygon) * sy
            parts.append(f'<rect x="{x0:.0f}" y="{y0:.0f}" width="{font * (0.7 + 0.6 * len(str(number))):.0f}" '
                         f'height="{font * 1.25:.0f}" fill="{colour}"/>'
                         f'<text x="{x0 + font * 0.35:.0f}" y="{y0 + font:.0f}" font-size="{font:.0f}" '
                         f'fill="#fff" font-weight="bold">{number}</text></g>')
            drawn += 1
    parts.append("</svg>")
    return "".join(parts), drawn


def _diff_html(gt: str, ocr: str, decode) -> str:
    """GT against OCR as one run of text: equal text plain, deletions red, insertions green,
    substitutions as the GT's and the output's characters side by side."""
    out = []
    for op in Levenshtein.opcodes(gt, ocr):
        g, o = _e(decode(gt[op.src_start:op.src_end])), _e(decode(ocr[op.dest_start:op.dest_end]))
        if op.tag == "equal":
            out.append(g)
        elif op.tag == "delete":
            out.append(f"<del>{g}</del>")
        elif op.tag == "insert":
            out.append(f"<ins>{o}</ins>")
        else:
            out.append(f'<del class="sub">{g}</del><ins class="sub">{o}</ins>')
    return "".join(out)


def _block_labels(doc, count: int) -> list[str]:
    """'headline r2' for each scored block of a document, where its blocks are known and every one
    of them is a scored block; else empty labels."""
    blocks = text_blocks(doc.page) if doc is not None and doc.page is not None else []
    if len(blocks) != count:
        return [""] * count
    return [f" ({b.kind.value} {b.id})" for b in blocks]


def _text_panel(analysis: PageAnalysis) -> str:
    text = analysis.text
    decode = text.codec.decode
    matches = {m.block: m for m in text.flex.matches}
    gt_labels = _block_labels(analysis.gt, len(text.gt_blocks))
    # Output blocks are numbered as on the image where the scored blocks are the drawn ones.
    numbered = any(_block_labels(analysis.hyp, len(text.hyp_ends)))

    def where(start: int, end: int) -> str:
        blocks = text.hyp_blocks_in(start, end)
        if not numbered or not blocks:
            return ""
        return " in output block " + ", ".join(str(b + 1) for b in blocks)

    parts = []
    for i, block in enumerate(text.gt_blocks):
        m = matches.get(i)
        if m is None:
            head = f"GT block {i + 1}{gt_labels[i]}: not found in the output ({len(block)} chars deleted)"
            body = f"<del>{_e(decode(block))}</del>"
        else:
            head = f"GT block {i + 1}{gt_labels[i]}: {m.errors} errors / {len(block)} chars{where(m.start, m.end)}"
            body = _diff_html(block, text.hyp[m.start:m.end], decode)
        cls = ' bad' if m is None or m.errors > 0.1 * len(block) else ''
        parts.append(f'<div class="block-diff"><h3 class="{cls.strip()}">{_e(head)}</h3>'
                     f'<div class="diff">{body}</div></div>')
    covered = sorted((m.start, m.end) for m in text.flex.matches)
    leftovers, at = [], 0
    for start, end in covered + [(len(text.hyp), len(text.hyp))]:
        if start > at:
            leftovers.append((at, start))
        at = max(at, end)
    for start, end in leftovers:
        parts.append(f'<div class="block-diff"><h3 class="bad">Output text no GT block matched '
                     f'({end - start} chars inserted){_e(where(start, end))}</h3>'
                     f'<div class="diff"><ins>{_e(decode(text.hyp[start:end]))}</ins></div></div>')
    return "".join(parts)


def _lines_table(page: Page | None) -> str:
    if page is None:
        return ""
    rows = []
    for number, block in enumerate(text_blocks(page), 1):
        for j, line in enumerate(block.lines, 1):
            low = line.confidence < LOW_CONFIDENCE
            rows.append(f'<tr class="{"low" if low else ""}"><td>{number}.{j}</td><td>{block.kind.value}</td>'
                        f'<td>{line.confidence:.3f}</td><td>{_e(line.text)}</td></tr>')
    if not rows:
        return ""
    return (f'<h2>Output lines and confidences</h2><p>Lines below {LOW_CONFIDENCE} are shaded.</p>'
            f'<table class="lines"><tr><th>block.line</th><th>kind</th><th>confidence</th><th>text</th></tr>'
            f'{"".join(rows)}</table>')


def _scores_table(scores: Iterable[PageScore], link=None) -> str:
    head = ("<tr><th>page</th><th>GT chars</th><th>CER</th><th>WER</th>"
            "<th title=\"the GT's lines aligned to the output in any order\">order-free CER</th>"
            "<th title=\"the GT's blocks aligned to the output in any order\">block-flex CER</th>"
            "<th>RO distance</th><th>RO pairs</th><th>regions found</th></tr>")
    rows = []
    for s in scores:
        name = f'<a href="{_e(link(s))}">{_e(s.name)}</a>' if link and link(s) else _e(s.name)
        flag = ' <span class="bad">no output</span>' if s.missing and s.name != "TOTAL" else ""
        rows.append(f"<tr><td>{name}{flag}</td><td>{s.gt_chars:,}</td><td>{_pct(s.cer)}</td><td>{_pct(s.wer)}</td>"
                    f"<td>{_pct(s.orderfree_cer)}</td><td>{_pct(s.flex_cer)}</td><td>{_pct(s.ro_distance)}</td>"
                    f"<td>{_pct(s.ro_pair_share)}</td><td>{_pct(s.ro_coverage)}</td></tr>")
    return f'<table class="scores">{head}{"".join(rows)}</table>'


def _legend() -> str:
    kinds = [k for k in BlockKind if k.has_text]
    items = "".join(f'<span><i class="swatch" style="background:{KIND_COLOURS[k]}"></i>{k.value}</span>'
                    for k in kinds)
    return (f'<p class="legend">{items}<span>dashed: GT regions</span><span>red shade: line confidence</span>'
            f'<span><del>deleted</del> <ins>inserted</ins> <del class="sub">GT</del><ins class="sub">OCR</ins>'
            f' substituted</span></p>')


def write_page_report(analysis: PageAnalysis, folder: Path, image: Path | None = None) -> Path:
    """`<folder>/<page>.html` (and the page image beside it in `img/`)."""
    name = safe_name(analysis.name)
    image = image or find_image(analysis)
    href = size = None
    if image is not None:
        (folder / "img").mkdir(parents=True, exist_ok=True)
        size = _copy_image(image, folder / "img" / f"{name}.jpg")
        href = f"img/{name}.jpg"
    svg, drawn = _svg(analysis, href, size)
    s = analysis.score
    files = f"GT: {_e(analysis.gt.path)} ({analysis.gt.form})"
    files += (f" · output: {_e(analysis.hyp.path)} ({analysis.hyp.form})" if analysis.hyp
              else " · output: none (scored as empty)")
    order = analysis.order
    order_note = ("Reading order: not scored (needs regions with coordinates on both sides)." if order is None else
                  f"Reading order: {len(order.gt_order)} of {order.regions} GT regions found; "
                  f"output reads them as {', '.join(order.output_order[:60])}"
                  f"{' …' if len(order.output_order) > 60 else ''}")
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(analysis.name)}: OCR report</title>
<style>{CSS}</style></head>
<body data-blocks="{drawn}">
<header><h1>{_e(analysis.name)}</h1>
<div class="meta"><a href="index.html">all pages</a> · normalization: {_e(analysis.profile.name)}
({_e(analysis.profile.description)}) · {files}</div></header>
<div style="padding:0 16px">{_scores_table([s])}
<p>{_e(order_note)}</p>{_legend()}</div>
<div class="wrap"><div class="image">{svg}</div>
<div class="text"><h2>Aligned text (block-flexible: each GT block against its best span of the output)</h2>
{_text_panel(analysis)}</div></div>
<div style="padding:0 16px 24px">{_lines_table(analysis.hyp.page if analysis.hyp else None)}</div>
{CHECK_SCRIPT}</body></html>
"""
    path = folder / f"{name}.html"
    path.write_text(doc, encoding="utf-8")
    return path


# --- the corpus -----------------------------------------------------------------------------------

def worst_first(analyses: list[PageAnalysis]) -> list[PageAnalysis]:
    """Pages by block-flexible CER (recognition and order inside blocks), then CER, worst first."""
    return sorted(analyses, key=lambda a: (a.score.flex_cer, a.score.cer), reverse=True)


def write_report(analyses: list[PageAnalysis], folder: Path, failures: list[PageFailure] = (),
                 images: dict[str, Path] | None = None, title: str = "OCR against ground truth") -> Path:
    """One report per page and `<folder>/index.html` listing them worst first; returns the index."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    images = images or {}
    for analysis in analyses:
        write_page_report(analysis, folder, images.get(analysis.name))
    profiles = sorted({f"{a.profile.name} ({a.profile.description})" for a in analyses})
    total = sum_scores([a.score for a in analyses])
    ranked = worst_first(analyses)
    links = {a.name: f"{safe_name(a.name)}.html" for a in analyses}
    failed = "".join(f"<li>{_e(f.error)}</li>" for f in failures)
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title><style>{CSS}</style></head>
<body data-pages="{len(analyses)}">
<header><h1>{_e(title)}</h1><div class="meta">{len(analyses)} pages, worst first ·
normalization: {_e("; ".join(profiles))} · rates are corpus sums (errors / GT units over all pages)</div></header>
<div style="padding:8px 16px">{_scores_table([a.score for a in ranked] + [total], lambda s: links.get(s.name))}
{f'<h2>Pages that could not be scored</h2><ul>{failed}</ul>' if failed else ''}
<script type="application/json" id="scores">{_json([a.score.to_dict() for a in ranked])}</script>
</div></body></html>
"""
    index = folder / "index.html"
    index.write_text(doc, encoding="utf-8")
    return index
