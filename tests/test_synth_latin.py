"""The Latin page renderer: justified columns with divided words, and ground truth that knows every division.

The marks follow ../shared/real/nzz-1939: `Zer¬` where a word is divided (printed `Zer-`), `well-¬`
where a compound's own hyphen falls at the line end; `.gt.dehyphenated.txt` joins both, the compound
keeping its hyphen, and a suspended hyphen (`Straßen- und …`) at a line end is not a division.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.synth import damage
from pipeline.synth.hyphenate import (
    HARD,
    MARK,
    SOFT,
    break_paragraph,
    dehyphenate_marked,
    divisions,
    printed_from_marked,
)
from pipeline.synth.latin import LATIN_STYLES, missing_latin_packages, render_latin_page
from pipeline.synth.spec import load_running_text

ROOT = Path(__file__).resolve().parents[1]
LATIN = ROOT / "samples/latin"
LAYOUT = LATIN / "layout.yaml"
LANGS = ("en", "de")
# Compounds the sample texts print with their own hyphen; whole in the dehyphenated text.
COMPOUNDS = {
    "en": ["well-known", "mother-in-law", "two-thirds", "n-octanal", "forty-year-old", "re-erect", "co-operation"],
    "de": ["Schwarz-Rot-Gold", "20-jährige", "n-Octanal", "Nord-Süd-Verbindung"],
}


def needs_fonts(style: str = "dejavu-serif") -> None:
    missing = missing_latin_packages(style)
    if missing:
        pytest.skip(f"Latin style {style} needs the Debian font packages {', '.join(missing)}")


def render(lang: str, **kw):
    needs_fonts(kw.get("style", "dejavu-serif"))
    kw.setdefault("dpi", 100)  # half size: fast, and exercises the scaling
    return render_latin_page(LATIN / f"{lang}.yaml", LAYOUT, lang=lang, **kw)


def words(text: str) -> list[str]:
    return text.split()


def source_words(lang: str, arrangement: str = "front") -> list[str]:
    """Every text of the source in reading order: masthead, date line, then article by article."""
    spec = load_running_text(LATIN / f"{lang}.yaml", LAYOUT)
    texts = [spec.masthead, *spec.folio]
    for band in spec.arrangements[arrangement]:
        for stack in band:
            for item in stack:
                if item.article:
                    a = spec.articles[item.article]
                    texts += [t for t in (a.kicker, a.headline, a.subhead) if t] + a.paragraphs
    return words(" ".join(texts))


def article_body(page, article: str, text: str = "marked") -> str:
    """An article's body lines in reading order, blocks joined by a blank line (as in the files)."""
    blocks = [
        lines
        for b, lines in zip(page.gt["blocks"], page.marked, strict=True)
        if b["article"] == article and b["type"] == "body"
    ]
    return "\n\n".join("\n".join(lines) for lines in blocks) + "\n"


# -- whole pages ------------------------------------------------------------------------------


def test_same_seed_same_bytes():
    scan = damage.Damage(rotate=0.4, paper="newsprint", illumination=0.05, blur=0.6, noise=2.5, jpeg_quality=85)
    a, b = render("de", seed=3, damage=scan), render("de", seed=3, damage=scan)
    assert a.jpeg() == b.jpeg()
    assert a.gt == b.gt and a.marked == b.marked
    assert render("de", seed=4, damage=scan).jpeg() != a.jpeg()


@pytest.mark.parametrize("lang", LANGS)
def test_every_source_word_printed_once_in_reading_order(lang):
    page = render(lang, dpi=200)
    assert words(page.gt_dehyphenated_text()) == source_words(lang)
    # The printed text is the same words, each divided one in two printed pieces.
    printed = words(page.gt_text())
    assert len(printed) == len(source_words(lang)) + page.gt_marked_text().count(MARK)
    assert "".join(printed).replace("-", "") == "".join(source_words(lang)).replace("-", "")


