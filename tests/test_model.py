import numpy as np

from pipeline.model import Block, BlockKind, Direction, Line, Page, Word, rect_polygon


def sample_page() -> Page:
    line = Line("经开区前程", rect_polygon(10, 20, 200, 50), 0.98,
                words=[Word("经开区", rect_polygon(10, 20, 100, 50), 0.97)], hyphenated=True)
    blocks = [
        Block("b1", BlockKind.HEADLINE, rect_polygon(5, 15, 205, 55), [line], article="a1", text_height=30.0),
        Block("b2", BlockKind.BODY, [(5, 60), (205, 61), (204, 300), (4, 299)], [], article="a1",
              direction=Direction.VERTICAL, inverted=True),
        Block("p1", BlockKind.PHOTO, rect_polygon(300, 10, 600, 400)),
    ]
    return Page("p", 800, 600, blocks, ["b1", "b2"], {"skew_angle": 0.6}, {"total": 1.5})


def test_json_round_trip_keeps_everything():
    page = sample_page()
    again = Page.from_json(page.to_json())
    assert again == page
    assert again.to_json() == page.to_json()


def test_ordered_blocks_and_articles_follow_the_reading_order():
    page = sample_page()
    page.reading_order = ["b2", "b1"]
    assert [b.id for b in page.ordered_blocks()] == ["b2", "b1"]
    assert page.articles() == [("a1", [page.block("b2"), page.block("b1")])]


def test_coordinates_map_back_to_the_input_image():
    page = sample_page()
    page.transform = np.array([[0.99, 0.1, 5.0], [-0.1, 0.99, -3.0]])
    poly = rect_polygon(10, 20, 200, 50)
    back = page.to_input(page.to_working(poly))
    assert np.allclose(back, poly, atol=0.1)
