"""Reading page images, with errors a person can act on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

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


def _to_array(image: Image.Image) -> np.ndarray:
    """8-bit grey or BGR, whatever the file's mode (bilevel, palette, 16-bit, CMYK, alpha)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        data = np.asarray(image, dtype=np.float64)
        lo, hi = float(data.min()), float(data.max())
        return ((data - lo) * (255.0 / max(hi - lo, 1.0))).astype(np.uint8)
    if image.mode in ("1", "L", "LA", "P") and (image.mode != "P" or _palette_is_grey(image)):
        return np.asarray(image.convert("L"))
    rgb = np.asarray(image.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _palette_is_grey(image: Image.Image) -> bool:
    palette = np.asarray(image.getpalette() or [], dtype=np.int32).reshape(-1, 3)
    return bool(len(palette)) and bool((palette.max(axis=1) - palette.min(axis=1)).max() == 0)


def read_image(path: Path) -> np.ndarray:
    """The page as an 8-bit grey or BGR array, turned upright by its EXIF orientation."""
    try:
        with Image.open(path) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            array = _to_array(image)
    except FileNotFoundError:
        raise BadInput("file not found") from None
    except PermissionError:
        raise BadInput("permission denied") from None
    except IsADirectoryError:
        raise BadInput("is a folder, not an image") from None
    except Image.DecompressionBombError:
        raise BadInput("image is larger than the pixel limit (possibly a decompression bomb)") from None
    except UnidentifiedImageError:
        if path.stat().st_size == 0:
            raise BadInput("the file is empty (0 bytes)") from None
        raise BadInput("not an image this program can read (not JPEG, PNG or TIFF, or damaged)") from None
    except (OSError, SyntaxError, ValueError) as e:
        raise BadInput(f"the image is damaged or truncated ({e})") from None
    if min(array.shape[:2]) < 32:
        raise BadInput(f"image too small to be a page ({array.shape[1]}×{array.shape[0]} px)")
    return array
