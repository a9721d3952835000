"""Tests of pipeline.scoring: normalization, the three CER metrics, corpus sums, file pairing."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from pipeline.scoring import (PROFILES, find_pairs, format_report, normalize, score_files,
                              score_texts, sum_scores)
from pipeline.scoring.metrics import _codes, fit_alignment
from pipeline.scoring.normalize import normalize_blocks, normalize_lines, split_blocks

SEED_GT = Path(__file__).parents[1].parent / "shared" / "samples" / "seed-page.gt.txt"


def cjk_text(rnd: random.Random, n: int) -> str:
    """n random common CJK ideographs."""
    return "".join(chr(rnd.randrange(0x4E00, 0x9FA5)) for _ in range(n))


def synthetic_page(seed: int = 0, blocks: int = 8, lines: int = 6, width: int = 12) -> str:
    """A page of `blocks` body blocks of `lines` lines each, plus two one-line headlines."""
    rnd = random.Random(seed)
    body = ["\n".join(cjk_text(rnd, width) for _ in range(lines)) for _ in range(blocks)]
    return "\n\n".join(body + [cjk_text(rnd, 9), cjk_text(rnd, 7)]) + "\n"


def seed_page() -> str:
    if not SEED_GT.is_file():
        pytest.skip(f"seed page not available ({SEED_GT})")
    return SEED_GT.read_text(encoding="utf-8")


def shuffled_blocks(text: str, seed: int = 1) -> str:
    blocks = split_blocks(text)
    random.Random(seed).shuffle(blocks)
    return "\n\n".join(blocks)


def across_columns(text: str, columns: int = 4) -> str:
    """The page read line by line across the columns: each run of `columns` neighbouring body
    blocks (3+ lines) becomes one block of line 1 of each, then line 2 of each, ...; other blocks
    (headlines) stay as they are."""
    out, group = [], []

    def flush():
        rows = max((len(b) for b in group), default=0)
        if group:
            out.append("\n".join(b[i] for i in range(rows) for b in group if i < len(b)))
        group.clear()

    for block in split_blocks(text):
        lines = block.split("\n")
        if len(lines) >= 3:
            group.append(lines)
            if len(group) == columns:
                flush()
        else:
            flush()
            out.append(block)
    flush()
    return "\n\n".join(out)


PAGES = [pytest.param(synthetic_page, id="synthetic"), pytest.param(seed_page, id="seed")]


# --- normalization ------------------------------------------------------------------------------

def test_profiles_have_descriptions():
    assert {"cjk", "latin", "none"} <= set(PROFILES)
    assert all(p.description and "\n" not in p.description for p in PROFILES.values())


def test_cjk_normalization():
    assert normalize("中 文\n 文\u3000本\n\n第二　块\n") == "中文文本第二块"
    assert normalize("“引号”「一」『二』„三‟ ‘单’‚x‛") == '"引号""一""二""三"\'单\'\'x\''
    assert normalize("a—b–c―d‐e‑f−g⸺h") == "a-b-c-d-e-f-g--h"
    assert normalize("１２，（ＡＢ）") == "12,(AB)"  # NFKC folds full-width forms
    assert normalize("《书名》") == "《书名》"  # book-title marks are not quotes


def test_latin_and_none_normalization():
    assert normalize("The ﬁrſt\n  “word” —\n\nnext\tblock", "latin") == \
        'The first "word" - next block '
    text = "a  b\r\nc\n\n\n  d"
    assert normalize(text, "none") == "a  b\nc\n  d\n"
    assert normalize_blocks(text, "none") == ["a  b\nc\n", "  d\n"]
    with pytest.raises(ValueError):
        normalize("x", "nope")


def test_latin_hyphenation_marks_are_the_printed_hyphen():
    assert normalize("Uni¬\nversität Schwarz-¬\nRot Zer⸗\nbrechen", "latin") == \
        "Uni- versität Schwarz- Rot Zer- brechen "


# --- what is counted ---------------------------------------------------------------------------

def test_characters_are_nfc_grapheme_clusters():
    """A decomposed ñ is the composed one; an emoji with a skin tone is one character; a changed
    modifier is one error, as dinglehopper counts."""
    s = score_texts("mañana 👍🏽", "man\u0303ana 👍🏽", "none")
    assert (s.gt_chars, s.plain_errors) == (9, 0)  # m a ñ a n a, the space, 👍🏽, the block's newline
    s = score_texts("mañana 👍🏽", "mañana 👍", "none")
    assert (s.plain_errors, s.flex_errors, s.orderfree_errors) == (1, 1, 1)


def test_word_error_rate_drops_punctuation_and_splits_ideographs():
    s = score_texts("Die Zeitung, 11. Juni 1939.", "Die Zeltung 11 Juni 1939", "latin")
    assert (s.gt_words, s.word_errors) == (5, 1)  # Die Zeitung 11 Juni 1939; the commas and dots are no words
    s = score_texts("春眠不觉晓，处处闻啼鸟。", "春眠不觉晓处处闻谛鸟")
    assert (s.gt_words, s.word_errors) == (10, 1)  # every ideograph a word (UAX #29)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_lines_make_up_the_page_text(profile):
    """The order-free CER's units, the normalized lines, concatenate to the scored page text."""
    text = "The ﬁrſt  line,\n  Zer¬\nbrechen “x”\n\n\n中 文\u3000本——\n\tlast\n"
    assert "".join(normalize_lines(text, profile)) == normalize(text, profile)


