"""Reading PAGE-XML (2019-07-15, 2013-07-15 and kin, ours or another tool's) into the page model.

Our own files give back kinds, articles, direction, type sizes, hyphenation and the reading
order. Other files: the kind comes from the region @type (heading → headline, paragraph →
body, …), image-like regions are photos, separator regions rules; without a ReadingOrder the
text regions are read in document order. Text is taken from each line's TextEquiv, else its
words', else (region-level ground truth) from the region's, one line per text line.
"""

from __future__ import annotations

import json
from pathlib import PurePath

from lxml import etree

from ..dehyphenate import join_pair
from ..model import Block, BlockKind, Direction, Line, Page, Polygon, Word
from .xmlcommon import (DEFAULT_DPI, SOFTWARE, child, children, kind_from_label, local, parse_points, parse_xml,
                        read_custom, checked, unusable_as)

REGIONS = {
    "TextRegion": BlockKind.BODY, "ImageRegion": BlockKind.PHOTO, "GraphicRegion": BlockKind.PHOTO,
    "LineDrawingRegion": BlockKind.PHOTO, "ChartRegion": BlockKind.PHOTO, "MapRegion": BlockKind.PHOTO,
    "SeparatorRegion": BlockKind.SEPARATOR,
}
GROUPS = ("OrderedGroup", "UnorderedGroup", "OrderedGroupIndexed", "UnorderedGroupIndexed")


def read_page(data: bytes | str | etree._Element) -> Page:
    """A PAGE file (its bytes, text, or its parsed root element) as a Page."""
    root = data if isinstance(data, etree._Element) else parse_xml(data)
    pg = child(root, "Page")
    if local(root) != "PcGts" or pg is None:
        raise ValueError(f"not a PAGE file: root element is <{local(root)}>")
    with unusable_as("PAGE"):
        return checked(_read(root, pg), "PAGE")


def _read(root: etree._Element, pg: etree._Element) -> Page:
    metadata = _settings(root)
    dpi = float(metadata.pop("font_size_dpi", 0) or pg.get("imageXResolution") or DEFAULT_DPI)
    if pg.get("imageFilename"):
        metadata.setdefault("source", pg.get("imageFilename"))
    blocks = [_block(el, dpi) for el in pg.iter() if local(el) in REGIONS]
    page = Page(
        id=root.get("pcGtsId") or PurePath(pg.get("imageFilename", "page")).stem,
        width=int(pg.get("imageWidth", 0)),
        height=int(pg.get("imageHeight", 0)),
        blocks=blocks,
        metadata=metadata,
    )
    _order(pg, page)
    return page


def _settings(root: etree._Element) -> dict:
    """Our own processing step's labels: the run's measurements and engine."""
    meta: dict = {}
    for item in root.iter():
        if local(item) == "MetadataItem" and item.get("name") == SOFTWARE:
            for label in (el for el in item.iter() if local(el) == "Label"):
                try:
                    meta[label.get("type")] = json.loads(label.get("value"))
                except ValueError:
                    meta[label.get("type")] = label.get("value")
    return meta


def _polygon(el: etree._Element) -> Polygon:
    coords = child(el, "Coords")
    if coords is None:
        return []
    if coords.get("points"):
        return parse_points(coords.get("points"))
    # PAGE 2010 wrote points as elements.
    return [(float(p.get("x")), float(p.get("y"))) for p in children(coords, "Point")]


def _text(el: etree._Element) -> tuple[str, float] | None:
    """The first TextEquiv with the lowest index: its text and confidence."""
    equivs = children(el, "TextEquiv")
    if not equivs:
        return None
    best = min(equivs, key=lambda e: int(e.get("index", 0)))
    unicode = child(best, "Unicode")
    text = (unicode.text or "") if unicode is not None else ""
    return text, float(best.get("conf", 1.0))


def _block(el: etree._Element, dpi: float) -> Block:
    custom = read_custom(el.get("custom"))
    kind = REGIONS[local(el)]
    if kind is BlockKind.BODY:
        kind = kind_from_label(custom.get("structure", {}).get("type")) or kind_from_label(el.get("type")) or kind
        if not kind.has_text:
            kind = BlockKind.BODY
    style = child(el, "TextStyle")
    size = float(style.get("fontSize", 0)) if style is not None else 0.0
    lines = [_line(ln) for ln in children(el, "TextLine")]
    region_text = _text(el)
    if not any(line.text for line in lines) and region_text and region_text[0]:
        # Ground truth transcribed per region: its lines, each outlined by the region.
        lines = [Line(t, _polygon(el), region_text[1]) for t in region_text[0].split("\n")]
    vertical = el.get("readingDirection") in ("top-to-bottom", "bottom-to-top")
    return Block(
        id=el.get("id", ""),
        kind=kind,
        polygon=_polygon(el),
        lines=lines,
        article=custom.get("article", {}).get("id"),
        direction=Direction.VERTICAL if vertical else Direction.HORIZONTAL,
        confidence=region_text[1] if region_text else 1.0,
        text_height=round(size * dpi / 72, 1),
        inverted=style is not None and style.get("reverseVideo") in ("true", "1"),
    )


def _line(el: etree._Element) -> Line:
    words = []
    for w in children(el, "Word"):
        text, conf = _text(w) or ("", 1.0)
        words.append(Word(text, _polygon(w), conf))
    own = _text(el)
    if own is None:
        text = ""
        for w in words:
            text += join_pair(text, w.text) + w.text
        own = (text, min((w.confidence for w in words), default=0.0))
    hyphenated = read_custom(el.get("custom")).get("hyphenated", {}).get("value") == "true"
    return Line(own[0], _polygon(el), own[1], words, hyphenated)


def _order(pg: etree._Element, page: Page) -> None:
    """Reading order from ReadingOrder (groups below the page's group are articles), else document order."""
    text_ids = {b.id for b in page.blocks if b.kind.has_text}
    ro = child(pg, "ReadingOrder")
    top = next((g for g in ro if local(g) in GROUPS), None) if ro is not None else None
    if top is None:
        page.reading_order = [b.id for b in page.blocks if b.kind.has_text]
        return
    order: list[str] = []
    articles: dict[str, str] = {}

    def walk(group: etree._Element, article: str | None) -> None:
        members = list(group)
        if local(group).startswith("OrderedGroup"):  # its members carry @index; file order may differ
            members.sort(key=lambda m: int(m.get("index", 0)))
        for m in members:
            ref = m.get("regionRef")
            if local(m).startswith("RegionRef") and ref in text_ids and ref not in order:
                order.append(ref)
                if article is not None:
                    articles[ref] = article
            elif local(m) in GROUPS:
                walk(m, m.get("caption") or m.get("id"))

    walk(top, None)
    page.reading_order = order
    for b in page.blocks:
        if b.article is None and b.id in articles:
            b.article = articles[b.id]
