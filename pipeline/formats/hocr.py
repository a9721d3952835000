"""hOCR: the page as XHTML, read in document order.

ocr_page › ocr_carea (one per block) › ocr_par › ocr_line › ocrx_word, each with a `bbox` in
its title and words with `x_wconf` (0–100). Text blocks come in reading order, then photos
(ocr_photo) and rules (ocr_separator). Where the engine gave no words (CJK lines) the line is
one ocrx_word, and CJK words get no spaces between them. The block kind and article ride along as data-* attributes.
"""

from __future__ import annotations

from lxml import etree

from ..dehyphenate import join_pair
from ..model import Block, BlockKind, Direction, Page
from .xmlcommon import SOFTWARE, clamp01, software_version, xml_id

XHTML = "http://www.w3.org/1999/xhtml"
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocr_photo ocr_separator"


def write_hocr(page: Page) -> str:
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML})
    head = _sub(html, "head")
    _sub(head, "title", text=page.id)
    _sub(head, "meta", **{"http-equiv": "Content-Type", "content": "text/html; charset=utf-8"})
    _sub(head, "meta", name="ocr-system", content=f"{SOFTWARE} {software_version()}")
    _sub(head, "meta", name="ocr-capabilities", content=CAPABILITIES)
    body = _sub(html, "body")
    image = f'image "{page.metadata["source"]}"; ' if page.metadata.get("source") else ""
    div = _sub(body, "div", cls="ocr_page", id="page_1", title=f"{image}bbox 0 0 {page.width} {page.height}; ppageno 0")
    ordered = page.ordered_blocks()
    for block in ordered + [b for b in page.blocks if b not in ordered]:
        _block(div, block)
    etree.indent(html, space=" ")
    for line in html.iter(f"{{{XHTML}}}span"):
        if line.get("class") == "ocr_line":  # inside a line only the text's own spaces, no layout whitespace
            line.text = None
            for word, nxt in zip(line, [*line[1:], None]):
                word.tail = join_pair(word.text or "", nxt.text or "") if nxt is not None else None
    text = etree.tostring(html, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n{text}'


def _sub(parent: etree._Element, tag: str, text: str | None = None, cls: str | None = None, **attrs: str):
    attrs = {"class": cls, **attrs}
    el = etree.SubElement(parent, f"{{{XHTML}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def _bbox(box: tuple[int, int, int, int]) -> str:
    return "bbox {} {} {} {}".format(*box)


def _block(parent: etree._Element, block: Block) -> None:
    bid = xml_id(block.id)
    if not block.kind.has_text:
        cls = "ocr_photo" if block.kind is BlockKind.PHOTO else "ocr_separator"
        _sub(parent, "div", cls=cls, id=f"block_{bid}", title=_bbox(block.bbox),
             **{"data-kind": block.kind.value, "data-article": block.article})
        return
    area = _sub(parent, "div", cls="ocr_carea", id=f"block_{bid}", title=_bbox(block.bbox),
                **{"data-kind": block.kind.value, "data-article": block.article})
    par = _sub(area, "p", cls="ocr_par", id=f"par_{bid}", title=_bbox(block.bbox))
    if block.direction is Direction.VERTICAL:
        par.set("style", "writing-mode: vertical-rl")
    for i, line in enumerate(block.lines, 1):
        ln = _sub(par, "span", cls="ocr_line", id=f"line_{bid}_{i}",
                  title=f"{_bbox(line.bbox)}; x_wconf {round(clamp01(line.confidence) * 100)}")
        words = [(w.text, w.bbox, w.confidence) for w in line.words] or [(line.text, line.bbox, line.confidence)]
        for j, (text, box, conf) in enumerate(words, 1):
            _sub(ln, "span", text=text, cls="ocrx_word", id=f"word_{bid}_{i}_{j}",
                        title=f"{_bbox(box)}; x_wconf {round(clamp01(conf) * 100)}")
