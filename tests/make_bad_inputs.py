"""The bad-input corpus: every way a file in a folder of scans can go wrong, made fresh (never stored).

    python tests/make_bad_inputs.py DIR     # writes the corpus into DIR and prints what each file is

`make_corpus(folder)` writes the files and returns what the batch must do with each: fail with a
reason (a few words of the one-line message), or finish with the page's true text (or no text
and a note). The good pages are small synthetic pages (`pages.draw_columns`) with known text.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from pages import column_lines, draw_columns, halftone


@dataclass
class Expect:
    status: str  # "done", "failed", or "any" (must end one way or the other, with one clear line if it fails)
    reason: str = ""  # failed: words the error line must contain
    text: str | None = None  # done: the page's true text (None: any), "" for no text
    note: str = ""  # done: words the journal's note must contain
    page: str = ""  # the journal key, if not the file's stem


def good_page(i: int) -> tuple[np.ndarray, str]:
    """A small page of Chinese text (one column of five lines) and its text."""
    lines = column_lines((i * 11) % 130, 5, 12)
    image, _ = draw_columns([lines], width=620, height=500)
    return image, "\n".join(lines)


def _png_with_size(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height, with only a few bytes of data behind it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def _tiff_with_broken_page(pages: list[np.ndarray]) -> bytes:
    """A multi-page TIFF (deflate) whose second page's compressed data is overwritten with junk."""
    frames = [Image.fromarray(p) for p in pages]
    data = bytearray(_encode(frames[0], "TIFF", save_all=True, append_images=frames[1:], compression="tiff_adobe_deflate"))
    with Image.open(io.BytesIO(bytes(data))) as tif:
        tif.seek(1)
        offsets, counts = tif.tag_v2[273], tif.tag_v2[279]
    for offset, count in zip(offsets, counts):
        data[offset : offset + count] = b"\xff\x00" * (count // 2) + b"\xff" * (count % 2)
    return bytes(data)


def _encrypted_pdf(page: np.ndarray) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(_encode(Image.fromarray(page), "PDF", resolution=150))))
    writer.encrypt("archive-secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _pdf_without_pages() -> bytes:
    import pypdf

    buf = io.BytesIO()
    pypdf.PdfWriter().write(buf)
    return buf.getvalue()


def make_corpus(folder: Path) -> dict[str, Expect]:
    """Write the corpus (bad files and five good pages) into `folder`; file name → expectation."""
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, Expect] = {}

    def write(name: str, data: bytes, what: Expect) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expect[name] = what
        return path

    pages = [good_page(i) for i in range(12)]
    grey = [Image.fromarray(p) for p, _ in pages]

    # Five good pages in the usual formats.
    write("good-1.png", _encode(grey[0], "PNG"), Expect("done", text=pages[0][1]))
    write("good-2.jpg", _encode(grey[1], "JPEG", quality=92), Expect("done", text=pages[1][1]))
    write("good-3.tif", _encode(grey[2], "TIFF", compression="tiff_lzw"), Expect("done", text=pages[2][1]))
    write("good-4.jp2", _encode(grey[3].convert("RGB"), "JPEG2000", irreversible=False), Expect("done", text=pages[3][1]))
    write("sub folder/good-5.png", _encode(grey[4], "PNG"), Expect("done", text=pages[4][1], page="sub folder/good-5"))

    # Files that are not pages at all.
    write("zero-byte.jpg", b"", Expect("failed", "the file is empty"))
    write("text.jpg", "Inventory of reel 12, pages 1-40\n".encode(), Expect("failed", "text file"))
    write("webpage.png", b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not found</body></html>\n",
          Expect("failed", "web page (HTML)"))
    good_jpeg, good_png = _encode(grey[5], "JPEG", quality=92), _encode(grey[5], "PNG")
    good_tiff = _encode(grey[5], "TIFF")  # uncompressed: the image data comes before the page list
    write("truncated-jpeg.jpg", good_jpeg[: len(good_jpeg) * 2 // 5], Expect("failed", "damaged or cut short"))
    write("truncated-png.png", good_png[: len(good_png) * 2 // 5], Expect("failed", "damaged or cut short"))
    write("truncated-tiff.tif", good_tiff[: len(good_tiff) // 2], Expect("failed", "damaged or cut short"))
    write("bomb.png", _png_with_size(100_000, 100_000), Expect("failed", "above the limit of 250 megapixels"))
    write("tiny-1x1.png", _encode(Image.new("L", (1, 1), 255), "PNG"), Expect("failed", "too small to be a page"))

    # Odd but real images: all of them are read.
    strip = np.full((200, 20000), 255, np.uint8)
    strip[:, :600] = pages[6][0][150:350, :600]
    write("strip-20000x200.png", _encode(Image.fromarray(strip), "PNG"), Expect("any"))
    grey16 = Image.fromarray(pages[7][0].astype(np.uint16) * 257)
    write("grey-16bit.png", _encode(grey16, "PNG"), Expect("done", text=pages[7][1]))
    write("cmyk.jpg", _encode(grey[8].convert("CMYK"), "JPEG", quality=95), Expect("done", text=pages[8][1]))
    write("palette.png", _encode(grey[9].convert("RGB").quantize(16), "PNG"), Expect("done", text=pages[9][1]))
    ink = 255 - pages[10][0]  # dark text drawn on a fully transparent sheet
    alpha = Image.merge("RGBA", [Image.new("L", grey[10].size, 0)] * 3 + [Image.fromarray(ink)])
    write("alpha.png", _encode(alpha, "PNG"), Expect("done", text=pages[10][1]))

    # A three-page TIFF whose second page is damaged: pages 1 and 3 are done.
    write("multipage-broken.tif", _tiff_with_broken_page([pages[0][0], pages[1][0], pages[2][0]]),
          Expect("failed", "page 2 of the file is damaged", page="multipage-broken-p0002"))
    expect["multipage-broken.tif#1"] = Expect("done", text=pages[0][1], page="multipage-broken-p0001")
    expect["multipage-broken.tif#3"] = Expect("done", text=pages[2][1], page="multipage-broken-p0003")

    write("encrypted.pdf", _encrypted_pdf(pages[3][0]), Expect("failed", "encrypted (password protected)"))
    write("no-pages.pdf", _pdf_without_pages(), Expect("failed", "the PDF has no pages"))

    # Links that loop: a folder leading back to its parent, a file linking to itself.
    (folder / "loops").mkdir(exist_ok=True)
    os.symlink("..", folder / "loops" / "back-up")
    expect["loops/back-up"] = Expect("failed", "folder link loop", page="loops/back-up")
    os.symlink("self-loop.jpg", folder / "loops" / "self-loop.jpg")
    expect["loops/self-loop.jpg"] = Expect("failed", "symbolic link loop", page="loops/self-loop")

    # A page nobody may read (root can, unless it gives up its override: see the test).
    locked = write("unreadable.png", _encode(grey[11], "PNG"), Expect("failed", "permission denied"))
    locked.chmod(0)

    write("with spaces é 中文.png", _encode(grey[4], "PNG"), Expect("done", text=pages[4][1], page="with spaces é 中文"))
    write("blank.png", _encode(Image.new("L", (620, 500), 255), "PNG"), Expect("done", text="", note="blank"))
    photo = np.full((700, 900), 255, np.uint8)
    photo[50:650, 50:850] = halftone(600, 800, seed=4)
    write("all-photo.png", _encode(Image.fromarray(photo), "PNG"), Expect("done", text="", note="no text"))
    return expect


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/make_bad_inputs.py DIR")
    for name, what in make_corpus(Path(sys.argv[1])).items():
        print(f"{name}: {what.status}{' - ' + what.reason if what.reason else ''}{' - ' + what.note if what.note else ''}")
