"""Intermediate images for a person to look at (`broadsheet run --debug-images DIR`).

The one place a stage may write a file: only when the `debug.images` setting names a folder,
and only through this helper, so stages stay page → page functions otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np


def debug_folder(cfg: dict[str, Any]) -> Path | None:
    folder = cfg.get("debug", {}).get("images")
    return Path(folder) if folder else None


def save_image(cfg: dict[str, Any], page_id: str, step: str, image: np.ndarray) -> None:
    """Write `image` as DIR/<page id>.<step>.png when debug images are on; else do nothing."""
    folder = debug_folder(cfg)
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(folder / f"{page_id}.{step}.png"), image)
