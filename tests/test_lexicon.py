"""Lexical correction of a Fraktur model's letter confusions."""

import pytest

from pipeline.config import load_config
from pipeline.lexicon import Corrector, corrector, parse_confusions
from pipeline.model import Block, BlockKind, Line, Page, Word, rect_polygon

FRAKTUR = load_config(preset="deu-frak")


def test_confused_letters_are_put_back_where_that_makes_a_common_word():
    fix = corrector(FRAKTUR)
    assert fix.text("cinen Vorſtcher") == "einen Vorſteher"  # c → e
    assert fix.text("Jdee, Jhrer") == "Idee, Ihrer"  # Fraktur I and J are one letter
    assert fix.text("im leßten Jahr") == "im letzten Jahr"  # the tz ligature read as ß
    assert fix.text("Wirkſamfeit") == "Wirkſamkeit"  # k read as f


def test_words_the_language_knows_and_words_with_no_common_neighbour_stay():
    fix = corrector(FRAKTUR)
    for text in ("Haus", "Perpignan", "1939", "Mr", "zu", "Schaffhauſen"):
        assert fix.text(text) == text


def test_the_correction_is_off_unless_a_preset_turns_it_on():
    assert corrector(load_config()) is None


def test_a_page_is_corrected_line_and_word_alike():
    page = Page("p", 100, 100)
    words = [Word("cinen", rect_polygon(0, 0, 10, 10)), Word("Tag", rect_polygon(10, 0, 20, 10))]
    page.blocks = [Block("b1", BlockKind.BODY, rect_polygon(0, 0, 50, 10),
                         lines=[Line("cinen Tag", rect_polygon(0, 0, 50, 10), words=words)])]
    from pipeline.lexicon import correct_page

    correct_page(page, FRAKTUR)
    line = page.blocks[0].lines[0]
    assert line.text == "einen Tag" and [w.text for w in line.words] == ["einen", "Tag"]


def test_a_malformed_confusion_entry_is_refused():
    with pytest.raises(ValueError, match="LETTER=WAS"):
        parse_confusions(["ce"])
    assert parse_confusions(["f=k|ſ", "ß=tz"]) == {"f": ["k", "ſ"], "ß": ["tz"]}
    assert Corrector("de", {}, 1.0, 2.5, 2).text("cinen") == "cinen"  # an empty table changes nothing
