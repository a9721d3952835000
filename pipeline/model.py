"""The page as data: Page → Block → Line → Word.

This is the ground floor of the house: every stage imports it, it imports nothing of ours.
All coordinates are pixels of the *input* image (x right, y down). Stages that work on a
transformed (deskewed, cropped) image map their results back through `Page.to_input`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

Point = tuple[float, float]
Polygon = list[Point]
BBox = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive)


class BlockKind(str, Enum):
    SECTION = "section"  # section label ("■服务在身边"), often in reverse type
    KICKER = "kicker"  # small line above a headline
    HEADLINE = "headline"
    SUBHEAD = "subhead"
    LEAD = "lead"  # the article's opening paragraph, set apart from the body
    BODY = "body"
    CAPTION = "caption"
    DROP_CAP = "dropcap"  # an article's first letter set large beside its first lines (joined to them after OCR)
    PHOTO = "photo"  # photos and halftones: kept as blocks, never OCR'd
    SEPARATOR = "separator"  # rules between columns and articles
    HEADER = "header"
    FOOTER = "footer"

    @property
    def has_text(self) -> bool:
        return self not in (BlockKind.PHOTO, BlockKind.SEPARATOR)


class Direction(str, Enum):
    HORIZONTAL = "horizontal"  # lines left to right, stacked top to bottom
    VERTICAL = "vertical"  # lines top to bottom, stacked right to left


def bbox_of(polygon: Polygon) -> BBox:
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    return (int(np.floor(min(xs))), int(np.floor(min(ys))), int(np.ceil(max(xs))), int(np.ceil(max(ys))))


def rect_polygon(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _round_polygon(polygon: Polygon) -> Polygon:
    return [(round(float(x), 1), round(float(y), 1)) for x, y in polygon]


@dataclass
class Word:
    text: str
    polygon: Polygon
    confidence: float = 1.0

    @property
    def bbox(self) -> BBox:
        return bbox_of(self.polygon)


@dataclass
class Line:
    text: str
    polygon: Polygon
    confidence: float = 0.0
    words: list[Word] = field(default_factory=list)
    # Set by dehyphenation: the line ends in a hyphen that joins with the next line's first word.
    hyphenated: bool = False

    @property
    def bbox(self) -> BBox:
        return bbox_of(self.polygon)


@dataclass
class Block:
    id: str
    kind: BlockKind
    polygon: Polygon
    lines: list[Line] = field(default_factory=list)
    article: str | None = None
    direction: Direction = Direction.HORIZONTAL
    confidence: float = 1.0
    # Typical height of the block's text in input pixels (its type size), measured by layout.
    text_height: float = 0.0
    # White text on a dark ground (section labels, some kickers).
    inverted: bool = False

    @property
    def bbox(self) -> BBox:
        return bbox_of(self.polygon)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Page:
    """One page and everything the stages found on it.

    `image` (the working image) and `transform` exist only while the page goes through the
    stages; they are not serialized. `transform` is the 2×3 affine matrix mapping input-image
    coordinates to working-image coordinates.
    """

    id: str
    width: int
    height: int
    blocks: list[Block] = field(default_factory=list)
    # Reading order as data: block ids, first to last. Blocks without text are left out.
    reading_order: list[str] = field(default_factory=list)
    # What the stages measured (skew angle, scale, …) and how long each took.
    metadata: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    image: np.ndarray | None = field(default=None, repr=False, compare=False)
    transform: np.ndarray | None = field(default=None, repr=False, compare=False)

    # -- coordinates -------------------------------------------------------------------------
    def _matrix(self) -> np.ndarray:
        m = np.eye(3)
        if self.transform is not None:
            m[:2] = self.transform
        return m

    def to_working(self, polygon: Polygon) -> Polygon:
        pts = np.hstack([np.asarray(polygon, float), np.ones((len(polygon), 1))])
        return [tuple(p) for p in (pts @ self._matrix().T)[:, :2]]

    def to_input(self, polygon: Polygon) -> Polygon:
        pts = np.hstack([np.asarray(polygon, float), np.ones((len(polygon), 1))])
        return _round_polygon([tuple(p) for p in (pts @ np.linalg.inv(self._matrix()).T)[:, :2]])

    # -- queries -----------------------------------------------------------------------------
    def block(self, block_id: str) -> Block:
        for b in self.blocks:
            if b.id == block_id:
                return b
        raise KeyError(block_id)

    def ordered_blocks(self) -> list[Block]:
        """Text blocks in reading order (all text blocks, in list order, if no order is set)."""
        if not self.reading_order:
            return [b for b in self.blocks if b.kind.has_text]
        by_id = {b.id: b for b in self.blocks}
        return [by_id[i] for i in self.reading_order if i in by_id]

    def articles(self) -> list[tuple[str, list[Block]]]:
        """Articles in reading order, each with its blocks in reading order."""
        groups: dict[str, list[Block]] = {}
        for b in self.ordered_blocks():
            groups.setdefault(b.article or b.id, []).append(b)
        return list(groups.items())

    # -- serialization -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "width": self.width,
            "height": self.height,
            "reading_order": list(self.reading_order),
            "metadata": self.metadata,
            "timings": self.timings,
            "blocks": [_block_to_dict(b) for b in self.blocks],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Page:
        return cls(
            id=d["id"],
            width=int(d["width"]),
            height=int(d["height"]),
            blocks=[_block_from_dict(b) for b in d.get("blocks", [])],
            reading_order=list(d.get("reading_order", [])),
            metadata=dict(d.get("metadata", {})),
            timings=dict(d.get("timings", {})),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Page:
        return cls.from_dict(json.loads(text))


def _polygon_to_list(polygon: Polygon) -> list[list[float]]:
    return [[float(x), float(y)] for x, y in polygon]


def _polygon_from_list(points: list[list[float]]) -> Polygon:
    return [(float(x), float(y)) for x, y in points]


def _word_to_dict(w: Word) -> dict[str, Any]:
    return {"text": w.text, "polygon": _polygon_to_list(w.polygon), "confidence": w.confidence}


def _line_to_dict(line: Line) -> dict[str, Any]:
    return {
        "text": line.text,
        "polygon": _polygon_to_list(line.polygon),
        "confidence": line.confidence,
        "hyphenated": line.hyphenated,
        "words": [_word_to_dict(w) for w in line.words],
    }


def _block_to_dict(b: Block) -> dict[str, Any]:
    return {
        "id": b.id,
        "kind": b.kind.value,
        "article": b.article,
        "direction": b.direction.value,
        "polygon": _polygon_to_list(b.polygon),
        "bbox": list(b.bbox),
        "confidence": b.confidence,
        "text_height": b.text_height,
        "inverted": b.inverted,
        "lines": [_line_to_dict(line) for line in b.lines],
    }


def _block_from_dict(d: dict[str, Any]) -> Block:
    return Block(
        id=d["id"],
        kind=BlockKind(d["kind"]),
        polygon=_polygon_from_list(d["polygon"]),
        article=d.get("article"),
        direction=Direction(d.get("direction", "horizontal")),
        confidence=float(d.get("confidence", 1.0)),
        text_height=float(d.get("text_height", 0.0)),
        inverted=bool(d.get("inverted", False)),
        lines=[
            Line(
                text=ld["text"],
                polygon=_polygon_from_list(ld["polygon"]),
                confidence=float(ld.get("confidence", 0.0)),
                hyphenated=bool(ld.get("hyphenated", False)),
                words=[
                    Word(text=w["text"], polygon=_polygon_from_list(w["polygon"]), confidence=float(w["confidence"]))
                    for w in ld.get("words", [])
                ],
            )
            for ld in d.get("lines", [])
        ],
    )


__all__ = [
    "BBox",
    "Block",
    "BlockKind",
    "Direction",
    "Line",
    "Page",
    "Point",
    "Polygon",
    "Word",
    "bbox_of",
    "rect_polygon",
]
