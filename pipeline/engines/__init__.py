"""OCR engines behind one small interface, chosen by name in the settings (`ocr.engine`).

An engine is loaded once per process and kept: model loading costs more than a page.
"""

from __future__ import annotations

from typing import Any

from .base import BlockEngine, Engine, EngineUnavailable, ReadLine, ReadWord, Recognition

_LOADED: dict[tuple[str, str], Engine | BlockEngine] = {}


def _factories() -> dict[str, Any]:
    # Imported lazily: an engine's own dependencies load only when that engine is asked for.
    def rapidocr(settings: dict[str, Any], threads: int) -> Engine:
        from .rapidocr_engine import RapidOCREngine

        return RapidOCREngine(settings, threads)

    def paddleocr(settings: dict[str, Any], threads: int) -> Engine:
        from .paddleocr_engine import PaddleOCREngine

        return PaddleOCREngine(settings, threads)

    def tesseract(settings: dict[str, Any], threads: int) -> BlockEngine:
        from .tesseract_engine import TesseractEngine

        return TesseractEngine(settings, threads)

    return {"rapidocr": rapidocr, "paddleocr": paddleocr, "tesseract": tesseract}


def available_engines() -> list[str]:
    return sorted(_factories())


def get_engine(cfg: dict[str, Any]) -> Engine | BlockEngine:
    """The configured engine, loaded on first use and cached for the life of the process.

    It is given the shared detection and recognition settings with its own section
    (`engines.<name>`) over them: an engine's own setting wins.
    """
    name = cfg["ocr"]["engine"]
    factories = _factories()
    if name not in factories:
        raise EngineUnavailable(f"unknown OCR engine '{name}' (available: {', '.join(sorted(factories))})")
    settings = {**cfg["ocr"]["detection"], **cfg["ocr"]["recognition"], **cfg["engines"].get(name, {})}
    key = (name, repr(sorted(settings.items())) + repr(cfg["ocr"]["threads"]))
    if key not in _LOADED:
        _LOADED[key] = factories[name](settings, cfg["ocr"]["threads"])
    return _LOADED[key]


__all__ = [
    "BlockEngine", "Engine", "EngineUnavailable", "ReadLine", "ReadWord", "Recognition", "available_engines",
    "get_engine",
]
