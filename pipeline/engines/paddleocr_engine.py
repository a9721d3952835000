"""PaddleOCR 3 (the `paddleocr` package, PaddleX underneath) on ONNX Runtime, fully offline.

Its text detection and text recognition predictors are used on their own, like the rapidocr
engine's models: detection over our page tiles, recognition over our line crops, so every line
stays inside the layout's blocks. No document orientation, unwarping or text-line orientation
model is loaded. The model folders are made from the ONNX files the rapidocr wheel ships
(`paddle_models.py`), and PaddleX's cache is pointed at the same cache folder, so nothing is
downloaded and nothing is written to the user's home.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from .base import EngineUnavailable, Recognition
from .paddle_models import default_cache_dir, model_dir


class PaddleOCREngine:
    name = "paddleocr"

    def __init__(self, settings: dict[str, Any], threads: int = 0) -> None:
        cache = default_cache_dir()
        det_dir = model_dir(settings["det_model"], cache)
        rec_dir = model_dir(settings["rec_model"], cache)
        # Read by PaddleX when it is imported: its cache goes to ours, no model-hub check, and
        # PaddleOCR leaves the logging set-up to us.
        os.environ.setdefault("PADDLE_PDX_CACHE_HOME", str(cache / "paddlex"))
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        os.environ.setdefault("PADDLEOCR_DISABLE_AUTO_LOGGING_CONFIG", "1")
        try:
            from paddleocr import TextDetection, TextRecognition
        except ImportError as e:
            raise EngineUnavailable(
                f"the paddleocr engine needs the Python package paddleocr ({e}): pip install 'broadsheet[paddleocr]'"
            ) from None
        runtime = {"intra_op_num_threads": threads if threads > 0 else None, "inter_op_num_threads": 1}
        common = {"engine": "onnxruntime", "device": "cpu", "engine_config": runtime}
        self.batch_size = int(settings.get("batch_size", 6))
        self._detector = TextDetection(
            model_name=settings["det_model"],
            model_dir=str(det_dir),
            limit_side_len=736,
            limit_type="min",
            box_thresh=settings.get("box_threshold", 0.5),
            unclip_ratio=settings.get("unclip_ratio", 1.6),
            **common,
        )
        self._recognizer = TextRecognition(model_name=settings["rec_model"], model_dir=str(rec_dir), **common)

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        (result,) = self._detector.predict(image, batch_size=1)
        return [np.asarray(poly, dtype=np.float32) for poly in result["dt_polys"]]

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        if not crops:
            return []
        # Batches of similar widths: a batch is padded to its widest crop.
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
        results = self._recognizer.predict([crops[i] for i in order], batch_size=self.batch_size)
        out: list[Recognition] = [Recognition("", 0.0)] * len(crops)
        for i, result in zip(order, results):
            out[i] = Recognition(str(result["rec_text"]), float(result["rec_score"]))
        return out
