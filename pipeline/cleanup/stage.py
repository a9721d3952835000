"""The cleanup stage: each step in turn, as the settings switch them on.

Order matters: paper and light first (everything after thresholds on a white page), then the
printed area (in the input's frame, where a scanner's border touches the image's edge), then
the marks that are not print (show-through, specks), then geometry (line direction, skew,
which way up), then binarization when the engine wants it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np

from .. import debug
from ..engines import get_engine
from ..model import Page
from .background import flatten_background, stretch_contrast, to_grey, whiten_borders
from .binarize import sauvola
from .deskew import compose, measure_skew, quarter_turn, rotate
from .lines import sketch
from .noise import remove_specks
from .orientation import read_orientation
from .showthrough import suppress_show_through

log = logging.getLogger("broadsheet")


def cleanup(page: Page, cfg: dict[str, Any]) -> Page:
    """Greyscale, flatten the paper, paint out show-through and specks, turn the page upright
    and level its lines, whiten what lies outside the print. Needs `page.image` (the input)."""
    settings = cfg["cleanup"]
    engine = get_engine(cfg) if settings["orientation"]["enabled"] else None  # loaded once per process, not timed
    start = time.perf_counter()
    steps: dict[str, float] = {}

    def done(step: str, image: np.ndarray) -> None:
        steps[step] = time.perf_counter()
        debug.save_image(cfg, page.id, f"cleanup-{len(steps)}-{step}", image)

    grey = to_grey(page.image)
    transform = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    done("grey", grey)
    bg = settings["background"]
    if bg["enabled"]:
        grey = flatten_background(grey, bg["cells"], bg["degree"], bg["max_correction"])
        if bg["contrast"]:
            grey = stretch_contrast(grey)
        done("background", grey)

    work_size = settings["deskew"]["work_size"]
    first = sketch(grey, work_size)
    glyph = first.glyph
    if settings["borders"]["enabled"]:  # in the input's frame, where the scanner's border meets the edge
        grey = whiten_borders(grey, first, settings["borders"]["margin"])
        done("borders", grey)
    st = settings["show_through"]
    if st["enabled"]:
        grey = suppress_show_through(grey, glyph, st["core"], st["reach"], st["smooth"])
        done("show-through", grey)
    sp = settings["specks"]
    if sp["enabled"]:
        grey = remove_specks(grey, glyph, sp["size"], sp["isolation"])
        done("specks", grey)

    orient = settings["orientation"]
    turns = 0
    if orient["enabled"] and first.vertical:
        turns = 1  # lines horizontal from here on; the reading check below finishes the job
        grey, m = quarter_turn(grey, turns)
        transform = compose(m, transform)
    deskew = settings["deskew"]
    if deskew["enabled"]:
        angle = measure_skew(grey, deskew["max_angle"], work_size)
        page.metadata["skew_angle"] = -angle  # the page's own tilt, counter-clockwise positive
        if abs(angle) >= deskew["min_angle"]:
            grey, m = rotate(grey, angle)
            transform = compose(m, transform)
        done("deskew", grey)

    if orient["enabled"]:
        level = sketch(grey, work_size)  # lines are level now: their boxes fit them
        found = read_orientation(grey, level.lines, engine, orient["lines"], orient["max_length"],
                                 orient["vertical_text"], orient["margin"], orient["accept"], turned=turns == 1)
        if found.turns:
            grey, m = quarter_turn(grey, found.turns)
            transform = compose(m, transform)
        page.metadata["orientation"] = ((turns + found.turns) % 4) * 90  # counter-clockwise turn applied
        log.debug("%s: orientation %s, vertical type: %s", page.id, found.scores, found.vertical)
        done("orientation", grey)

    binarize = settings["binarize"]
    if cfg["ocr"]["engine"] in binarize["engines"]:
        grey = sauvola(grey, max(15, int(binarize["window"] * glyph)), binarize["k"])
        done("binarize", grey)

    page.metadata["glyph_height"] = round(glyph, 1)
    page.image = grey
    page.transform = transform
    previous = start
    for step, at in steps.items():
        page.timings[f"cleanup_{step}"] = round(at - previous, 3)
        previous = at
    page.timings["cleanup"] = round(time.perf_counter() - start, 3)
    return page
