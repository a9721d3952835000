"""Small synthetic pages for stage tests: text columns, photos and rules drawn with Pillow."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
TEXT = (
    "连日来市委办公厅党员干部积极落实市委全面开展党旗飘起来党徽亮起来党员动起来为主要内容的三起来专项活动的部署"
    "要求统筹下沉社区物业志愿者群众组织等各方面力量提升服务群众的能力发挥好党组织的主心骨作用今年八月随着境外返"
    "豫人员增多岐伯山医院留观病区防控压力增大在留观病区患者来自天南海北涉及的病种也复杂多样医护人员除了要面对"
)


def font(size: int) -> ImageFont.FreeTypeFont:
    if not FONT.exists():
        pytest.skip("CJK font missing: install Debian's fonts-noto-cjk (make system-deps)")
    return ImageFont.truetype(str(FONT), size)


def column_lines(start: int, count: int, chars: int) -> list[str]:
    return [TEXT[(start + i * chars) % 200 : (start + i * chars) % 200 + chars] for i in range(count)]


def draw_columns(columns: list[list[str]], size: int = 28, gutter: int = 18, top: int = 80, left: int = 80,
                 width: int = 1200, height: int = 900) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """White page with text columns side by side; returns the image and each column's box."""
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    f = font(size)
    boxes = []
    x = left
    for lines in columns:
        col_w = max(int(draw.textlength(line, font=f)) for line in lines)
        for i, line in enumerate(lines):
            draw.text((x, top + i * int(size * 1.4)), line, font=f, fill=0)
        boxes.append((x, top, x + col_w, top + len(lines) * int(size * 1.4)))
        x += col_w + gutter
    return np.asarray(page).copy(), boxes


def halftone(h: int, w: int, seed: int = 0) -> np.ndarray:
    """A grey photo as printed: a smooth random field rendered as a dot screen."""
    rng = np.random.default_rng(seed)
    field = cv2.resize(rng.random((h // 40 + 2, w // 40 + 2)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[0:h, 0:w]
    screen = (np.sin(xx * 0.9) * np.sin(yy * 0.9) + 1) / 2
    return np.where(field * 0.8 + 0.1 > screen, 0, 255).astype(np.uint8)


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, m, (w, h), borderValue=255)


def draw_vertical_columns(columns: list[str], size: int = 28, pitch: float = 1.15, spacing: float = 1.5,
                          right: int = 1100, top: int = 200, height: int = 900, width: int = 1200,
                          headline: str = "", caption: str = "") -> np.ndarray:
    """Vertical CJK: each string a column of glyphs top to bottom, columns set right to left,
    with an optional horizontal headline above and a horizontal caption below."""
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    f = font(size)
    for c, column in enumerate(columns):
        x = right - (c + 1) * int(size * spacing)
        for i, ch in enumerate(column):
            draw.text((x, top + i * int(size * pitch)), ch, font=f, fill=0)
    if headline:
        draw.text((right - len(headline) * int(size * 2.2), 60), headline, font=font(int(size * 2)), fill=0)
    if caption:
        bottom = top + max(len(c) for c in columns) * int(size * pitch) + size
        draw.text((right - len(caption) * size - 20, bottom), caption, font=f, fill=0)
    return np.asarray(page).copy()