# --- exact counts -------------------------------------------------------------------------------

def test_identical_texts_score_zero():
    page = synthetic_page()
    s = score_texts(page, page)
    assert (s.plain_errors, s.orderfree_errors, s.flex_errors) == (0, 0, 0)
    assert s.gt_chars == s.hyp_chars == len(normalize(page)) > 0
    assert s.cer == s.orderfree_cer == s.flex_cer == 0.0


@pytest.mark.parametrize("hyp", ["春眠不觉晓，处处闻谛鸟。", "春眠不觉晓，处处闻啼啼鸟。", "春眠不觉晓，处处闻鸟。"],
                         ids=["substitution", "insertion", "deletion"])
def test_single_edit_counts_one(hyp):
    gt = "春眠不觉晓，\n处处闻啼鸟。\n\n夜来风雨声，\n花落知多少。"
    hyp = hyp + "\n\n夜来风雨声，花落知多少。"
    s = score_texts(gt, hyp)
    assert (s.plain_errors, s.orderfree_errors, s.flex_errors) == (1, 1, 1)
    assert s.gt_chars == 24
    assert s.cer == pytest.approx(1 / 24)


def test_whitespace_and_quote_variants_do_not_count():
    gt = "他说：“你好——世界”\n\n第二段「引文」"
    hyp = '他 说: "你好--世界"\n第二段\u3000"引文"  '
    s = score_texts(gt, hyp)
    assert (s.plain_errors, s.orderfree_errors, s.flex_errors) == (0, 0, 0)
    # ... while without normalization they do
    assert score_texts(gt, hyp, "none").plain_errors > 0


def test_opposite_misreads_count_in_the_order_free_cer():
    """An e read as c and elsewhere a c read as e leave the bag of characters unchanged; the
    order-free CER counts both, as the plain CER does."""
    gt = "Die Zeitung lebt\nnoch acht Tage.\n\nEine Nachricht"
    hyp = "Die Zcitung lebt\nnoch aeht Tage.\n\nEine Nachricht"
    s = score_texts(gt, hyp, "latin")
    assert (s.plain_errors, s.orderfree_errors, s.flex_errors, s.bag_errors) == (2, 2, 2, 0)


def test_lines_out_of_order_only_hurt_plain_and_block_flex():
    """A block's lines read in another order: its recognition is perfect, so the order-free CER
    is 0; block-flex (order inside blocks) and plain CER count it."""
    gt = "erste Zeile hier\nzweite Zeile dort\ndritte Zeile da\n\nzweiter Block"
    hyp = "dritte Zeile da\nerste Zeile hier\nzweite Zeile dort\n\nzweiter Block"
    s = score_texts(gt, hyp, "latin")
    assert s.orderfree_errors == 0 and s.flex_errors > 0 and s.plain_errors > 0


