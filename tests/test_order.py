from pipeline.model import Block, BlockKind, Page, rect_polygon
from pipeline.order import order_page


def block(i, kind):
    return Block(f"b{i}", kind, rect_polygon(0, i * 10, 10, i * 10 + 5))


def test_articles_open_at_headlines_and_captions_close_them(cfg):
    K = BlockKind
    kinds = [K.SECTION, K.KICKER, K.HEADLINE, K.SUBHEAD, K.BODY, K.CAPTION, K.BODY,
             K.SUBHEAD, K.HEADLINE, K.LEAD, K.BODY, K.SUBHEAD, K.BODY]
    blocks = [block(i, k) for i, k in enumerate(kinds)]
    page = Page("p", 100, 200, blocks, [b.id for b in blocks])
    order_page(page, cfg)
    articles = [[b.id for b in bs] for _, bs in page.articles()]
    assert articles == [
        ["b0"],
        ["b1", "b2", "b3", "b4", "b6", "b5"],  # the caption moves to the article's end
        ["b7", "b8", "b9", "b10", "b11", "b12"],  # an in-article subhead keeps its place
    ]
