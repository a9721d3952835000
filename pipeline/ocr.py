"""OCR: detect text lines once over the page, cut them at the layout's gutters, read the pieces.

Detection runs on the whole (cleaned) page, scaled so body text is the detector's favourite
size and tiled where the page is large. A detected line may run across a narrow gutter into
the next column; intersecting it with the layout's blocks cuts it there, so every line lies in
one block. The pieces are then recognized as line crops in batches.

An engine that reads whole blocks (Tesseract) is instead given each text block's image and
finds the lines in it itself; its line and word boxes are mapped back to the page.
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

import cv2
import numpy as np

from .drop_caps import attach_drop_caps, cap_image, painted_out
from .engines import BlockEngine, Engine, get_engine
from .lexicon import correct_page
from .model import Block, BlockKind, Direction, Line, Page, Word, rect_polygon
from .vertical_text import GlyphGrid, glyph_grid, upright_line, vertical_lines

Box = tuple[float, float, float, float]
LEVEL = 0.005  # a slope below this (0.3°) is level: the crop is not turned


class LineBox(NamedTuple):
    """A detected line: its axis-aligned box in working pixels and the slope of its baseline
    (dy/dx). The page is levelled, but a column pasted up askew leans on its own: its lines
    are turned level one by one when they are cropped."""

    x0: float
    y0: float
    x1: float
    y1: float
    slope: float = 0.0

    def thickness(self) -> float:
        """The line's own height, without the rise its slope adds to the box."""
        height = self.y1 - self.y0
        return max(0.5 * height, height - (self.x1 - self.x0) * abs(self.slope))

    def piece(self, x0: float, x1: float) -> LineBox:
        """The part of the line between x0 and x1, its box fitted to the slanted line there."""
        xc, yc, half = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2, self.thickness() / 2
        ya, yb = yc + (x0 - xc) * self.slope, yc + (x1 - xc) * self.slope
        return LineBox(x0, max(self.y0, min(ya, yb) - half), x1, min(self.y1, max(ya, yb) + half), self.slope)


def _union(a: LineBox, b: LineBox) -> LineBox:
    """One box around both; the slope of the longer."""
    slope = a.slope if a.x1 - a.x0 >= b.x1 - b.x0 else b.slope
    return LineBox(min(a.x0, b.x0), min(a.y0, b.y0), max(a.x1, b.x1), max(a.y1, b.y1), slope)


def _slope(quad: np.ndarray) -> float:
    """The slope of a detected quad's long sides (corners clockwise from the top left)."""
    q = np.asarray(quad, dtype=np.float64)
    dx, dy = (q[1] - q[0] + q[2] - q[3]) / 2
    if dx <= 0 or abs(dy) >= dx:  # not a horizontal line
        return 0.0
    return float(np.clip(dy / dx, -0.2, 0.2))


def detection_scale(text_height: float, cfg: dict[str, Any]) -> float:
    return float(min(cfg["max_scale"], cfg["target_text_height"] / max(text_height, 1.0)))


def _tiles(length: int, tile: int, overlap: int) -> list[int]:
    """Tile origins covering `length`; the last tile may run past the end (it is padded)."""
    step = tile - overlap
    return list(range(0, max(1, length - overlap), step))


def _same_row(a: Box, b: Box, share: float) -> bool:
    """Two boxes of one line of text: one lies (almost) inside the other (a piece of it seen
    again in the next tile), or within the rows of the other, which is a line, or their rows
    overlap by `share` of the lower one's height and neither is much taller than the other.
    (A detector sometimes also returns a tall thin box down the first glyphs of several lines;
    joined with each, it would make them one.)"""
    ha, hb = a[3] - a[1], b[3] - b[1]
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    overlap_x = min(a[2], b[2]) - max(a[0], b[0])
    smaller = min(ha * (a[2] - a[0]), hb * (b[2] - b[0]))
    if overlap > 0 and overlap_x > 0 and overlap * overlap_x >= 0.8 * smaller:
        return True
    tall = a if ha >= hb else b
    if overlap >= 0.9 * min(ha, hb) and tall[2] - tall[0] > 2 * max(ha, hb):
        return True  # a small mark (a headline's quote) within the rows of a line beside it
    return overlap > share * min(ha, hb) and max(ha, hb) <= 1.6 * min(ha, hb)


def merge_boxes(boxes: list[LineBox]) -> list[LineBox]:
    """Union boxes that are the same line seen twice (tile overlaps): same rows, touching.

    A sweep from top to bottom compares each box only with the boxes still open at its top.
    """
    done: list[LineBox] = []
    active: list[LineBox] = []
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        done.extend(b for b in active if b[3] <= box[1])
        active = [b for b in active if b[3] > box[1]]
        for i, other in enumerate(active):
            overlap_x = min(box[2], other[2]) - max(box[0], other[0])
            height = min(box[3] - box[1], other[3] - other[1])
            if _same_row(box, other, 0.7) and overlap_x > -0.1 * height:
                active[i] = _union(LineBox(*box), LineBox(*other))
                break
        else:
            active.append(box)
    return done + active


