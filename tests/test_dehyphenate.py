import pytest

from pipeline.dehyphenate import ends_divided_word, join_lines, lost_hyphen, page_language


def test_cjk_lines_join_without_spaces_and_latin_with_one():
    assert join_lines(["本报讯（正观新闻·郑", "州晚报记者 王赛华"]) == "本报讯（正观新闻·郑州晚报记者 王赛华"
    assert join_lines(["The council met", "on Monday"]) == "The council met on Monday"
    assert join_lines(["使用 GPS", "导航"]) == "使用 GPS导航"
    assert join_lines(["die Verwal-", "tung"], [True, False]) == "die Verwaltung"


def test_a_compound_hyphen_at_a_line_end_joins_without_a_space():
    """The compound is one word whose hyphen the line end happened to fall on; a suspended hyphen
    (a conjunction follows) and a dash between words keep the space."""
    assert join_lines(["die Farben Schwarz-Rot-", "Gold wehten"]) == "die Farben Schwarz-Rot-Gold wehten"
    assert join_lines(["a well-", "known fact"]) == "a well-known fact"
    assert join_lines(["ein 20-", "jähriger Mann"]) == "ein 20-jähriger Mann"
    assert join_lines(["neue Straßen-", "und Eisenbahnbrücken"]) == "neue Straßen- und Eisenbahnbrücken"
    assert join_lines(["pre-", "and post-war"]) == "pre- and post-war"
    assert join_lines(["prices rose -", "sharply"]) == "prices rose - sharply"


@pytest.mark.parametrize(
    "line, following, language, divided",
    [
        ("die Verwal-", "tung des Kantons", "de", True),
        ("neuzeitlichen Uni-", "versitätsneubau gilt", "de", True),
        ("Zer-", "brechen", "de", True),
        ("the adminis-", "tration said", "en", True),
        ("the govern-", "ment met", "en", True),
        # real hyphens stay
        ("Schwarz-", "Rot-Gold", "de", False),
        ("ein 20-", "jähriger Mann", "de", False),
        ("the n-", "octanal content", "en", False),
        ("a well-", "known fact", "en", False),
        ("his mother-", "in-law", "en", False),
        ("long-", "term plans", "en", False),
        ("prices rose -", "sharply", "en", False),
        ("党员-", "干部", "de", False),
    ],
)
def test_divided_words_join_and_real_hyphens_stay(line, following, language, divided):
    assert ends_divided_word(line, following, language) is divided


def test_a_hyphen_read_as_a_dot_is_found_only_where_the_joined_word_exists():
    assert lost_hyphen("unserer guten Beziehun.", "gen zu den Behörden", "de")
    assert lost_hyphen("einzelne Gruppen die Heim", "reise haben angetreten", "de")
    assert not lost_hyphen("ein Blick auf", "die Stiftung", "de")  # two ordinary words
    assert not lost_hyphen("Er kam.", "Dann ging er", "de")


def test_the_page_language_is_told_by_its_common_words():
    assert page_language(["Die Weihe des Hauses von Beethoven, gespielt vom Orchester der Basler"],
                         ("en", "de", "fr")) == "de"
    assert page_language(["The council met on Monday and the mayor said that the budget"],
                         ("en", "de", "fr")) == "en"


def test_a_blackletter_hyphen_read_as_a_colon_is_restored():
    assert lost_hyphen("von der Philoſo:", "phiſchen Fakultät", "de")
    assert lost_hyphen("und an:", "dauernder Lebensnot", "de")
    assert not lost_hyphen("Er sagte:", "die Sache sei erledigt", "de")
