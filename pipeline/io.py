"""Finding and reading pages: image files, pages of TIFFs and PDFs, with errors a person can act on.

Folders are walked lazily (a folder of a million scans starts at once, nothing is listed into
memory first); a file that can't be read raises `BadInput` with the reason in plain words.
"""

from __future__ import annotations

import errno
import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".jp2", ".j2k", ".jpx", ".jpf"}
PDF_SUFFIXES = {".pdf"}
PAGE_SUFFIXES = IMAGE_SUFFIXES | PDF_SUFFIXES
MULTI_PAGE_SUFFIXES = {".tif", ".tiff"} | PDF_SUFFIXES

DEFAULT_MAX_PIXELS = 250_000_000
DEFAULT_MIN_SIDE = 100
DEFAULT_PDF_DPI = 300.0


class BadInput(ValueError):
    """A file that can't be read as a page; the message says why in plain words."""


@dataclass(frozen=True)
class Found:
    """A file found in an input folder, or a part of the folder that could not be read (`problem`)."""

    path: Path
    problem: str = ""


def walk(folder: Path, globs: list[str] | None = None) -> Iterator[Found]:
    """Page files below `folder`, depth first, as the file system lists them (not sorted: sorting
    needs the whole listing first). Symbolic links are followed, but a folder already visited
    is reported rather than entered again (a link loop). Hidden files (`.name`) are left out:
    they are tools' leftovers such as macOS `._scan.tif` and our own partial outputs.
    """
    seen: set[tuple[int, int]] = set()
    stack: list[Path] = [folder]
    while stack:
        current = stack.pop()
        try:
            info = current.stat()
        except OSError as e:
            yield Found(current, _os_reason(e))
            continue
        if (info.st_dev, info.st_ino) in seen:
            yield Found(current, "folder link loop: this folder leads back to one already read; skipped")
            continue
        seen.add((info.st_dev, info.st_ino))
        try:
            entries = os.scandir(current)
        except OSError as e:
            yield Found(current, f"the folder cannot be opened: {_os_reason(e)}")
            continue
        subfolders: list[Path] = []
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = Path(entry.path)
                try:
                    is_dir = entry.is_dir()
                except OSError as e:  # a link that loops onto itself
                    yield Found(path, _os_reason(e))
                    continue
                if is_dir:
                    subfolders.append(path)
                elif _wanted(path, folder, globs):
                    yield Found(path)
        stack.extend(reversed(subfolders))


def _wanted(path: Path, folder: Path, globs: list[str] | None) -> bool:
    if not globs:
        return path.suffix.lower() in PAGE_SUFFIXES
    rel = PurePosixPath(path.relative_to(folder).as_posix())
    return any(fnmatch(str(rel), g) or fnmatch(rel.name, g) for g in globs)


def find_images(inputs: list[Path]) -> list[Path]:
    """Page files named directly, or found (recursively, sorted) in the folders named."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found.extend(sorted(f.path for f in walk(path) if not f.problem))
        else:
            found.append(path)
    return found


def _os_reason(e: OSError) -> str:
    reasons = {
        errno.ENOENT: "file not found (or a link to a file that is gone)",
        errno.EACCES: "cannot be read: permission denied",
        errno.EPERM: "cannot be read: permission denied",
        errno.ELOOP: "symbolic link loop: the link leads back to itself",
        errno.EISDIR: "is a folder, not an image",
        errno.ENAMETOOLONG: "the file name is too long",
        errno.EIO: "input/output error reading the file (a failing disk or network share?)",
    }
    return reasons.get(e.errno, f"cannot be read: {e.strerror or e}")


def page_count(path: Path) -> int:
    """Pages in the file: a PDF's pages, a TIFF's frames, else 1. Reads only the file's structure."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's remarks on damaged tags: the error says it in words
        return _page_count(path)