def detect_lines(engine: Engine, grey: np.ndarray, scale: float, cfg: dict[str, Any]) -> list[LineBox]:
    """Line boxes in working-image pixels, each with its slope.

    The page is detected in fixed-size tiles, white-padded at the edges: ONNX Runtime plans
    each new input shape afresh, so one shape for every tile of every page is faster than
    whole pages of varying size. Lines cut by a tile edge are joined again by `merge_boxes`.
    """
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    h, w = small.shape
    tile, overlap = cfg["tile"], cfg["tile_overlap"]
    boxes: list[LineBox] = []
    for ty in _tiles(h, tile, overlap):
        for tx in _tiles(w, tile, overlap):
            piece = np.full((tile, tile), 255, np.uint8)
            part = small[ty : ty + tile, tx : tx + tile]
            if part.min() > 200:
                continue  # blank paper: nothing to find
            piece[: part.shape[0], : part.shape[1]] = part
            for quad in engine.detect(cv2.cvtColor(piece, cv2.COLOR_GRAY2BGR)):
                x0, y0 = quad.min(axis=0)
                x1, y1 = quad.max(axis=0)
                boxes.append(LineBox((x0 + tx) / scale, (y0 + ty) / scale, (x1 + tx) / scale, (y1 + ty) / scale,
                                     _slope(quad)))
    return merge_boxes(boxes)


def assign_to_blocks(lines: list[LineBox], blocks: list[Box], min_width: float) -> dict[int, list[LineBox]]:
    """Cut each line at block edges; each piece goes to the block it lies in.

    A piece belongs to a block when most of its height lies within the block's rows; pieces
    narrower than `min_width` are the slivers a gutter cut leaves and are dropped.
    """
    pieces: dict[int, list[LineBox]] = {}
    for line in lines:
        line = LineBox(*line)
        for i, (bx0, by0, bx1, by1) in enumerate(blocks):
            x0, x1 = max(line.x0, bx0), min(line.x1, bx1)
            if x1 - x0 < min_width:
                continue
            piece = line.piece(x0, x1)
            height = piece.y1 - piece.y0
            overlap_y = min(piece.y1, by1) - max(piece.y0, by0)
            if overlap_y >= 0.5 * min(height, by1 - by0):
                pieces.setdefault(i, []).append(
                    piece._replace(y0=max(piece.y0, by0 - 0.2 * height), y1=min(piece.y1, by1 + 0.2 * height)))
    return {i: _join_rows(p) for i, p in pieces.items()}


def _join_rows(pieces: list[LineBox]) -> list[LineBox]:
    """Pieces of one printed line (a detector that broke at a wide space) become one line."""
    rows: list[LineBox] = []
    for box in sorted(pieces, key=lambda b: ((b[1] + b[3]) / 2, b[0])):
        if rows:
            last = rows[-1]
            if _same_row(box, last, 0.5):
                rows[-1] = _union(box, last)
                continue
        rows.append(box)
    return rows


def crop_line(grey: np.ndarray, box: Box | LineBox, padding: float, invert: bool) -> np.ndarray:
    line = LineBox(*box)
    x0, y0, x1, y1 = line[:4]
    thickness = line.thickness()
    pad = thickness * padding
    h, w = grey.shape
    crop = grey[max(0, int(y0 - pad)) : min(h, int(np.ceil(y1 + pad))), max(0, int(x0 - pad)) : min(w, int(np.ceil(x1 + pad)))]
    if abs(line.slope) > LEVEL and crop.size:
        crop = _levelled(crop, line.slope, thickness + 2 * pad)
    if invert:
        crop = 255 - crop  # reverse type reads best as ordinary dark-on-light text
    return cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)


def _levelled(crop: np.ndarray, slope: float, band: float) -> np.ndarray:
    """A slanted line's crop turned level about its centre, cut down to the line's own band."""
    h, w = crop.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), float(np.degrees(np.arctan(slope))), 1.0)
    level = cv2.warpAffine(crop, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    top = max(0, int(round((h - band) / 2)))
    return level[top : max(top + 1, int(round((h + band) / 2)))]


def _work_box(page: Page, block: Block) -> Box:
    pts = np.asarray(page.to_working(block.polygon))
    return float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max())


