"""PAGE-XML 2019-07-15, the format of OCR-D, Transkribus and eScriptorium.

Regions keep their polygons (integer points, as the schema wants). PAGE's region types are
coarser than our kinds (a kicker, a headline and a subhead are all "heading"), so the kind also
goes into @custom the way Transkribus writes it, `structure {type:kicker;}`, with the article
beside it, `article {id:a2;}`. The reading order is an OrderedGroup per article inside one for
the page; a line that ends in a divided word says so in its @custom. `pagexml_read.read_page`
reads it all back.
"""

from __future__ import annotations

from lxml import etree

from ..model import Block, BlockKind, Direction, Line, Page, Polygon
from .xmlcommon import (SOFTWARE, XSI, clamp01, int_points, now_utc, page_dpi, software_version, sub_element,
                        to_text, write_custom, xml_id)

NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
SCHEMA_LOCATION = f"{NS}/pagecontent.xsd"
TYPES = {
    BlockKind.SECTION: "heading", BlockKind.KICKER: "heading", BlockKind.HEADLINE: "heading",
    BlockKind.SUBHEAD: "heading", BlockKind.LEAD: "paragraph", BlockKind.BODY: "paragraph",
    BlockKind.CAPTION: "caption", BlockKind.DROP_CAP: "drop-capital",
    BlockKind.HEADER: "header", BlockKind.FOOTER: "footer",
}
REGIONS = {BlockKind.PHOTO: "ImageRegion", BlockKind.SEPARATOR: "SeparatorRegion"}


def write_page(page: Page) -> str:
    root = etree.Element(f"{{{NS}}}PcGts", nsmap={None: NS, "xsi": XSI}, pcGtsId=xml_id(page.id))
    root.set(f"{{{XSI}}}schemaLocation", f"{NS} {SCHEMA_LOCATION}")
    _metadata(root, page)
    pg = _sub(root, "Page", imageFilename=str(page.metadata.get("source") or page.id),
              imageWidth=str(page.width), imageHeight=str(page.height))
    if page.metadata.get("dpi"):
        pg.set("imageXResolution", str(page.metadata["dpi"]))
        pg.set("imageYResolution", str(page.metadata["dpi"]))
        pg.set("imageResolutionUnit", "PPI")
    if page.metadata.get("skew_angle"):
        # The page's tilt, counter-clockwise positive: turning it clockwise by as much levels it.
        pg.set("orientation", str(float(page.metadata["skew_angle"])))
    _reading_order(pg, page)
    ordered = page.ordered_blocks()
    for block in ordered + [b for b in page.blocks if b not in ordered]:
        _region(pg, block, page)
    return to_text(root)


def _sub(parent: etree._Element, tag: str, text: str | None = None, /, **attrs: str) -> etree._Element:
    return sub_element(parent, f"{{{NS}}}{tag}", text, **attrs)


def _metadata(root: etree._Element, page: Page) -> None:
    meta = _sub(root, "Metadata")
    _sub(meta, "Creator", f"{SOFTWARE} {software_version()}")
    now = now_utc()
    _sub(meta, "Created", now)
    _sub(meta, "LastChange", now)
    item = _sub(meta, "MetadataItem", type="processingStep", name=SOFTWARE, value=software_version(), date=now)
    # The run's measurements and engine, one label each, so a reader gets them back.
    labels = _sub(item, "Labels", externalModel=f"{SOFTWARE} settings")
    settings = {**page.metadata, "font_size_dpi": page_dpi(page)}
    for key in sorted(settings):
        _sub(labels, "Label", type=key, value=str(settings[key]))


def _reading_order(pg: etree._Element, page: Page) -> None:
    articles = page.articles()
    if not articles:
        return
    top = _sub(_sub(pg, "ReadingOrder"), "OrderedGroup", id="ro_page", caption="page")
    for i, (key, blocks) in enumerate(articles):
        if all(b.article is None for b in blocks):  # a lone block without article stays ungrouped
            _sub(top, "RegionRefIndexed", index=str(i), regionRef=xml_id(blocks[0].id))
            continue
        group = _sub(top, "OrderedGroupIndexed", id=xml_id(f"ro_art_{key}"), index=str(i), caption=key,
                     type="article")
        for j, b in enumerate(blocks):
            _sub(group, "RegionRefIndexed", index=str(j), regionRef=xml_id(b.id))


def _coords(parent: etree._Element, polygon: Polygon, page: Page) -> None:
    _sub(parent, "Coords", points=int_points(polygon, page.width, page.height))


def _region(pg: etree._Element, block: Block, page: Page) -> None:
    custom = {"structure": {"type": block.kind.value}}
    if block.article is not None:
        custom["article"] = {"id": block.article}
    name = REGIONS.get(block.kind, "TextRegion")
    el = _sub(pg, name, id=xml_id(block.id), custom=write_custom(custom))
    if name == "TextRegion":
        el.set("type", TYPES[block.kind])
        if block.direction is Direction.VERTICAL:
            el.set("readingDirection", "top-to-bottom")
            el.set("textLineOrder", "right-to-left")
    _coords(el, block.polygon, page)
    if name != "TextRegion":
        return
    for i, line in enumerate(block.lines, 1):
        _line(el, line, f"{xml_id(block.id)}_l{i}", page)
    _text_equiv(el, block.text, block.confidence)
    style = {}
    if block.text_height > 0:
        style["fontSize"] = f"{block.text_height * 72 / page_dpi(page):.2f}"
    if block.inverted:
        style["reverseVideo"] = "true"
    if style:
        _sub(el, "TextStyle", **style)


def _line(parent: etree._Element, line: Line, line_id: str, page: Page) -> None:
    el = _sub(parent, "TextLine", id=line_id)
    if line.hyphenated:
        el.set("custom", write_custom({"hyphenated": {"value": "true"}}))
    _coords(el, line.polygon, page)
    for j, word in enumerate(line.words, 1):
        w = _sub(el, "Word", id=f"{line_id}_w{j}")
        _coords(w, word.polygon, page)
        _text_equiv(w, word.text, word.confidence)
    _text_equiv(el, line.text, line.confidence)


def _text_equiv(parent: etree._Element, text: str, confidence: float) -> None:
    _sub(_sub(parent, "TextEquiv", conf=f"{clamp01(confidence):.4f}"), "Unicode", text)
