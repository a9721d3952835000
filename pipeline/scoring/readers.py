"""Ground truth and OCR output in every form teams keep them, read into one shape.

| form         | files                                   | regions with coordinates, order        |
|--------------|-----------------------------------------|----------------------------------------|
| `text`       | `.txt`: blocks separated by blank lines | no                                     |
| `page`       | PAGE-XML 2013 / 2019 (`.xml`)           | yes; its ReadingOrder, else file order |
| `alto`       | ALTO v2–v4 (`.xml`)                     | yes; its ReadingOrder, else file order |
| `json`       | the page model (`broadsheet run`)       | yes, with line confidences             |
| `render-gt`  | the page renderer's `.gt.json`          | yes; its `order`                       |
| `hocr`       | hOCR (`.hocr`, `.html`; Tesseract's)    | yes; document order                    |

Every form becomes a `Document`: the page's text in transcription style (the text blocks in
reading order, lines as printed, one blank line between blocks) and, where the form has regions
with coordinates, the page model itself. Text blocks a file's reading order leaves out are read
after the ordered ones, so no text is lost from the score.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree, html

from ..dehyphenate import join_pair
from ..formats import read_alto, read_page
from ..formats.xmlcommon import local, parse_xml
from ..model import Block, BlockKind, Line, Page, Word, rect_polygon
from .pairs import GT_SUFFIXES, OUT_SUFFIXES, gt_stem


class BadDocument(ValueError):
    """A ground-truth or OCR file that can't be scored; str() is `FILE: reason`."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Document:
    path: Path | None
    form: str  # text, page, alto, json, render-gt, hocr
    text: str  # transcription style: text blocks in reading order, a blank line between blocks
    page: Page | None = None  # the regions with coordinates, where the form has them

    @property
    def has_regions(self) -> bool:
        return self.page is not None and any(b.polygon for b in self.page.blocks if b.kind.has_text)


def text_blocks(page: Page) -> list[Block]:
    """The blocks a page's text is made of, in reading order: ordered blocks with text, then any
    block with text the reading order leaves out."""
    ordered = page.ordered_blocks()
    seen = {id(b) for b in ordered}
    blocks = ordered + [b for b in page.blocks if id(b) not in seen]
    return [b for b in blocks if b.kind.has_text and b.text.strip()]


def page_text(page: Page) -> str:
    """The transcription-style text of a page: `text_blocks`, lines as printed, one blank line
    between blocks."""
    texts = [b.text for b in text_blocks(page)]
    return "\n\n".join(texts) + "\n" if texts else ""


def document_from_page(page: Page, form: str, path: Path | None = None) -> Document:
    return Document(path, form, page_text(page), page)


def read_document(path: Path) -> Document:
    """Read a ground-truth or OCR file of any form above, told apart by name and content."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadDocument(path, "file not found") from None
    except IsADirectoryError:
        raise BadDocument(path, "is a folder, not a file") from None
    except OSError as e:
        raise BadDocument(path, f"cannot read the file ({e.strerror})") from None
    name = path.name.lower()
    try:
        if name.endswith(".txt"):
            return Document(path, "text", _decode(data, path))
        if name.endswith(".json"):
            return _read_json(data, path)
        if name.endswith((".hocr", ".html", ".htm", ".xhtml")):
            return document_from_page(read_hocr(data, page_id=_page_id(path)), "hocr", path)
        if name.endswith(".xml"):
            return _read_xml(data, path)
    except BadDocument:
        raise
    except etree.XMLSyntaxError as e:
        raise BadDocument(path, f"not well-formed XML ({e})") from None
    except KeyError as e:
        raise BadDocument(path, f"a required field is missing ({e})") from None
    except (ValueError, TypeError) as e:
        raise BadDocument(path, f"not a readable {name.rsplit('.', 1)[-1].upper()} file ({e})") from None
    raise BadDocument(path, "unknown kind of file (expected .txt, .json, .xml, .hocr or .html)")


def _page_id(path: Path) -> str:
    """The page's stem, whether `path` is ground truth or output."""
    return gt_stem(path, (*GT_SUFFIXES, *OUT_SUFFIXES))


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadDocument(path, f"not UTF-8 text (byte {e.start})") from None


def _read_xml(data: bytes, path: Path) -> Document:
    root = parse_xml(data)  # parsed once: the root says which reader takes it
    kind = local(root)
    if kind == "PcGts":
        return document_from_page(read_page(root), "page", path)
    if kind == "alto":
        return document_from_page(read_alto(root), "alto", path)
    raise BadDocument(path, f"neither PAGE nor ALTO XML (root element <{kind}>)")