def _page_count(path: Path) -> int:
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        with _open_pdf(path) as pdf:
            n = len(pdf)
        if n == 0:
            raise BadInput("the PDF has no pages")
        return n
    if suffix in MULTI_PAGE_SUFFIXES:
        with _open_image(path) as image:
            try:
                return int(getattr(image, "n_frames", 1))
            except Exception as e:  # a broken chain of TIFF pages
                raise BadInput(f"the TIFF's list of pages is damaged ({e})") from None
    return 1


def read_page_image(path: Path, index: int | None = None, *, max_pixels: int = DEFAULT_MAX_PIXELS,
                    min_side: int = DEFAULT_MIN_SIDE, pdf_dpi: float = DEFAULT_PDF_DPI) -> tuple[np.ndarray, dict]:
    """Page `index` (0-based; None = the only page) of a file as an 8-bit grey or BGR array, and
    what is known about it (`dpi` for PDF pages). Images are turned upright by their EXIF orientation."""
    if path.suffix.lower() in PDF_SUFFIXES:
        array, info = _render_pdf_page(path, index or 0, max_pixels, pdf_dpi)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's remarks on damaged tags: the error says it in words
            array, info = _read_image_frame(path, index or 0, max_pixels), {}
    if min(array.shape[:2]) < min_side:
        raise BadInput(f"image too small to be a page ({array.shape[1]}×{array.shape[0]} px; "
                       f"the smallest page is {min_side} px a side, limits.min_side)")
    return array, info


def read_image(path: Path) -> np.ndarray:
    """The only (or first) page of an image file, with the default limits."""
    return read_page_image(path)[0]


# -- images ----------------------------------------------------------------------------------------
def _open_image(path: Path) -> Image.Image:
    # The pixel limit is checked on the declared size before any pixel is decoded, with the
    # reason in words (limits.max_pixels); Pillow's own guard would refuse first, in its words.
    Image.MAX_IMAGE_PIXELS = None
    try:
        return Image.open(path)
    except OSError as e:
        if isinstance(e, UnidentifiedImageError):
            raise BadInput(_not_an_image(path)) from None
        raise BadInput(_os_reason(e)) from None
    except Image.DecompressionBombError as e:
        raise BadInput(f"the image is larger than the pixel limit ({e}); possibly a decompression bomb") from None
    except Exception as e:  # Pillow's parsers raise many kinds of error on damaged headers
        raise BadInput(f"the image is damaged ({type(e).__name__}: {e})") from None


def _read_image_frame(path: Path, index: int, max_pixels: int) -> np.ndarray:
    with _open_image(path) as image:
        try:
            if index:
                image.seek(index)
            width, height = image.size
            if width * height > max_pixels:
                raise BadInput(f"the image is {width:,}×{height:,} px ({width * height / 1e6:,.0f} megapixels), "
                               f"above the limit of {max_pixels / 1e6:,.0f} megapixels (limits.max_pixels); "
                               "possibly a decompression bomb")
            image.load()
            return _to_array(ImageOps.exif_transpose(image))
        except BadInput:
            raise
        except MemoryError:
            raise BadInput("not enough memory to decode the image") from None
        except EOFError:
            raise BadInput(f"page {index + 1} is missing: the file ends before it") from None
        except Exception as e:  # a damaged file can make any decoder fail in its own way
            where = f"page {index + 1} of the file" if index else "the image"
            raise BadInput(f"{where} is damaged or cut short ({_short(e)})") from None


