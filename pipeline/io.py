"""Reading page images, with errors a person can act on."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".jp2"}


class BadInput(ValueError):
    """A file that can't be read as a page; the message says why in plain words."""


def find_images(inputs: list[Path]) -> list[Path]:
    """Image files named directly, or found (recursively, sorted) in the folders named."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def read_image(path: Path) -> np.ndarray:
    """The page as an 8-bit grey or BGR array. Bytes are read first so any path name works."""
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except FileNotFoundError:
        raise BadInput("file not found") from None
    except PermissionError:
        raise BadInput("permission denied") from None
    except IsADirectoryError:
        raise BadInput("is a folder, not an image") from None
    except OSError as e:
        raise BadInput(f"cannot read the file ({e.strerror or e})") from None
    if data.size == 0:
        raise BadInput("the file is empty (0 bytes)")
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    if image is None:
        raise BadInput("not an image this program can read (damaged, or not JPEG/PNG/TIFF)")
    if image.dtype != np.uint8:
        # 16-bit scans: keep the top 8 bits of the range actually used.
        image = cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    if image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if min(image.shape[:2]) < 32:
        raise BadInput(f"image too small to be a page ({image.shape[1]}×{image.shape[0]} px)")
    return image