def _shifted(box: tuple[float, float, float, float], dx: float, dy: float) -> Box:
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def read_blocks(page: Page, engine: BlockEngine) -> None:
    """Each text block's image to a block engine; its lines and words mapped back to the page."""
    grey = page.image
    h, w = grey.shape
    for block in _blocks_to_read(page):
        bx0, by0, bx1, by1 = _work_box(page, block)
        x0, y0 = max(0, int(np.floor(bx0))), max(0, int(np.floor(by0)))
        x1, y1 = min(w, int(np.ceil(bx1))), min(h, int(np.ceil(by1)))
        block.lines = []
        if x1 - x0 < 3 or y1 - y0 < 3:
            continue
        crop = grey[y0:y1, x0:x1]
        if block.inverted:
            crop = 255 - crop  # reverse type reads best as ordinary dark-on-light text
        for found in engine.read_block(np.ascontiguousarray(crop), vertical=block.direction == Direction.VERTICAL):
            words = [
                Word(word.text, page.to_input(rect_polygon(*_shifted(word.box, x0, y0))), round(word.confidence, 4))
                for word in found.words
            ]
            polygon = page.to_input(rect_polygon(*_shifted(found.box, x0, y0)))
            block.lines.append(Line(text=found.text, polygon=polygon, confidence=round(found.confidence, 4), words=words))
        if block.lines:
            block.confidence = round(float(np.mean([line.confidence for line in block.lines])), 4)


def _line_image(grey: np.ndarray, box: Box, block: Block, grid: GlyphGrid | None, padding: float) -> np.ndarray:
    """The recognizer's image of one line: a crop, or a vertical column's glyphs set upright in a row."""
    if grid is None:
        return crop_line(grey, box, padding, block.inverted)
    line = upright_line(grey, box, grid, block.inverted)
    return cv2.cvtColor(line, cv2.COLOR_GRAY2BGR)


def recognize_page(page: Page, cfg: dict[str, Any]) -> Page:
    """Fill the layout's text blocks with recognized lines; then drop caps join their words and
    the configured letter confusions are corrected."""
    start = time.perf_counter()
    engine = get_engine(cfg)
    original = page.image
    caps = [b for b in page.blocks if b.kind is BlockKind.DROP_CAP]
    if caps:
        # Each drop cap read alone, the rest of the page without it (see drop_caps.py).
        boxes = [_work_box(page, cap) for cap in caps]
        for cap, result in zip(caps, engine.recognize([cap_image(original, box) for box in boxes])):
            letter = result.text.strip()
            cap.lines = [Line(letter, cap.polygon, round(result.confidence, 4))] if letter else []
        page.image = painted_out(original, boxes)
    try:
        if isinstance(engine, BlockEngine):
            read_blocks(page, engine)
        else:
            read_lines(page, engine, cfg["ocr"], start)
    finally:
        page.image = original
    attach_drop_caps(page)
    correct_page(page, cfg)
    page.metadata["engine"] = engine.name
    page.timings["ocr"] = round(time.perf_counter() - start, 3)
    return page


def _blocks_to_read(page: Page) -> list[Block]:
    """The text blocks the engine reads in place (a drop cap is read on its own beforehand)."""
    return [b for b in page.blocks if b.kind.has_text and b.kind is not BlockKind.DROP_CAP]


def read_lines(page: Page, engine: Engine, settings: dict[str, Any], start: float) -> None:
    """Lines detected over the page, cut at the text blocks and recognized in one batch."""
    grey = page.image
    th = float(page.metadata.get("text_height", 20.0))
    scale = detection_scale(th, settings["detection"])
    detected = detect_lines(engine, grey, scale, settings["detection"])
    page.timings["ocr_detect"] = round(time.perf_counter() - start, 3)

    text_blocks = _blocks_to_read(page)
    boxes = [_work_box(page, b) for b in text_blocks]
    pieces = assign_to_blocks(detected, boxes, settings["min_piece"] * th)
    # A block the detector missed entirely (a short headline, a kicker) is read whole if it is
    # one line high.
    for i, (block, box) in enumerate(zip(text_blocks, boxes)):
        if i not in pieces and box[3] - box[1] < 2 * max(block.text_height, th):
            pieces[i] = [LineBox(*box)]
        if block.direction == Direction.VERTICAL:
            pieces[i] = vertical_lines(grey, box, block.text_height or th)

    jobs = [(i, box) for i in sorted(pieces) for box in pieces[i]]
    grids = {i: glyph_grid(grey, pieces[i]) for i in pieces if pieces[i] and text_blocks[i].direction == Direction.VERTICAL}
    crops = [_line_image(grey, box, text_blocks[i], grids.get(i), settings["recognition"]["padding"]) for i, box in jobs]
    rec_start = time.perf_counter()
    results = engine.recognize(crops)
    page.timings["ocr_recognize"] = round(time.perf_counter() - rec_start, 3)

    min_conf = settings["recognition"]["min_confidence"]
    for block in text_blocks:
        block.lines = []
    for (i, box), result in zip(jobs, results):
        text = result.text.strip()
        if not text or result.confidence < min_conf:
            continue
        text_blocks[i].lines.append(
            Line(text=text, polygon=page.to_input(rect_polygon(*box[:4])), confidence=round(result.confidence, 4))
        )
    for block in text_blocks:
        if block.lines:
            block.confidence = round(float(np.mean([line.confidence for line in block.lines])), 4)
    page.metadata["detection_scale"] = round(scale, 3)