def _not_an_image(path: Path) -> str:
    """Why Pillow did not recognize the file, guessed from its first bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError as e:
        return _os_reason(e)
    if not head:
        return "the file is empty (0 bytes)"
    text = head.lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "not an image: it is a web page (HTML) saved under an image name"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "not an image: it is an XML or HTML file saved under an image name"
    try:
        head.decode("utf-8")
        return "not an image: it is a text file saved under an image name"
    except UnicodeDecodeError:
        return "not an image this program can read (not JPEG, PNG, TIFF, JPEG 2000 or PDF, or badly damaged)"


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:160]


def _to_array(image: Image.Image) -> np.ndarray:
    """8-bit grey or BGR, whatever the file's mode (bilevel, palette, 16-bit, CMYK, alpha)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        data = np.asarray(image, dtype=np.float64)
        lo, hi = float(data.min()), float(data.max())
        return ((data - lo) * (255.0 / max(hi - lo, 1.0))).astype(np.uint8)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent parts are paper: flatten onto white rather than onto black.
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode in ("1", "L", "P") and (image.mode != "P" or _palette_is_grey(image)):
        return np.asarray(image.convert("L"))
    rgb = np.asarray(image.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _palette_is_grey(image: Image.Image) -> bool:
    palette = np.asarray(image.getpalette() or [], dtype=np.int32).reshape(-1, 3)
    return bool(len(palette)) and bool((palette.max(axis=1) - palette.min(axis=1)).max() == 0)


# -- PDFs ------------------------------------------------------------------------------------------
def _open_pdf(path: Path):
    import pypdfium2 as pdfium

    try:
        size = path.stat().st_size
    except OSError as e:
        raise BadInput(_os_reason(e)) from None
    if size == 0:
        raise BadInput("the file is empty (0 bytes)")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        reasons = {
            2: "the PDF cannot be opened (not found or not readable)",
            3: "not a PDF this program can read (damaged, or not a PDF at all)",
            4: "the PDF is encrypted (password protected): save an unprotected copy and run it again",
            5: "the PDF's security settings do not allow reading it",
        }
        code = getattr(e, "err_code", None)
        if code == 4 and not _pdf_says(path, rb"/Encrypt\b"):
            # PDFium reports a document whose page tree is empty as a password error too.
            code = None
            if _pdf_says(path, rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\b[^>]*?/Type\s*/Pages\b"):
                raise BadInput("the PDF has no pages") from None
        raise BadInput(reasons.get(code, f"the PDF cannot be read ({_short(e)})")) from None
    except OSError as e:
        raise BadInput(_os_reason(e)) from None


def _pdf_says(path: Path, pattern: bytes, window: int = 1 << 20) -> bool:
    """Whether the first or last megabyte of a PDF (where its catalogue and trailer are) matches."""
    with open(path, "rb") as f:
        head = f.read(window)
        f.seek(max(0, f.seek(0, os.SEEK_END) - window))
        tail = f.read(window)
    return bool(re.search(pattern, head) or re.search(pattern, tail))


def _render_pdf_page(path: Path, index: int, max_pixels: int, dpi: float) -> tuple[np.ndarray, dict]:
    with _open_pdf(path) as pdf:
        if index >= len(pdf):
            raise BadInput(f"page {index + 1} is missing: the PDF has {len(pdf)} pages")
        try:
            page = pdf[index]
            width_pt, height_pt = page.get_size()
            scale = dpi / 72.0
            pixels = width_pt * scale * height_pt * scale
            if pixels > max_pixels:
                raise BadInput(f"page {index + 1} is {width_pt / 72:.0f}×{height_pt / 72:.0f} inches: at {dpi:g} dpi "
                               f"that is {pixels / 1e6:,.0f} megapixels, above the limit of {max_pixels / 1e6:,.0f} "
                               "(limits.max_pixels; lower input.pdf_dpi)")
            # Grey is all the stages use, and a quarter of the memory of BGRA.
            bitmap = page.render(scale=scale, grayscale=True)
            array = np.array(bitmap.to_numpy(), copy=True)
        except BadInput:
            raise
        except Exception as e:
            raise BadInput(f"page {index + 1} of the PDF cannot be rendered ({_short(e)})") from None
    if array.ndim == 3:
        array = array[:, :, 0] if array.shape[2] == 1 else np.ascontiguousarray(array[:, :, :3])
    return array, {"dpi": dpi}
