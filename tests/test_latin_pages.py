"""Rendered English and German newspaper pages (narrow justified columns, words divided at line
ends, a drop cap) read through the whole pipeline, by the language presets (Tesseract) and by the
default engine: the printed lines against the ground truth, the article text against the source
with its divided words joined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.formats import WRITERS
from pipeline.process import process_page
from pipeline.scoring import score_texts
from pipeline.synth.latin import missing_latin_packages, render_latin_page

ROOT = Path(__file__).resolve().parents[1]
LATIN = ROOT / "samples/latin"
# The first words of each text's first article, whose first letter is set as a drop cap.
OPENING = {"en": "After eleven hours of debate", "de": "Nach einer mehr als zehnstündigen Sitzung"}


@pytest.fixture(scope="module", params=["en", "de"])
def rendered(request):
    if missing := missing_latin_packages("dejavu-serif"):
        pytest.skip(f"the Latin pages need the Debian font packages {', '.join(missing)}")
    lang = request.param
    return lang, render_latin_page(LATIN / f"{lang}.yaml", LATIN / "layout.yaml", lang=lang)


def article_words(markdown: str) -> list[str]:
    """The words of the article output, its Markdown marks taken off."""
    text = re.sub(r"^(#+ |---$)", "", markdown, flags=re.M)
    return re.sub(r"\\(.)", r"\1", text).replace("*", "").split()


def divided_words(marked: str) -> list[str]:
    """The words the page divides at a line end (`Verwal¬` / `tung`), whole."""
    return [a + b for a, b in re.findall(r"(\w+)¬\n+(\w+)", marked)]


@pytest.mark.parametrize("engine", ["preset", "default"])
def test_latin_page_reads_and_joins_its_divided_words(rendered, engine):
    lang, page_image = rendered
    preset = {"en": "eng", "de": "deu"}[lang] if engine == "preset" else None
    cfg = load_config(preset=preset)
    if engine == "preset":
        pytest.importorskip("tesserocr")
    page = process_page(page_image.image, cfg, page_id=f"{lang}-front")

    printed = score_texts(page_image.gt_text(), WRITERS["txt"][1](page), "latin")
    assert printed.flex_cer <= 0.02, f"block-flexible CER {printed.flex_cer:.2%}"

    articles = WRITERS["articles"][1](page)
    joined = score_texts(page_image.gt_dehyphenated_text(), " ".join(article_words(articles)), "latin")
    assert joined.orderfree_cer <= 0.02, f"article text against the source: {joined.orderfree_cer:.2%}"
    assert OPENING[lang] in " ".join(article_words(articles))  # the drop cap back in its word

    # Divided words come back whole; a word OCR misread may be missing, a divided one left in
    # two pieces may not (English `de-tour` is the one the word lists can't tell from `long-term`).
    words = set(article_words(articles))
    divided = divided_words(page_image.gt_marked_text())
    pieces = [w for w in divided if w not in words and any(p.endswith("-") for p in words
                                                           if w.startswith(p[:-1]) and len(p) > 2)]
    assert len(divided) > 20 and len(pieces) <= 1, pieces
