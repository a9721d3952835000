"""One page through the five stages: the single entry point every front end uses."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .cleanup import cleanup
from .dehyphenate import dehyphenate
from .layout import analyze_layout
from .model import Page
from .ocr import recognize_page
from .order import order_page

STAGES = (cleanup, analyze_layout, recognize_page, order_page, dehyphenate)


def process_page(image: np.ndarray, cfg: dict[str, Any], page_id: str = "page") -> Page:
    """Read a page image (as loaded, BGR or grey) into an ordered page model."""
    start = time.perf_counter()
    page = Page(id=page_id, width=int(image.shape[1]), height=int(image.shape[0]), image=image)
    for stage in STAGES:
        page = stage(page, cfg)
    page.image = None  # the working image is large and no output needs it
    page.timings["total"] = round(time.perf_counter() - start, 3)
    return page