def test_extra_junk_block_counts_insertions():
    page = synthetic_page()
    junk = "■■广告招租电话一二三四"
    s = score_texts(page, page + "\n\n" + junk)
    assert s.plain_errors == s.orderfree_errors == s.flex_errors == len(junk)
    assert s.flex_unmatched_hyp == len(junk) and s.flex_unmatched_gt == 0
    # the same junk in the middle of the page: plain CER still counts it, and so does block-flex
    blocks = split_blocks(page)
    s = score_texts(page, "\n\n".join(blocks[:3] + [junk] + blocks[3:]))
    assert s.flex_errors == len(junk)


def test_missing_block_counts_deletions():
    page = synthetic_page()
    blocks = split_blocks(page)
    s = score_texts(page, "\n\n".join(blocks[1:]))
    assert s.flex_errors == s.flex_unmatched_gt == len(normalize(blocks[0]))


def test_empty_texts():
    assert score_texts("", "").cer == 0.0
    s = score_texts("文本", "")
    assert (s.plain_errors, s.orderfree_errors, s.flex_errors, s.flex_cer) == (2, 2, 2, 1.0)
    s = score_texts("", "文本")
    assert s.flex_errors == 2 and s.cer == float("inf")


# --- reading order ------------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_shuffled_blocks_only_hurt_plain_cer(page):
    text = page()
    s = score_texts(text, shuffled_blocks(text))
    assert s.flex_errors == 0
    assert s.orderfree_errors == 0
    assert s.cer > 0.3


@pytest.mark.parametrize("page", PAGES)
def test_reading_across_columns_is_penalized(page):
    text = page()
    s = score_texts(text, across_columns(text))
    assert s.orderfree_errors == 0
    assert s.flex_cer > 0.5


def test_seed_page_with_merged_and_split_blocks():
    """OCR blocks need not be GT blocks: merging neighbours or splitting a block costs nothing."""
    text = seed_page()
    blocks = split_blocks(text)
    merged = ["\n".join(blocks[i:i + 2]) for i in range(0, len(blocks), 2)]
    assert score_texts(text, "\n\n".join(reversed(merged))).flex_errors == 0
    lines = [line for b in blocks for line in b.split("\n")]
    assert score_texts(text, "\n\n".join(lines)).flex_errors == 0


