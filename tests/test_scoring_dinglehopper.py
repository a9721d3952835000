"""CER and WER agree with dinglehopper 0.11 (a dev dependency) on the same text pairs: Levenshtein
over NFC grapheme clusters, and UAX #29 words with punctuation-only tokens dropped."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.scoring import normalize_blocks, score_page
from pipeline.scoring.units import grapheme_clusters, words

dinglehopper = pytest.importorskip("dinglehopper", reason="dinglehopper not installed (pip install -e '.[dev]')")
from dinglehopper import character_error_rate, word_error_rate  # noqa: E402
from dinglehopper.word_error_rate import words_normalized  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def garble(text: str, rate: float, seed: int, alphabet: str) -> str:
    """Substitute, delete and insert characters at `rate` each, and drop a line now and then."""
    rnd = random.Random(seed)
    out = []
    for c in text:
        r = rnd.random()
        if r < rate:
            out.append(rnd.choice(alphabet))
        elif r < 2 * rate:
            continue
        elif r < 3 * rate:
            out.append(c + rnd.choice(alphabet))
        else:
            out.append(c)
    lines = "".join(out).split("\n")
    return "\n".join(line for i, line in enumerate(lines) if rnd.random() > 0.03 or not line.strip())


def pairs(shared_dir: Path | None):
    seed = (ROOT / "samples" / "seed-page.gt.txt").read_text(encoding="utf-8")
    yield "seed cjk", seed, garble(seed, 0.02, 1, "的一是不了人我在有他这为之大来以个中上们，。、"), "cjk"
    yield "seed none", seed, garble(seed, 0.05, 2, "的一是不了人，。 "), "none"
    accents = "Vergleich: na\u0303o, n\u0303, ñ, Ångström, Å, 👍🏽👍, e\u0301te\u0301, ﬁnden, ſchön\n"
    yield "clusters", accents * 3, accents.replace("ñ", "n\u0303").replace("👍🏽", "👍").replace("Å", "A") * 3, "none"
    nzz = shared_dir / "real" / "nzz-1939" / "nzz_19390611_0_0_a1_p1_1.gt.txt" if shared_dir else None
    if nzz and nzz.is_file():
        text = nzz.read_text(encoding="utf-8")
        yield "nzz latin", text, garble(text, 0.03, 3, "abcdefghijklmnopqrstuvwxyzäöüſ.,-„“ "), "latin"


@pytest.fixture(scope="module")
def shared_dir():
    shared = ROOT.parent / "shared"
    return shared if shared.is_dir() else None


def test_cer_and_wer_agree_with_dinglehopper(shared_dir):
    checked = 0
    for name, gt, ocr, profile in pairs(shared_dir):
        gt_blocks, ocr_blocks = normalize_blocks(gt, profile), normalize_blocks(ocr, profile)
        ours = score_page(gt_blocks, ocr_blocks)
        # the same texts as one string each: the page text our metrics see
        assert ours.cer == pytest.approx(character_error_rate("".join(gt_blocks), "".join(ocr_blocks)), abs=1e-3), name
        # words never run across a block break: a newline between blocks does the same for dinglehopper
        assert ours.wer == pytest.approx(word_error_rate("\n".join(gt_blocks), "\n".join(ocr_blocks)), abs=1e-3), name
        assert 0 < ours.cer < 1 and 0 < ours.wer, name
        checked += 1
    assert checked >= 3


def test_units_are_dinglehopper_units():
    text = "Ein na\u0303o-Test: 3.14, can't; U.S.A. ‚Zitat‘ — 中文text12 👍🏽 \ue000x ¬\n"
    assert words(text) == list(words_normalized(text))
    from uniseg.graphemecluster import grapheme_clusters as uniseg_clusters

    assert grapheme_clusters(text) == list(uniseg_clusters(text))
