"""Reading ALTO (v2 to v4, ours or another tool's) back into the page model.

Our own files give back kinds, articles, direction, type sizes and the reading order. Files from
other tools have what they have: blocks without a kind tag are body text, illustrations photos,
graphical elements rules; without a ReadingOrder the text blocks are read in document order.
"""

from __future__ import annotations

import json
from statistics import mean

from lxml import etree

from ..dehyphenate import join_pair
from ..model import Block, BlockKind, Direction, Line, Page, Polygon, Word, bbox_of, rect_polygon
from .xmlcommon import (DEFAULT_DPI, SOFTWARE, child, children, kind_from_label, local, parse_points, parse_xml,
                        checked, unusable_as)

# ALTO measurement units in inches, to turn them into pixels where the resolution is known.
UNIT_INCHES = {"mm10": 1 / 254, "inch1200": 1 / 1200}
BLOCKS = {"TextBlock": BlockKind.BODY, "Illustration": BlockKind.PHOTO, "GraphicalElement": BlockKind.SEPARATOR}


def read_alto(data: bytes | str | etree._Element, dpi: float | None = None) -> Page:
    """The first page of an ALTO file (its bytes, text, or its parsed root element) as a Page.
    `dpi` is needed only for files measured in mm10 or inch1200 rather than pixels."""
    root = data if isinstance(data, etree._Element) else parse_xml(data)
    if local(root) != "alto":
        raise ValueError(f"not an ALTO file: root element is <{local(root)}>")
    with unusable_as("ALTO"):
        return checked(_Reader(root, dpi).page(), "ALTO")


