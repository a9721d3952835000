from pipeline.dehyphenate import ends_divided_word, join_lines


def test_cjk_lines_join_without_spaces_and_latin_with_one():
    assert join_lines(["本报讯（正观新闻·郑", "州晚报记者 王赛华"]) == "本报讯（正观新闻·郑州晚报记者 王赛华"
    assert join_lines(["The council met", "on Monday"]) == "The council met on Monday"
    assert join_lines(["使用 GPS", "导航"]) == "使用 GPS导航"


def test_divided_words_join_and_real_hyphens_stay():
    assert ends_divided_word("die Verwal-", "tung des Kantons")
    assert join_lines(["die Verwal-", "tung"], [True, False]) == "die Verwaltung"
    assert not ends_divided_word("Schwarz-", "Rot-Gold")
    assert not ends_divided_word("prices rose -", "sharply")
    assert not ends_divided_word("党员-", "干部")