def test_noisy_ocr_close_to_blockwise_distance():
    """With blocks shuffled and each one garbled, block-flex errors are close to the sum of the
    blocks' own distances, and never below the order-free lower bound."""
    rnd = random.Random(3)
    gt_blocks = split_blocks(synthetic_page(seed=3, blocks=10))
    noisy = []
    for b in gt_blocks:
        chars = list(normalize(b))
        for _ in range(max(1, len(chars) // 20)):
            chars[rnd.randrange(len(chars))] = cjk_text(rnd, 1)
        noisy.append("".join(chars))
    blockwise = sum(Levenshtein.distance(normalize(g), h) for g, h in zip(gt_blocks, noisy))
    order = list(range(len(noisy)))
    rnd.shuffle(order)
    s = score_texts("\n\n".join(gt_blocks), "\n\n".join(noisy[i] for i in order))
    assert s.orderfree_errors <= s.flex_errors <= blockwise
    assert s.orderfree_errors <= s.plain_errors


def test_fit_alignment_matches_brute_force():
    rnd = random.Random(5)
    for _ in range(300):
        block = "".join(rnd.choice("abcd") for _ in range(rnd.randint(1, 6)))
        text = "".join(rnd.choice("abcde") for _ in range(rnd.randint(0, 12)))
        cut = rnd.randint(0, len(text))
        windows = [(0, cut), (cut, len(text))] if 0 < cut < len(text) else [(0, len(text))]
        best = min((Levenshtein.distance(block, text[s:e]), -(e - s), s)
                   for ws, we in windows for s in range(ws, we + 1) for e in range(s, we + 1))
        d, s, e = fit_alignment(_codes(block), _codes(text), windows)
        assert (d, -(e - s), s) == best, (block, text, windows)


# --- corpus -------------------------------------------------------------------------------------

def test_corpus_sums_errors_and_lengths():
    short = score_texts("一二三四", "一二三五", name="short")  # 1 error / 4 chars
    long_gt = synthetic_page(seed=7)
    long = score_texts(long_gt, normalize(long_gt)[:-3], name="long")  # 3 errors
    total = sum_scores([short, long])
    assert total.gt_chars == short.gt_chars + long.gt_chars
    assert total.plain_errors == 4 and total.flex_errors == 4
    assert total.cer == pytest.approx(4 / total.gt_chars)
    assert total.cer != pytest.approx((short.cer + long.cer) / 2)
    assert total.pages == 2 and total.missing_pages == 0


def test_timing_3000_char_pages():
    """20 noisy ~3,000-char pages of shuffled blocks; the budget is far below a second a page."""
    if SEED_GT.is_file():
        source = split_blocks(SEED_GT.read_text(encoding="utf-8"))
    else:
        source = split_blocks("\n\n".join(synthetic_page(seed=s) for s in range(4)))
    rnd = random.Random(11)
    pages = []
    for _ in range(20):
        blocks = []
        while sum(len(normalize(b)) for b in blocks) < 3000:
            blocks.append(rnd.choice(source))
        hyp = []
        for b in blocks:  # ~5% substitutions, then shuffle
            hyp.append("".join(cjk_text(rnd, 1) if rnd.random() < 0.05 else c for c in b))
        rnd.shuffle(hyp)
        pages.append(("\n\n".join(blocks), "\n\n".join(hyp)))
    start = time.perf_counter()
    scores = [score_texts(gt, hyp) for gt, hyp in pages]
    per_page = (time.perf_counter() - start) / len(pages)
    chars = sum(s.gt_chars for s in scores) / len(scores)
    print(f"\nscoring: {per_page:.3f} s per page of {chars:.0f} chars "
          f"(block-flex CER {sum_scores(scores).flex_cer:.3f})")
    assert per_page < 1.0


# --- files --------------------------------------------------------------------------------------

def test_find_pairs_and_score_files(tmp_path):
    gt_dir, out_dir = tmp_path / "gt", tmp_path / "out"
    gt_dir.mkdir()
    out_dir.mkdir()
    (gt_dir / "p1.gt.txt").write_text("第一页\n\n正文", encoding="utf-8")
    (gt_dir / "p2.gt.txt").write_text("第二页", encoding="utf-8")
    (gt_dir / "notes.txt").write_text("not ground truth", encoding="utf-8")
    (out_dir / "p1.txt").write_text("\ufeff正文\n\n第一页", encoding="utf-8")  # BOM is dropped

    pairs = find_pairs(gt_dir, out_dir)
    assert pairs == [("p1", gt_dir / "p1.gt.txt", out_dir / "p1.txt"),
                     ("p2", gt_dir / "p2.gt.txt", None)]
    assert find_pairs(gt_dir / "p1.gt.txt", out_dir / "p1.txt") == \
        [("p1", gt_dir / "p1.gt.txt", out_dir / "p1.txt")]
    assert find_pairs(gt_dir / "p2.gt.txt", out_dir) == [("p2", gt_dir / "p2.gt.txt", None)]
    with pytest.raises(ValueError):
        find_pairs(gt_dir, out_dir / "p1.txt")
    with pytest.raises(FileNotFoundError):
        find_pairs(gt_dir, tmp_path / "nowhere")

    p1, p2 = score_files(gt_dir, out_dir)
    assert (p1.name, p1.flex_errors, p1.missing) == ("p1", 0, False)
    assert (p2.name, p2.flex_errors, p2.gt_chars, p2.missing) == ("p2", 3, 3, True)
    report = format_report([p1, p2])
    assert "cjk" in report and "MISSING" in report and "1 of 2 pages" in report
