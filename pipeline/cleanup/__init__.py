"""Cleanup: greyscale, paper, page borders, show-through, specks, orientation, deskew.

The working image becomes a clean, upright greyscale page; `page.transform` records how
input coordinates map onto it, so every later result maps back to the input image.
"""

from __future__ import annotations

from .background import flatten_background, to_grey
from .deskew import measure_skew, rotate
from .stage import cleanup

__all__ = ["cleanup", "flatten_background", "measure_skew", "rotate", "to_grey"]