def _read_json(data: bytes, path: Path) -> Document:
    try:
        doc = json.loads(_decode(data, path))
    except json.JSONDecodeError as e:
        raise BadDocument(path, f"not valid JSON ({e})") from None
    blocks = doc.get("blocks") if isinstance(doc, dict) else None
    if not isinstance(blocks, list):
        raise BadDocument(path, "JSON without a list of blocks: neither a page model nor a renderer's .gt.json")
    if all(isinstance(b.get("lines", []), list) and all(isinstance(ln, str) for ln in b.get("lines", []))
           and "type" in b for b in blocks):
        return document_from_page(read_render_gt(doc, _page_id(path)), "render-gt", path)
    return document_from_page(Page.from_dict(doc), "json", path)


def read_render_gt(doc: dict, page_id: str = "page") -> Page:
    """The page renderer's ground truth (`scripts/render_page.py`: blocks with `type`, `article`,
    `order`, `bbox`, `polygon` and the printed `lines`) as a page model. Its lines have no outlines."""
    blocks, order = [], []
    for b in sorted(doc["blocks"], key=lambda b: b.get("order", 0)):
        polygon = [(float(x), float(y)) for x, y in b.get("polygon") or []] or rect_polygon(*b["bbox"])
        kind = BlockKind(b["type"]) if b["type"] in BlockKind._value2member_map_ else BlockKind.BODY
        block_id = f"r{b['id']}"
        blocks.append(Block(block_id, kind, polygon, [Line(text, []) for text in b["lines"]],
                            article=b.get("article")))
        order.append(block_id)
    metadata = {"source": doc["image"]} if doc.get("image") else {}
    return Page(page_id, int(doc.get("width", 0)), int(doc.get("height", 0)), blocks, order, metadata)


# --- hOCR ---------------------------------------------------------------------------------------

_BBOX = re.compile(r"bbox\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)")
_WCONF = re.compile(r"x_wconf\s+(-?[\d.]+)")
_IMAGE = re.compile(r'image\s+"([^"]*)"')
# Tesseract writes a line as ocr_line, or as ocr_header / ocr_caption / ocr_textfloat by its role.
LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat", "ocrx_line"}


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _box(el) -> list[tuple[float, float]]:
    match = _BBOX.search(el.get("title") or "")
    return rect_polygon(*map(float, match.groups())) if match else []


def _conf(el) -> float | None:
    match = _WCONF.search(el.get("title") or "")
    return float(match.group(1)) / 100 if match else None


def read_hocr(data: bytes, page_id: str = "page") -> Page:
    """The first ocr_page of an hOCR file: one block per ocr_carea (or per ocr_par where there is
    no carea), its lines with their words joined as printed (no space between CJK words), word
    confidences from x_wconf; the reading order is document order."""
    root = html.fromstring(data, parser=html.HTMLParser(encoding="utf-8"))  # hOCR is UTF-8, meta or not
    pages = [el for el in root.iter() if "ocr_page" in _classes(el)]
    if not pages:
        raise ValueError("no ocr_page element")
    page_el = pages[0]
    box = _box(page_el)
    width, height = (int(box[2][0]), int(box[2][1])) if box else (0, 0)
    image = _IMAGE.search(page_el.get("title") or "")
    areas = [el for el in page_el.iter() if "ocr_carea" in _classes(el)] or \
            [el for el in page_el.iter() if "ocr_par" in _classes(el)]
    blocks = []
    for i, area in enumerate(areas, 1):
        lines = [_hocr_line(el) for el in area.iter() if _classes(el) & LINE_CLASSES]
        lines = [ln for ln in lines if ln.text.strip()]
        kind = area.get("data-kind")
        kind = BlockKind(kind) if kind in BlockKind._value2member_map_ else BlockKind.BODY
        block_id = (area.get("id") or f"block_{i}").removeprefix("block_")
        blocks.append(Block(block_id, kind, _box(area), lines, article=area.get("data-article")))
    blocks = [b for b in blocks if b.lines]
    metadata = {"source": image.group(1)} if image else {}
    return Page(page_id, width, height, blocks, [b.id for b in blocks], metadata)


def _hocr_line(el) -> Line:
    words = [w for w in el.iter() if "ocrx_word" in _classes(w)]
    if not words:
        return Line(" ".join(el.text_content().split()), _box(el), _conf(el) or 0.0)
    text, parts = "", []
    for w in words:
        content = " ".join(w.text_content().split())
        if not content:
            continue
        conf = _conf(w)
        parts.append(Word(content, _box(w), conf if conf is not None else 1.0))
        text += join_pair(text, content) + content
    line_conf = _conf(el)
    if line_conf is None:
        line_conf = sum(w.confidence for w in parts) / len(parts) if parts else 0.0
    return Line(text, _box(el), line_conf, parts)