@pytest.mark.parametrize("lang", LANGS)
def test_dehyphenated_body_is_the_source_paragraphs(lang):
    page = render(lang, dpi=200)
    spec = load_running_text(LATIN / f"{lang}.yaml", LAYOUT)
    for aid, article in spec.articles.items():
        joined = dehyphenate_marked(article_body(page, aid))
        assert " ".join(joined.split()) == " ".join(article.paragraphs), aid
        assert article_body(page, aid).count(MARK) >= 10, "narrow columns divide many words"


@pytest.mark.parametrize("lang", LANGS)
def test_marked_printed_and_dehyphenated_agree(lang, tmp_path):
    page = render(lang)
    marked, printed = page.gt_marked_text(), page.gt_text()
    assert printed_from_marked(marked) == printed
    assert page.gt_dehyphenated_text() == dehyphenate_marked(marked)
    assert "¬" not in printed and "¬" not in page.gt_dehyphenated_text()
    # Line for line: a mark only at a line end, where the printed line ends in its hyphen.
    for m, p in zip(marked.split("\n"), printed.split("\n"), strict=True):
        assert MARK not in m[:-1]
        if m.endswith("-" + MARK):  # a compound's own hyphen
            assert p == m[:-1]
        elif m.endswith(MARK):  # a divided word: the hyphen is the renderer's
            assert p == m[:-1] + "-" and m[-2].isalpha()
        else:
            assert p == m
    # The files beside the image say the same.
    page.save(tmp_path / "p.jpg")
    files = {"gt.txt": printed, "gt.marked.txt": marked, "gt.dehyphenated.txt": page.gt_dehyphenated_text()}
    for suffix, text in files.items():
        assert (tmp_path / f"p.{suffix}").read_text(encoding="utf-8") == text
    # Every division is real: the head and tail of a source word, not a new word.
    source = set(source_words(lang))
    divided = re.findall(r"(\S+)¬\n\n?([^\s¬]+)", marked)
    assert len(divided) == marked.count(MARK)
    for head, tail in divided:
        assert head + tail in source, (head, tail)


@pytest.mark.parametrize("lang", LANGS)
def test_compounds_at_a_line_end_keep_their_hyphen(lang):
    """Across column widths, some compound's own hyphen falls at a line end: marked `-¬` and whole
    when joined. A suspended hyphen (`Ein- und`) at a line end is no division and stays apart."""
    hard = []
    for width in range(150, 211, 6):  # output pixels at 100 dpi: 12 to 17 ems of the body type
        page = render(lang, column_width=width)
        marked, joined = page.gt_marked_text(), page.gt_dehyphenated_text()
        for head, tail in re.findall(r"(\S+-)¬\n\n?(\S+)", marked):
            hard.append(head + tail)
            assert head + tail in joined.split()
        for compound in COMPOUNDS[lang]:
            assert compound in joined, (width, compound)
        for line in marked.split("\n"):
            if line.endswith("-"):  # an unmarked hyphen at a line end: a suspended compound part
                assert line.split()[-1] + " und " in " ".join(joined.split()), line
    assert hard, "no compound hyphen fell at a line end at any width"
    assert all(re.fullmatch(r"[\w.,;:“”„]+(-[\w.,;:“”„]+)+", w) for w in hard), hard


