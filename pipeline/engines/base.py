"""The engine interface: find text lines on an image and read line images, or read whole blocks.

Two kinds of engine, one stage (`pipeline/ocr.py`) drives both:

- a *line* engine (`detect` + `recognize`: rapidocr, paddleocr) has its lines detected once over
  the page, cut at the layout's block edges, and recognized as line crops in batches;
- a *block* engine (`read_block`: tesseract) is given each of the layout's text blocks as an
  image and finds and reads the lines inside it itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the pixels of the image given


class EngineUnavailable(RuntimeError):
    """An engine can't run here: a model file or a program is missing. The message says what."""


@dataclass
class Recognition:
    text: str
    confidence: float


@dataclass
class ReadWord:
    text: str
    box: Box
    confidence: float


@dataclass
class ReadLine:
    """One line a block engine found: its box, text and confidence (0-1), and its words."""

    text: str
    box: Box
    confidence: float
    words: list[ReadWord] = field(default_factory=list)


@runtime_checkable
class Engine(Protocol):
    name: str

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text line quadrilaterals (4×2 float arrays, image pixels) on a BGR image."""
        ...

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        """The text of each line image (BGR), in the order given."""
        ...


@runtime_checkable
class BlockEngine(Protocol):
    name: str

    def read_block(self, image: np.ndarray, vertical: bool = False) -> list[ReadLine]:
        """The lines of one text block (a greyscale image, dark text on light paper) in reading
        order, boxes in the block image's pixels; `vertical`: the block is set in vertical lines."""
        ...
