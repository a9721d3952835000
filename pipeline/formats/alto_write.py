"""ALTO 4.4, the format newspaper repositories and METS/ALTO workflows ingest.

What the page model has and ALTO has no field for travels in ALTO's own extension points:
the block kind and the article as StructureTags (TAGREFS), white-on-dark as a LayoutTag, the
reading order and article grouping as a 4.3+ ReadingOrder (an OrderedGroup per article inside
one for the page), the pipeline's measurements as the processing step's settings. Coordinates
are input-image pixels; a block or line whose outline is not exactly its integer box (tilted,
or with fractional corners) also gets its polygon as a Shape. `alto_read.read_alto` reads all of it back.
"""

from __future__ import annotations

import json
import re

from lxml import etree

from ..dehyphenate import is_cjk
from ..model import Block, BlockKind, Direction, Line, Page, Polygon, bbox_of
from .xmlcommon import (SOFTWARE, XSI, clamp01, float_points, is_box, now_utc, page_dpi, software_version,
                        sub_element, to_text, xml_id)

NS = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA_LOCATION = "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
HYPHENS = "-\u00ad\u2010"

Token = tuple[str, Polygon, float]  # one String: content, outline, confidence


def write_alto(page: Page) -> str:
    root = etree.Element(f"{{{NS}}}alto", nsmap={None: NS, "xsi": XSI}, SCHEMAVERSION="4.4")
    root.set(f"{{{XSI}}}schemaLocation", f"{NS} {SCHEMA_LOCATION}")
    _description(root, page)
    styles = _styles(root, page)
    tags = _tags(root, page)
    _reading_order(root, page, tags)
    layout = _sub(root, "Layout")
    pg = _sub(layout, "Page", ID=xml_id(page.id), PHYSICAL_IMG_NR="1", WIDTH=str(page.width),
              HEIGHT=str(page.height))
    space = _sub(pg, "PrintSpace", **_box(_union(page)))
    divided = _divided_words(page)
    # Text blocks in reading order first: readers without ReadingOrder support get it from the sequence.
    ordered = page.ordered_blocks()
    rest = [b for b in page.blocks if b not in ordered]
    for block in ordered + rest:
        _block(space, block, styles, tags, divided)
    return to_text(root)


def _sub(parent: etree._Element, tag: str, text: str | None = None, /, **attrs: str) -> etree._Element:
    return sub_element(parent, f"{{{NS}}}{tag}", text, **attrs)


def _box(bbox: tuple[int, int, int, int]) -> dict[str, str]:
    x0, y0, x1, y1 = bbox
    return {"HPOS": str(x0), "VPOS": str(y0), "WIDTH": str(x1 - x0), "HEIGHT": str(y1 - y0)}


def _union(page: Page) -> tuple[int, int, int, int]:
    boxes = [b.bbox for b in page.blocks if b.polygon]
    if not boxes:
        return (0, 0, page.width, page.height)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _description(root: etree._Element, page: Page) -> None:
    desc = _sub(root, "Description")
    _sub(desc, "MeasurementUnit", "pixel")
    if page.metadata.get("source"):
        _sub(_sub(desc, "sourceImageInformation"), "fileName", str(page.metadata["source"]))
    step = _sub(desc, "Processing", ID="proc1")
    _sub(step, "processingCategory", "contentGeneration")
    _sub(step, "processingDateTime", now_utc())
    engine = page.metadata.get("engine", "unknown engine")
    _sub(step, "processingStepDescription",
         f"cleanup, layout analysis, OCR ({engine}), reading order and articles, dehyphenation")
    settings = {**page.metadata, "font_size_dpi": page_dpi(page)}
    _sub(step, "processingStepSettings", json.dumps(settings, ensure_ascii=False, sort_keys=True, default=str))
    software = _sub(step, "processingSoftware")
    _sub(software, "softwareName", SOFTWARE)
    _sub(software, "softwareVersion", software_version())


def _styles(root: etree._Element, page: Page) -> dict[int, str]:
    """One TextStyle per type size found (text height rounded to the pixel), FONTSIZE in points."""
    sizes = sorted({round(b.text_height) for b in page.blocks if b.kind.has_text and b.text_height > 0})
    if not sizes:
        return {}
    styles = _sub(root, "Styles")
    for px in sizes:
        _sub(styles, "TextStyle", ID=f"ts{px}", FONTSIZE=f"{px * 72 / page_dpi(page):.2f}")
    return {px: f"ts{px}" for px in sizes}


def _tags(root: etree._Element, page: Page) -> dict[str, str]:
    """Tag ids by key: 'kind:<kind>', 'article:<id>', 'inverted'."""
    tags: dict[str, tuple[str, str, str, str]] = {}  # key -> (element, id, type, label)
    used = {b.kind for b in page.blocks}
    for kind in (k for k in BlockKind if k in used):
        tags[f"kind:{kind.value}"] = ("StructureTag", f"kind_{kind.value}", "block kind", kind.value)
    for b in page.blocks:
        if b.article is not None:
            tags.setdefault(f"article:{b.article}", ("StructureTag", xml_id(f"art_{b.article}"), "article", b.article))
    if any(b.inverted for b in page.blocks):
        tags["inverted"] = ("LayoutTag", "layout_inverted", "colour", "inverted")
    if not tags:
        return {}
    parent = _sub(root, "Tags")
    for name, tag_id, tag_type, label in tags.values():
        _sub(parent, name, ID=tag_id, TYPE=tag_type, LABEL=label)
    return {key: v[1] for key, v in tags.items()}


