"""OCR engines behind one small interface, chosen by name in the settings (`ocr.engine`).

An engine is loaded once per process and kept: model loading costs more than a page.
"""

from __future__ import annotations

from typing import Any

from .base import Engine, EngineUnavailable, Recognition

_LOADED: dict[tuple[str, str], Engine] = {}


def _factories() -> dict[str, Any]:
    # Imported lazily: an engine's own dependencies load only when that engine is asked for.
    def rapidocr(settings: dict[str, Any], threads: int) -> Engine:
        from .rapidocr_engine import RapidOCREngine

        return RapidOCREngine(settings, threads)

    return {"rapidocr": rapidocr}


def available_engines() -> list[str]:
    return sorted(_factories())


def get_engine(cfg: dict[str, Any]) -> Engine:
    """The configured engine, loaded on first use and cached for the life of the process."""
    name = cfg["ocr"]["engine"]
    factories = _factories()
    if name not in factories:
        raise EngineUnavailable(f"unknown OCR engine '{name}' (available: {', '.join(sorted(factories))})")
    settings = {**cfg["engines"].get(name, {}), **cfg["ocr"]["detection"], **cfg["ocr"]["recognition"]}
    key = (name, repr(sorted(settings.items())) + repr(cfg["ocr"]["threads"]))
    if key not in _LOADED:
        _LOADED[key] = factories[name](settings, cfg["ocr"]["threads"])
    return _LOADED[key]


__all__ = ["Engine", "EngineUnavailable", "Recognition", "available_engines", "get_engine"]
