"""Tesseract through tesserocr, one of our layout's blocks at a time.

Tesseract's own page segmentation is not used: the layout stage has already found the columns
and blocks, so Tesseract is asked to read each block as a column of lines (page segmentation
mode 4; 6, one uniform block of text, read the real 1939 page worse: it takes stray marks for
lines) and returns its lines with their words, word boxes and confidences. Blocks of vertical
CJK type go to a vertical model (chi_sim_vert) in mode 5.

The `tesserocr` wheel carries libtesseract; the trained models (`<lang>.traineddata`) come from
Debian's `tesseract-ocr-<lang>` packages, so the folder they are in (tessdata) is looked up in
the usual places or taken from the settings.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from .base import EngineUnavailable, ReadLine, ReadWord, Recognition

# Where Debian, Ubuntu, Homebrew and source builds put the trained models, newest first.
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)

# Darker than this is ink (the cleaned page has white paper and black type).
INK = 128

# Script models (tessdata's script/ folder) and the Debian packages that ship them.
_SCRIPT_PACKAGES = {
    "Fraktur": "script-frak",
    "Latin": "script-latn",
    "HanS": "script-hans",
    "HanS_vert": "script-hans-vert",
    "HanT": "script-hant",
    "HanT_vert": "script-hant-vert",
    "Cyrillic": "script-cyrl",
    "Greek": "script-grek",
}


def debian_package(model: str) -> str:
    """The Debian package that ships `<model>.traineddata` (`frk` → tesseract-ocr-frk)."""
    name = model.rsplit("/", 1)[-1]
    return "tesseract-ocr-" + _SCRIPT_PACKAGES.get(name, name.lower().replace("_", "-"))


def find_tessdata(configured: str, models: list[str]) -> Path:
    """The tessdata folder holding every model in `models`, or EngineUnavailable naming the
    Debian packages to install."""
    if configured:
        candidates = [Path(configured)]
    else:
        env = os.environ.get("TESSDATA_PREFIX")
        candidates = ([Path(env), Path(env) / "tessdata"] if env else []) + [Path(d) for d in TESSDATA_DIRS]
    for folder in candidates:
        if all((folder / f"{m}.traineddata").is_file() for m in models):
            return folder
    where = candidates[0] if configured else next((c for c in candidates if c.is_dir()), None)
    have = [m for m in models if where is not None and (where / f"{m}.traineddata").is_file()]
    missing = [m for m in models if m not in have]
    packages = " ".join(debian_package(m) for m in missing)
    place = f"in {where}" if where else "(no tessdata folder found)"
    raise EngineUnavailable(
        f"Tesseract model(s) {', '.join(missing)} not found {place}: install the Debian package(s) {packages}"
        " (apt-get install), or set engines.tesseract.tessdata to the folder that holds them"
    )


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "FULLWIDTH"))


def join_words(words: list[str]) -> str:
    """Words of one line as text: a space between words, none next to a CJK character
    (Tesseract's CJK models return every character, run or mark as a word of its own)."""
    text = ""
    for word in words:
        if text and not (_is_cjk(text[-1]) or _is_cjk(word[0])):
            text += " "
        text += word
    return text


class TesseractEngine:
    name = "tesseract"

    def __init__(self, settings: dict[str, Any], threads: int = 0) -> None:
        # `threads` is not used: Tesseract runs single-threaded.
        # Tesseract's OpenMP threads make it several times slower on a machine with few cores
        # (they spin against each other); this must be set before libtesseract is loaded.
        # A page-level process pool is the way to use more cores.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        try:
            import tesserocr  # noqa: F401
        except ImportError as e:
            raise EngineUnavailable(
                f"the tesseract engine needs the Python package tesserocr ({e}): pip install 'broadsheet[tesseract]',"
                f" and the Debian package(s) {debian_package(settings['lang'].split('+')[0])}"
            ) from None
        self.settings = settings
        self.min_confidence = float(settings.get("min_confidence", 0.0))
        self.border = int(settings.get("border", 10))
        self.psm = int(settings.get("psm", 4))
        self._api = self._load(settings["lang"], self.psm)
        self._vertical_api = None  # loaded at the first block of vertical type

    def _load(self, lang: str, psm: int):
        import tesserocr

        models = [m for m in lang.split("+") if m]
        if not models:
            raise EngineUnavailable("engines.tesseract.lang is empty: name a Tesseract model, e.g. eng or deu+frk")
        tessdata = find_tessdata(self.settings.get("tessdata", ""), models)
        try:
            api = tesserocr.PyTessBaseAPI(path=str(tessdata) + os.sep, lang=lang, psm=psm, oem=tesserocr.OEM.LSTM_ONLY)
        except RuntimeError as e:
            raise EngineUnavailable(f"Tesseract could not load '{lang}' from {tessdata}: {e}") from None
        for item in self.settings.get("variables") or []:
            key, sep, value = str(item).partition("=")
            if not sep or not api.SetVariable(key.strip(), value.strip()):
                raise EngineUnavailable(f"engines.tesseract.variables: '{item}' is not name=value of a Tesseract variable")
        return api

    def read_block(self, image: np.ndarray, vertical: bool = False) -> list[ReadLine]:
        """The lines Tesseract finds in a block image, with their words (its `psm` mode); a block
        of vertical type is read by the vertical model (`vertical_lang`) as one vertical block."""
        api = self._api
        if vertical:
            if self._vertical_api is None:
                from tesserocr import PSM

                self._vertical_api = self._load(self.settings.get("vertical_lang") or "chi_sim_vert",
                                                PSM.SINGLE_BLOCK_VERT_TEXT)
            api = self._vertical_api
        return [line for line in self._read(image, api) if line.confidence >= self.min_confidence]

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        """Each image read as one line of text (e.g. the cleanup stage's orientation check)."""
        from tesserocr import PSM

        results = []
        self._api.SetPageSegMode(PSM.SINGLE_LINE)
        try:
            for crop in crops:
                lines = self._read(crop, self._api)
                text = join_words([line.text for line in lines])
                sizes = [max(1, len(line.text)) for line in lines]
                conf = float(np.average([line.confidence for line in lines], weights=sizes)) if lines else 0.0
                results.append(Recognition(text, conf))
        finally:
            self._api.SetPageSegMode(self.psm)
        return results

    def _read(self, image: np.ndarray, api) -> list[ReadLine]:
        from PIL import Image
        from tesserocr import RIL, iterate_level

        if image.ndim == 3:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        # Tesseract finds lines more reliably with some paper around the text.
        b = self.border
        framed = np.pad(image, b, constant_values=255)
        api.SetImage(Image.fromarray(framed))
        api.Recognize()
        lines: list[ReadLine] = []
        iterator = api.GetIterator()
        if iterator is None:
            return lines
        for word in iterate_level(iterator, RIL.WORD):
            if word.Empty(RIL.WORD):
                continue
            if word.IsAtBeginningOf(RIL.TEXTLINE) or not lines:
                x0, y0, x1, y1 = word.BoundingBox(RIL.TEXTLINE)
                lines.append(ReadLine("", (x0 - b, y0 - b, x1 - b, y1 - b), 0.0))
            text = (word.GetUTF8Text(RIL.WORD) or "").strip()
            if not text:
                continue
            x0, y0, x1, y1 = word.BoundingBox(RIL.WORD)
            if not (framed[y0:y1, x0:x1] < INK).any():
                continue  # a word with no ink under it: the model's guess at a wide justified space
            conf = max(0.0, min(1.0, word.Confidence(RIL.WORD) / 100))
            lines[-1].words.append(ReadWord(text, (x0 - b, y0 - b, x1 - b, y1 - b), conf))
        lines = [line for line in lines if line.words]
        for line in lines:
            line.text = join_words([w.text for w in line.words])
            # A line's confidence: its words' confidences weighted by their length.
            sizes = [len(w.text) for w in line.words]
            line.confidence = float(np.average([w.confidence for w in line.words], weights=sizes))
        return lines

    def __del__(self) -> None:
        for api in (getattr(self, "_api", None), getattr(self, "_vertical_api", None)):
            if api is not None:
                api.End()
