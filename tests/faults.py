"""Fault injection for the batch tests: OCR engines that fail the ways real ones do.

`process_with_faults` is the real page function, except that a page whose name starts with
`fault-<kind>` is read with a faulty engine in place of the real one (its OCR stage calls it):

- `fault-raise`: the engine raises, as a model given an input it can't handle does;
- `fault-hang`:  the engine never returns, as a deadlocked thread pool does;
- `fault-kill`:  the worker is killed by SIGKILL mid-page, exactly what the kernel's OOM killer does;
- `fault-bloat`: the engine takes 2 GB and keeps it, as a leak or an oversized page does.

It lives in a module (not a test) so the spawned worker processes can import it by name.
"""

from __future__ import annotations

import os
import signal
import time
from unittest import mock

import numpy as np

from pipeline.process import process_page


class _FaultyEngine:
    name = "faulty"

    def __init__(self, kind: str):
        self.kind = kind
        self.hoard: list[np.ndarray] = []

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        if self.kind == "raise":
            raise RuntimeError("the model rejected its input (injected fault)")
        if self.kind == "hang":
            time.sleep(3600)
        if self.kind == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if self.kind == "bloat":
            self.hoard.append(np.ones(2 * 2**30 // 8))  # 2 GB, every page touched
            time.sleep(3600)
        return []

    def recognize(self, crops: list[np.ndarray]) -> list:
        return []


def process_with_faults(image, cfg, page_id="page"):
    if page_id.startswith("fault-"):
        engine = _FaultyEngine(page_id.split("-")[1])
        with mock.patch("pipeline.ocr.get_engine", return_value=engine):
            return process_page(image, cfg, page_id=page_id)
    return process_page(image, cfg, page_id=page_id)
