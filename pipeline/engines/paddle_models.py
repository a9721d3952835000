"""PaddleOCR model folders made from the PP-OCR ONNX files that the `rapidocr` wheel ships.

PaddleOCR 3 (PaddleX underneath) fetches its models from a model hub at run time, which fails
offline. Given `engine="onnxruntime"` and a local model folder it fetches nothing; the folder
holds `inference.onnx` and an `inference.yml` that names the model and describes its pre- and
post-processing. This module writes those folders from the files already installed:

- detection: PP-OCRv6 small DB detector; PaddleX's own settings for it (BGR input, ImageNet
  mean and deviation, the shorter side at least 736 px, DB post-processing);
- recognition: PP-OCRv6 small CTC recognizer, 48 px high lines; its character list is stored in
  the ONNX file's metadata (`character`) and copied into the yml.

A folder is written once, to a temporary name and renamed into place, so worker processes that
start together never see half a folder; it is rebuilt when the source file changes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .base import EngineUnavailable

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# PaddleX model name → the rapidocr wheel's file for it.
SOURCES = {
    "PP-OCRv6_small_det": "PP-OCRv6_det_small.onnx",
    "PP-OCRv6_small_rec": "PP-OCRv6_rec_small.onnx",
}


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/broadsheet if set, else the project's own .cache folder (never ~/.paddlex)."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "broadsheet" if xdg else PROJECT_ROOT / ".cache"


def _det_config(model_name: str) -> dict[str, Any]:
    return {
        "Global": {"model_name": model_name},
        "PreProcess": {
            "transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"DetResizeForTest": {"limit_side_len": 736, "limit_type": "min"}},
                {"NormalizeImage": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                                    "scale": "1./255.", "order": "hwc"}},
                {"ToCHWImage": None},
            ]
        },
        "PostProcess": {"name": "DBPostProcess", "thresh": 0.3, "box_thresh": 0.6, "max_candidates": 1000,
                        "unclip_ratio": 1.5},
    }


def _rec_config(model_name: str, onnx_file: Path) -> dict[str, Any]:
    import onnxruntime as ort

    session = ort.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    characters = session.get_modelmeta().custom_metadata_map.get("character")
    if not characters:
        raise EngineUnavailable(f"{onnx_file}: the recognition model has no character list in its metadata")
    return {
        "Global": {"model_name": model_name},
        "PreProcess": {
            "transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"RecResizeImg": {"image_shape": [3, 48, 320]}},
            ]
        },
        # PaddleX adds the CTC blank in front and the space at the end itself.
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": characters.split("\n")},
    }


def _stamp(source: Path) -> dict[str, Any]:
    stat = source.stat()
    return {"source": str(source), "size": stat.st_size, "mtime": int(stat.st_mtime)}


def model_dir(model_name: str, cache_dir: Path | None = None) -> Path:
    """The PaddleX model folder for `model_name`, written from the rapidocr wheel if needed."""
    from .rapidocr_engine import models_dir

    if model_name not in SOURCES:
        raise EngineUnavailable(f"no local source for PaddleOCR model '{model_name}' (have: {', '.join(SOURCES)})")
    source = models_dir() / SOURCES[model_name]
    if not source.is_file():
        raise EngineUnavailable(f"model file missing: {source} (reinstall the rapidocr wheel, which ships it)")
    target = (cache_dir or default_cache_dir()) / "paddleocr" / model_name
    stamp = _stamp(source)
    stamp_file = target / "source.json"

    def current() -> bool:
        return stamp_file.is_file() and json.loads(stamp_file.read_text()) == stamp

    if current():
        return target

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{model_name}-", dir=target.parent))
    try:
        shutil.copyfile(source, work / "inference.onnx")
        config = _det_config(model_name) if model_name.endswith("_det") else _rec_config(model_name, source)
        (work / "inference.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
        (work / "source.json").write_text(json.dumps(stamp))
        work.chmod(0o755)
        if current():  # another process got there first
            return target
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)  # stale: made from another source file
        try:
            os.rename(work, target)
        except OSError:
            if not current():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def prepare_all(cache_dir: Path | None = None) -> list[Path]:
    """Write every model folder the paddleocr engine can use (e.g. at install time)."""
    return [model_dir(name, cache_dir) for name in SOURCES]


if __name__ == "__main__":  # python -m pipeline.engines.paddle_models
    for folder in prepare_all():
        print(folder)