def test_gt_json_schema_and_boxes_hold_ink():
    page = render("en", damage=damage.Damage(rotate=0.4, paper="newsprint", noise=2.5, jpeg_quality=85))
    gt, img = page.gt, page.image
    assert set(gt) == {"image", "width", "height", "style", "layout", "lang", "blocks"}
    assert (gt["width"], gt["height"], gt["lang"]) == (img.shape[1], img.shape[0], "en")
    kinds = {b["type"] for b in gt["blocks"]}
    assert kinds == {"header", "kicker", "headline", "subhead", "body"}
    paper = np.median(img)
    for order, b in enumerate(gt["blocks"]):
        assert set(b) == {"id", "article", "type", "order", "bbox", "polygon", "lines"}
        assert b["order"] == order
        x0, y0, x1, y1 = b["bbox"]
        assert 0 <= x0 < x1 <= gt["width"] and 0 <= y0 < y1 <= gt["height"], b
        assert img[y0:y1, x0:x1].min() < paper - 100, f"no ink in block {b['id']} {b['lines'][:1]}"
    # Body blocks are column runs: equally wide, side by side without overlapping.
    body = [b["bbox"] for b in gt["blocks"] if b["type"] == "body"]
    assert max(x1 - x0 for x0, _, x1, _ in body) - min(x1 - x0 for x0, _, x1, _ in body) <= 3, body
    for i, a in enumerate(body):
        for b in body[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert sum(len(b["lines"]) for b in gt["blocks"] if b["type"] == "body") > 100


def test_drop_cap_is_transcribed_in_the_first_line(tmp_path):
    page = render("en")
    first = next(b for b in page.gt["blocks"] if b["type"] == "body")
    spec = load_running_text(LATIN / "en.yaml", LAYOUT)
    assert "A" in spec.drop_caps
    assert spec.articles["A"].paragraphs[0].startswith(first["lines"][0].rstrip("-"))
    # The initial is drawn left of the first three lines, which are indented beside it.
    blocks = [b for b in page.gt["blocks"] if b["type"] == "body"]
    layout = tmp_path / "layout.yaml"
    layout.write_text(LAYOUT.read_text(encoding="utf-8").replace("drop_caps: [A]", "drop_caps: []"), encoding="utf-8")
    no_cap = render_latin_page(LATIN / "en.yaml", layout, lang="en", dpi=100)
    assert no_cap.gt_dehyphenated_text().split() == page.gt_dehyphenated_text().split()
    assert blocks[0]["lines"][:3] != [b for b in no_cap.gt["blocks"] if b["type"] == "body"][0]["lines"][:3]
    assert blocks[0]["bbox"][0] < next(b for b in no_cap.gt["blocks"] if b["type"] == "body")["bbox"][0] + 3


@pytest.mark.parametrize("arrangement", sorted(load_running_text(LATIN / "en.yaml", LAYOUT).arrangements))
@pytest.mark.parametrize("lang", LANGS)
def test_each_arrangement_renders(lang, arrangement):
    page = render(lang, arrangement=arrangement)
    assert page.gt["layout"] == arrangement
    assert words(page.gt_dehyphenated_text()) == source_words(lang, arrangement)


@pytest.mark.parametrize("style", sorted(LATIN_STYLES))
def test_each_style_renders(style):
    page = render("de", style=style)
    assert page.gt["style"] == style
    assert words(page.gt_dehyphenated_text()) == source_words("de")


def test_column_rules_are_drawn_in_the_gutters():
    plain, ruled = render("en", column_rules=False), render("en", column_rules=True)
    assert plain.gt == ruled.gt  # the text does not move
    body = [b["bbox"] for b in plain.gt["blocks"] if b["type"] == "body"]
    left, right = body[0], body[1]  # first two columns of the first article
    gutter = slice((left[2] + right[0]) // 2 - 2, (left[2] + right[0]) // 2 + 3)
    rows = slice(left[1] + 10, left[3] - 10)
    assert plain.image[rows, gutter].min() > 200
    assert ruled.image[rows, gutter].min() < 128


# -- the line breaker on its own (widths in characters: independent of fonts) -----------------


def _break(text: str, lang: str, chars: int) -> list[str]:
    lines = break_paragraph(text, lang, lambda w: 10.0 * len(w), 10.0, lambda n: 10.0 * chars)
    return [line.marked for line in lines]


def test_divisions_follow_the_patterns_and_the_compound_hyphens():
    assert [(d.head, d.tail, d.kind) for d in divisions("well-known,", "en")] == [("well-", "known,", HARD)]
    assert [d.head for d in divisions("mother-in-law", "en")] == ["mother-in-", "mother-"]
    assert divisions("n-octanal", "en") == []  # one letter is too short to end a line
    assert [(d.head, d.kind) for d in divisions("20-jährige", "de")] == [("20-", HARD)]
    assert divisions("Straßen-", "de") == []  # a suspended hyphen divides nothing
    heads = [d.head for d in divisions("„Versprechungen", "de")]
    assert heads and all(h.startswith("„") and h.endswith("-") for h in heads)
    assert all(d.kind == SOFT for d in divisions("Verkehrsministerium", "de"))
    assert divisions("1952,", "de") == [] and divisions("NATO", "en") == []


def test_breaker_marks_divisions_and_compound_hyphens():
    text = "Es wehten Fahnen in Schwarz-Rot-Gold."
    lines = _break(text, "de", 16)
    assert lines == ["Es wehten Fahnen", "in Schwarz-Rot-¬", "Gold."]
    joined = dehyphenate_marked("\n".join(lines) + "\n")
    assert " ".join(joined.split()) == text
    # A word divided by the patterns: its hyphen is the renderer's, marked ¬ with no hyphen.
    lines = _break("Die Stadtbaumeisterin erklärte es.", "de", 14)
    assert lines == ["Die Stadtbau¬", "meisterin er¬", "klärte es."]
    assert " ".join(dehyphenate_marked("\n".join(lines)).split()) == "Die Stadtbaumeisterin erklärte es."


def test_breaker_leaves_a_suspended_hyphen_unmarked():
    lines = _break("eine neue Straßen- und Eisenbahnbrücke", "de", 18)
    assert lines[0] == "eine neue Straßen-"  # no mark: the next word is "und", not the rest of a word
    assert " ".join(dehyphenate_marked("\n".join(lines)).split()) == "eine neue Straßen- und Eisenbahnbrücke"


def test_breaker_keeps_a_dash_off_the_start_of_a_line():
    lines = _break("one two three – four five six", "en", 13)
    assert not any(line.startswith("–") for line in lines)


# -- bad input --------------------------------------------------------------------------------


def test_bad_running_text_is_refused_naming_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    second = "\n  B: {headline: H, paragraphs: [p]}\n"
    bad.write_text("masthead: X\narticles:\n  A: {headline: H, paragraphs: []}" + second)
    with pytest.raises(ValueError, match=r"bad\.yaml: article A: paragraphs"):
        load_running_text(bad, LAYOUT)
    bad.write_text("masthead: X\narticles:\n  A: {headline: H, paragraphs: [Zer¬ brechen]}" + second)
    with pytest.raises(ValueError, match="hyphenation mark"):
        load_running_text(bad, LAYOUT)
    bad.write_text("masthead: X\narticles:\n  A: {headline: H, paragraphs: [p]}\n")
    with pytest.raises(ValueError, match=r"layout\.yaml: arrangement front: unknown article 'B'"):
        load_running_text(bad, LAYOUT)
    with pytest.raises(ValueError, match="cannot read"):
        load_running_text(tmp_path / "missing.yaml", LAYOUT)
    with pytest.raises(ValueError, match="no hyphenation dictionary for language 'xx'"):
        render_latin_page(LATIN / "en.yaml", LAYOUT, lang="xx")


def test_render_page_script_latin_mode(tmp_path, capsys):
    needs_fonts()
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import render_page
    finally:
        sys.path.pop(0)
    out = tmp_path / "de.jpg"
    args = [str(LATIN / "de.yaml"), str(LAYOUT), "--lang", "de", "-o", str(out), "--dpi", "100", "--rotate", "0.3"]
    assert render_page.main(args) == 0
    stems = sorted(p.name for p in tmp_path.iterdir())
    assert stems == ["de.gt.dehyphenated.txt", "de.gt.json", "de.gt.marked.txt", "de.gt.txt", "de.jpg"]
    assert render_page.main([*args[:3], "xx", *args[4:]]) == 1
    assert "no hyphenation dictionary" in capsys.readouterr().err
