"""The engine interface: find text lines on an image, read line images."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


class EngineUnavailable(RuntimeError):
    """An engine can't run here: a model file or a program is missing. The message says what."""


@dataclass
class Recognition:
    text: str
    confidence: float


class Engine(Protocol):
    name: str

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text line quadrilaterals (4×2 float arrays, image pixels) on a BGR image."""
        ...

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        """The text of each line image (BGR), in the order given."""
        ...
