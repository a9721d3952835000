"""PaddleOCR's PP-OCR models through ONNX Runtime, as shipped inside the `rapidocr` wheel.

Nothing is downloaded: the model files are looked up in the wheel's own `models` folder and a
missing one is an error that names it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from .base import EngineUnavailable, Recognition


def models_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


class RapidOCREngine:
    name = "rapidocr"

    def __init__(self, settings: dict[str, Any], threads: int = 0) -> None:
        from rapidocr import RapidOCR

        paths = {}
        for key in ("det_model", "rec_model"):
            path = models_dir() / settings[key]
            if not path.is_file():
                raise EngineUnavailable(
                    f"rapidocr model file missing: {path} (reinstall the rapidocr wheel, which ships it)"
                )
            paths[key] = str(path)
        params = {
            "Global.log_level": "error",
            "Global.use_cls": False,
            "Det.model_path": paths["det_model"],
            "Det.box_thresh": settings.get("box_threshold", 0.5),
            "Det.unclip_ratio": settings.get("unclip_ratio", 1.6),
            "Rec.model_path": paths["rec_model"],
            "Rec.rec_batch_num": settings.get("batch_size", 6),
            "EngineConfig.onnxruntime.intra_op_num_threads": threads if threads > 0 else -1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        ocr = RapidOCR(params=params)
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        # The whole-page call shrinks the page and reads every box; we want the two models
        # on their own: detection over our page image, recognition over our line crops.
        self._detector = ocr._load_det_model()
        self._recognizer = ocr._load_rec_model()

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        result = self._detector(image)
        if result.boxes is None:
            return []
        return [np.asarray(box, dtype=np.float32) for box in result.boxes]

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        from rapidocr.ch_ppocr_rec.typings import TextRecInput

        if not crops:
            return []
        result = self._recognizer(TextRecInput(img=crops))
        return [Recognition(text, float(score)) for text, score in zip(result.txts, result.scores)]