def _reading_order(root: etree._Element, page: Page, tags: dict[str, str]) -> None:
    articles = page.articles()
    if not articles:
        return
    top = _sub(_sub(root, "ReadingOrder"), "OrderedGroup", ID="ro_page")
    for key, blocks in articles:
        group = top
        if any(b.article is not None for b in blocks):  # a lone block without article stays ungrouped
            group = _sub(top, "OrderedGroup", ID=xml_id(f"ro_art_{key}"), TAGREFS=tags.get(f"article:{key}"))
        for b in blocks:
            _sub(group, "ElementRef", ID=xml_id(f"ro_ref_{b.id}"), REF=xml_id(b.id))


def _block(space: etree._Element, block: Block, styles: dict[int, str], tags: dict[str, str],
           divided: dict[int, tuple[str, str]]) -> None:
    name = {BlockKind.PHOTO: "Illustration", BlockKind.SEPARATOR: "GraphicalElement"}.get(block.kind, "TextBlock")
    refs = [tags[f"kind:{block.kind.value}"]]
    if block.article is not None:
        refs.append(tags[f"article:{block.article}"])
    if block.inverted:
        refs.append(tags["inverted"])
    el = _sub(space, name, ID=xml_id(block.id), TAGREFS=" ".join(refs), **_box(block.bbox))
    if name == "Illustration":
        el.set("TYPE", "photo")
    if name == "TextBlock":
        el.set("BASEDIRECTION", "ttb" if block.direction is Direction.VERTICAL else "ltr")
        if round(block.text_height) in styles:
            el.set("STYLEREFS", styles[round(block.text_height)])
    _shape(el, block.polygon)
    if name != "TextBlock":
        return
    for i, line in enumerate(block.lines, 1):
        _line(el, line, f"{xml_id(block.id)}_l{i}", divided)


def _shape(el: etree._Element, polygon: Polygon) -> None:
    if len(polygon) >= 3 and not is_box(polygon):
        _sub(_sub(el, "Shape"), "Polygon", POINTS=float_points(polygon))


def _line(parent: etree._Element, line: Line, line_id: str, divided: dict[int, tuple[str, str]]) -> None:
    el = _sub(parent, "TextLine", ID=line_id, **_box(line.bbox))
    _shape(el, line.polygon)
    tokens, spaces, are_words = _tokens(line)
    hyphen = ""
    if line.hyphenated and tokens and tokens[-1][0][-1:] in HYPHENS:
        hyphen = tokens[-1][0][-1]
        tokens[-1] = (tokens[-1][0][:-1], *tokens[-1][1:])
    subs = divided.get(id(line), ("", ""))
    for j, (text, polygon, conf) in enumerate(tokens):
        s = _sub(el, "String", ID=f"{line_id}_w{j + 1}", CONTENT=text, WC=f"{clamp01(conf):.3f}",
                 **_box(bbox_of(polygon)))
        # A divided word carries the whole word on both halves, as ALTO asks.
        if are_words and j == len(tokens) - 1 and hyphen and subs[0]:
            s.set("SUBS_TYPE", "HypPart1")
            s.set("SUBS_CONTENT", subs[0])
        elif are_words and j == 0 and subs[1]:
            s.set("SUBS_TYPE", "HypPart2")
            s.set("SUBS_CONTENT", subs[1])
        if j < len(spaces) and spaces[j]:
            gap = bbox_of(polygon)[2], bbox_of(tokens[j + 1][1])[0]
            _sub(el, "SP", HPOS=str(gap[0]), VPOS=str(line.bbox[1]), WIDTH=str(max(gap[1] - gap[0], 0)))
    if hyphen:
        _sub(el, "HYP", CONTENT=hyphen)


def _tokens(line: Line) -> tuple[list[Token], list[bool], bool]:
    """The Strings of a line and whether a space follows each: the engine's words when they spell
    the line's text exactly, else the whole line as one String (CJK engines give lines, not words)."""
    if line.words:
        spaces = _spaces_between(line)
        if spaces is not None:
            return [(w.text, w.polygon, w.confidence) for w in line.words], spaces, True
    return [(line.text.strip(), line.polygon, line.confidence)], [], False


def _spaces_between(line: Line) -> list[bool] | None:
    text, pos, spaces = line.text, 0, []
    for i, word in enumerate(line.words):
        at = text.find(word.text, pos)
        if at < 0 or not word.text or text[pos:at].strip():
            return None  # the words do not spell the line: keep the line's text, not theirs
        if i:
            spaces.append(at > pos)
        pos = at + len(word.text)
    return spaces if not text[pos:].strip() else None


def _divided_words(page: Page) -> dict[int, tuple[str, str]]:
    """For each line (by id()) the whole word its last (HypPart1) and first (HypPart2) Strings belong to.

    Lines follow each other through an article's blocks, as dehyphenation marked them.
    """
    out: dict[int, tuple[str, str]] = {}
    for _, blocks in page.articles():
        lines = [line for b in blocks for line in b.lines]
        for line, nxt in zip(lines, lines[1:]):
            head, tail = line.text.split()[-1:] or [""], nxt.text.split()[:1] or [""]
            if not (line.hyphenated and head[0][-1:] in HYPHENS) or is_cjk(tail[0][:1]):
                continue
            first, rest = re.search(r"[^\W_]*$", head[0][:-1]), re.match(r"[^\W_]*", tail[0])
            word = first.group(0) + rest.group(0)  # letters only: "(admin-" + "istration," -> "administration"
            out[id(line)] = (word, out.get(id(line), ("", ""))[1])
            out[id(nxt)] = (out.get(id(nxt), ("", ""))[0], word)
    return out