class _Reader:
    def __init__(self, root: etree._Element, dpi: float | None):
        self.root = root
        self.metadata = self._settings()
        unit = (self._text("Description", "MeasurementUnit") or "pixel").strip()
        if unit != "pixel" and (unit not in UNIT_INCHES or dpi is None):
            raise ValueError(f"ALTO measured in {unit!r}: pass the scan's dpi to convert mm10 or inch1200 to pixels")
        self.scale = 1.0 if unit == "pixel" else UNIT_INCHES[unit] * float(dpi)
        self.font_dpi = float(self.metadata.pop("font_size_dpi", 0) or dpi or DEFAULT_DPI)
        self.tags = {el.get("ID"): (local(el), el.get("TYPE") or "", el.get("LABEL") or "")
                     for el in root.iter() if local(el).endswith("Tag")}
        self.sizes = {el.get("ID"): float(el.get("FONTSIZE")) for el in root.iter()
                      if local(el) == "TextStyle" and el.get("FONTSIZE")}
        # Files that write SP at all are taken at their word; others get spaces between Latin words.
        self.has_sp = any(local(el) == "SP" for el in root.iter())
        self.ids = 0

    def _text(self, *path: str) -> str | None:
        el = self.root
        for name in path:
            el = child(el, name) if el is not None else None
        return el.text if el is not None else None

    def _settings(self) -> dict:
        """Our own processing step's settings (the pipeline's measurements) and the image name."""
        meta: dict = {}
        for step in self.root.iter():
            software = child(step, "processingSoftware") if local(step) == "Processing" else None
            name = child(software, "softwareName") if software is not None else None
            settings = child(step, "processingStepSettings")
            if name is not None and name.text == SOFTWARE and settings is not None and settings.text:
                try:
                    values = json.loads(settings.text)
                except ValueError:
                    continue  # settings written by hand or another version: nothing of ours to read
                meta.update(values if isinstance(values, dict) else {})
        source = self._text("Description", "sourceImageInformation", "fileName")
        if source:
            meta["source"] = source.strip()
        return meta

    def page(self) -> Page:
        layout = child(self.root, "Layout")
        pg = child(layout, "Page") if layout is not None else None
        if pg is None:
            raise ValueError("ALTO file without Layout/Page")
        blocks = [self._block(el) for el in pg.iter() if local(el) in BLOCKS]
        width, height = self._size(pg, blocks)
        page = Page(id=pg.get("ID") or "page", width=width, height=height, blocks=blocks, metadata=self.metadata)
        self._order(page)
        return page

    def _size(self, pg: etree._Element, blocks: list[Block]) -> tuple[int, int]:
        if pg.get("WIDTH") and pg.get("HEIGHT"):
            return round(float(pg.get("WIDTH")) * self.scale), round(float(pg.get("HEIGHT")) * self.scale)
        boxes = [b.bbox for b in blocks]
        return max((b[2] for b in boxes), default=0), max((b[3] for b in boxes), default=0)

    def _polygon(self, el: etree._Element) -> Polygon:
        shape = child(el, "Shape")
        poly = child(shape, "Polygon") if shape is not None else None
        if poly is not None and poly.get("POINTS"):
            return [(x * self.scale, y * self.scale) for x, y in parse_points(poly.get("POINTS"))]
        x, y = float(el.get("HPOS", 0)), float(el.get("VPOS", 0))
        w, h = float(el.get("WIDTH", 0)), float(el.get("HEIGHT", 0))
        return [(round(px * self.scale, 1), round(py * self.scale, 1)) for px, py in rect_polygon(x, y, x + w, y + h)]

    def _block(self, el: etree._Element) -> Block:
        tags = [self.tags.get(ref, ("", "", "")) for ref in (el.get("TAGREFS") or "").split()]
        kind = BLOCKS[local(el)]
        if kind is BlockKind.BODY:  # a text block's kind from its tags; pictures and rules stay what they are
            labelled = [kind_from_label(label) for _, tag_type, label in tags if tag_type != "article"]
            kind = next((k for k in labelled if k is not None and k.has_text), kind)
        article = next((label for _, tag_type, label in tags if tag_type == "article"), None)
        size = next((self.sizes[s] for s in (el.get("STYLEREFS") or "").split() if s in self.sizes), 0.0)
        self.ids += 1
        return Block(
            id=el.get("ID") or f"b{self.ids}",
            kind=kind,
            polygon=self._polygon(el),
            lines=[self._line(ln) for ln in children(el, "TextLine")],
            article=article,
            direction=Direction.VERTICAL if el.get("BASEDIRECTION") in ("ttb", "btt") else Direction.HORIZONTAL,
            text_height=round(size * self.font_dpi / 72, 1),
            inverted=any(label == "inverted" for name, _, label in tags if name == "LayoutTag"),
        )

    def _line(self, el: etree._Element) -> Line:
        polygon = self._polygon(el)
        words: list[Word] = []
        text, spaced, hyphen = "", False, ""
        for part in el:
            name = local(part)
            if name == "String":
                content = part.get("CONTENT", "")
                if words:
                    text += " " if spaced else ("" if self.has_sp else join_pair(text, content))
                text += content
                words.append(Word(content, self._polygon(part), float(part.get("WC", 1.0))))
                spaced = False
            elif name == "SP":
                spaced = True
            elif name == "HYP":
                hyphen = part.get("CONTENT", "-")
        if hyphen and words:
            words[-1].text += hyphen
        confidence = round(mean(w.confidence for w in words), 4) if words else 0.0
        # One String covering the whole line is the line itself, not a word the engine found.
        if len(words) == 1 and _near(bbox_of(words[0].polygon), bbox_of(polygon)):
            words = []
        return Line(text=text + hyphen, polygon=polygon, confidence=confidence, words=words, hyphenated=bool(hyphen))

    def _order(self, page: Page) -> None:
        """Reading order and articles from the first ReadingOrder group, else document order."""
        text_ids = {b.id for b in page.blocks if b.kind.has_text}
        ro = child(self.root, "ReadingOrder")
        groups = [g for g in ro if local(g) in ("OrderedGroup", "UnorderedGroup")] if ro is not None else []
        if not groups:
            page.reading_order = [b.id for b in page.blocks if b.kind.has_text]
            return
        articles: dict[str, str] = {}
        order: list[str] = []

        def walk(group: etree._Element, article: str | None) -> None:
            for el in group:
                if local(el) == "ElementRef":
                    for ref in el.get("REF", "").split():
                        if ref in text_ids and ref not in order:
                            order.append(ref)
                            if article is not None:
                                articles[ref] = article
                elif local(el) in ("OrderedGroup", "UnorderedGroup"):
                    walk(el, self._group_label(el))

        walk(groups[0], None)
        page.reading_order = order
        for b in page.blocks:
            if b.article is None and b.id in articles:
                b.article = articles[b.id]

    def _group_label(self, group: etree._Element) -> str:
        for ref in (group.get("TAGREFS") or "").split():
            _, kind_type, label = self.tags.get(ref, ("", "", ""))
            if kind_type == "article":
                return label
        return group.get("ID", "")


def _near(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return all(abs(p - q) <= 1 for p, q in zip(a, b))
