"""Output formats: schema-valid ALTO and PAGE, round trips through their readers, hOCR, articles.

Pages: a real run of the pipeline on the shared seed page (CJK, lines without words), a
hand-built Latin page (words, divided words within and across blocks, a photo, a rule, an
inverted kicker, a tilted headline) and a small vertical CJK page with words.
"""

from __future__ import annotations

import re
import socket

import pytest
from lxml import etree

from pipeline.config import load_config
from pipeline.dehyphenate import dehyphenate
from pipeline.formats import WRITERS, read_alto, read_page, validate
from pipeline.formats.hocr import write_hocr
from pipeline.formats.txt import write_txt
from pipeline.formats.validate import load_schema
from pipeline.model import Block, BlockKind, Direction, Line, Page, Word, rect_polygon
from pipeline.scoring import score_texts

ALTO_NS = "{http://www.loc.gov/standards/alto/ns-v4#}"
PAGE_NS = "{http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"


# -- pages -----------------------------------------------------------------------------------
def words_line(text: str, x: float, y: float, h: float = 30, cw: float = 15.0, conf: float = 0.95) -> Line:
    """A Latin line with a word box per word, each character `cw` wide."""
    words, pos = [], x
    for i, token in enumerate(text.split(" ")):
        words.append(Word(token, rect_polygon(pos, y, pos + len(token) * cw, y + h), round(conf - i * 0.01, 2)))
        pos += (len(token) + 1) * cw
    return Line(text, rect_polygon(x, y, pos - cw, y + h), conf, words)


def text_block(block_id: str, kind: BlockKind, article: str | None, lines: list[Line], **kw) -> Block:
    xs = [p[0] for ln in lines for p in ln.polygon]
    ys = [p[1] for ln in lines for p in ln.polygon]
    polygon = kw.pop("polygon", None) or rect_polygon(min(xs) - 4, min(ys) - 4, max(xs) + 4.5, max(ys) + 4.5)
    return Block(block_id, kind, polygon, lines, article, **kw)


def latin_page() -> Page:
    col1 = ["The council met on Tuesday to", "discuss the budget and the admin-",
            "istration of the city's parks, the", "schools and the roads. Its fi-"]
    col2 = ["nancial plan was approved by a", "large majority & <applause>."]
    blocks = [
        text_block("k1", BlockKind.KICKER, "a1", [words_line("LOCAL NEWS", 100, 150, 20, 10)],
                   inverted=True, text_height=20),
        text_block("h1", BlockKind.HEADLINE, "a1", [words_line("Council approves the budget", 100, 200, 48, 30)],
                   text_height=48, polygon=[(100.4, 198.2), (915.6, 194.1), (916.2, 250.7), (101.0, 254.8)]),
        text_block("b1", BlockKind.BODY, "a1", [words_line(t, 100 + 30 * (i == 0), 300 + 40 * i)
                                                for i, t in enumerate(col1)], text_height=30),
        text_block("b2", BlockKind.BODY, "a1", [words_line(t, 700, 300 + 40 * i) for i, t in enumerate(col2)],
                   text_height=30),
        Block("p1", BlockKind.PHOTO, rect_polygon(1200, 150, 1800, 600), article="a1"),
        text_block("c1", BlockKind.CAPTION, "a1", [words_line("The mayor at the vote.", 1200, 620, 24, 12)],
                   text_height=24),
        Block("r1", BlockKind.SEPARATOR, rect_polygon(90, 700, 1810, 704)),
        text_block("h2", BlockKind.HEADLINE, "a2", [words_line("Weather", 100, 730, 48, 30)], text_height=48),
        text_block("b3", BlockKind.BODY, "a2", [words_line("Sunny and warm, with a light breeze.", 100, 800)],
                   text_height=30),
        text_block("n1", BlockKind.BODY, None, [words_line("Corrections: none today.", 100, 900)], text_height=30),
    ]
    page = Page("latin-page", 2000, 1100, blocks, reading_order=["k1", "h1", "b1", "b2", "c1", "h2", "b3", "n1"],
                metadata={"engine": "hand-built", "source": "latin-page.png", "skew_angle": -0.4})
    dehyphenate(page, load_config())
    return page


def vertical_page() -> Page:
    """Vertical CJK with the engine's words: no spaces between them."""
    lines = [
        Line("党旗飘起来党徽亮起来", rect_polygon(560, 100, 600, 500), 0.97,
             [Word("党旗飘起来", rect_polygon(560, 100, 600, 300), 0.98),
              Word("党徽亮起来", rect_polygon(560, 300, 600, 500), 0.96)]),
        Line("党员动起来", rect_polygon(510, 100, 550, 300), 0.99),
    ]
    block = Block("v1", BlockKind.BODY, rect_polygon(505, 95, 605, 505), lines, "a1", Direction.VERTICAL,
                  text_height=40)
    head = Block("v0", BlockKind.HEADLINE, rect_polygon(620, 90, 700, 520),
                 [Line("三起来", rect_polygon(630, 100, 690, 400), 0.9)], "a1", Direction.VERTICAL, text_height=60)
    return Page("vertical-page", 800, 600, [head, block], reading_order=["v0", "v1"])


@pytest.fixture(scope="module")
def seed_page(shared) -> Page:
    """One real run of the pipeline on the seed page (about 5 s)."""
    from pipeline.config import load_config
    from pipeline.io import read_image
    from pipeline.process import process_page

    page = process_page(read_image(shared / "samples/seed-page.jpg"), load_config(), page_id="seed-page")
    page.metadata["source"] = "seed-page.jpg"
    return page


@pytest.fixture(params=["seed", "latin", "vertical"])
def any_page(request) -> Page:
    if request.param == "seed":
        return request.getfixturevalue("seed_page")
    return latin_page() if request.param == "latin" else vertical_page()


def alto_of(page: Page) -> bytes:
    return WRITERS["alto"][1](page).encode("utf-8")


def page_of(page: Page) -> bytes:
    return WRITERS["page"][1](page).encode("utf-8")


def schema(shared, name: str):
    return shared / "schemas" / name


# -- registry --------------------------------------------------------------------------------
def test_every_format_is_registered_with_its_suffix():
    assert {name: suffix for name, (suffix, _) in WRITERS.items()} == {
        "txt": ".txt", "json": ".json", "articles": ".articles.md", "alto": ".alto.xml",
        "page": ".page.xml", "hocr": ".hocr",
    }


def test_the_latin_page_has_divided_words_within_and_across_blocks():
    page = latin_page()
    assert [ln.hyphenated for ln in page.block("b1").lines] == [False, True, False, True]


# -- validation ------------------------------------------------------------------------------
def test_alto_export_validates(shared, any_page):
    assert validate(alto_of(any_page), schema(shared, "alto-4-4.xsd")) == []


def test_page_export_validates(shared, any_page):
    assert validate(page_of(any_page), schema(shared, "pagecontent-2019-07-15.xsd")) == []


def _break(xml: bytes, edit) -> bytes:
    root = etree.fromstring(xml)
    edit(root)
    return etree.tostring(root)


@pytest.mark.parametrize("breakage", [
    lambda r: next(r.iter(f"{ALTO_NS}String")).attrib.pop("CONTENT"),
    lambda r: next(r.iter(f"{ALTO_NS}String")).set("WC", "1.5"),
    lambda r: next(r.iter(f"{ALTO_NS}TextBlock")).set("ID", "b3"),  # a duplicate ID
    lambda r: next(r.iter(f"{ALTO_NS}Page")).attrib.pop("PHYSICAL_IMG_NR"),
    lambda r: r.remove(next(r.iter(f"{ALTO_NS}Layout"))),
], ids=["String without CONTENT", "WC above 1", "duplicate ID", "Page without PHYSICAL_IMG_NR", "no Layout"])
def test_broken_alto_fails_validation(shared, breakage):
    assert validate(_break(alto_of(latin_page()), breakage), schema(shared, "alto-4-4.xsd"))


@pytest.mark.parametrize("breakage", [
    lambda r: (lambda t: t.remove(t.find(f"{PAGE_NS}Coords")))(next(r.iter(f"{PAGE_NS}TextRegion"))),
    lambda r: next(r.iter(f"{PAGE_NS}Coords")).set("points", "12.5,3 -4,7"),
    lambda r: next(r.iter(f"{PAGE_NS}TextRegion")).set("type", "kicker"),
    lambda r: next(r.iter(f"{PAGE_NS}TextEquiv")).set("conf", "2"),
    lambda r: next(r.iter(f"{PAGE_NS}Page")).attrib.pop("imageWidth"),
], ids=["TextRegion without Coords", "bad points", "type outside the schema", "conf above 1", "no imageWidth"])
def test_broken_page_fails_validation(shared, breakage):
    assert validate(_break(page_of(latin_page()), breakage), schema(shared, "pagecontent-2019-07-15.xsd"))


def test_not_well_formed_fails_validation(shared):
    [error] = validate(b"<alto><Layout></alto>", schema(shared, "alto-4-4.xsd"))
    assert "not well-formed" in error


def test_schemas_load_without_the_network(shared, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the validator tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    load_schema.cache_clear()
    assert validate(alto_of(latin_page()), schema(shared, "alto-4-4.xsd")) == []


# -- round trips -----------------------------------------------------------------------------
def assert_same_page(original: Page, read: Page, tolerance: float = 1.0) -> None:
    assert read.reading_order == original.reading_order
    assert [(k, [b.id for b in bs]) for k, bs in read.articles()] == \
        [(k, [b.id for b in bs]) for k, bs in original.articles()]
    assert (read.width, read.height) == (original.width, original.height)
    by_id = {b.id: b for b in read.blocks}
    assert set(by_id) == {b.id for b in original.blocks}
    for b in original.blocks:
        r = by_id[b.id]
        assert (r.kind, r.article, r.direction, r.inverted, r.text) == (b.kind, b.article, b.direction, b.inverted,
                                                                         b.text), b.id
        assert len(r.polygon) == len(b.polygon)
        assert all(abs(p - q) <= tolerance for P, Q in zip(r.polygon, b.polygon) for p, q in zip(P, Q)), b.id
        assert abs(r.text_height - b.text_height) <= 0.5, b.id
        assert [ln.hyphenated for ln in r.lines] == [ln.hyphenated for ln in b.lines], b.id
        for rl, ol in zip(r.lines, b.lines):
            assert all(abs(p - q) <= 1 for p, q in zip(rl.bbox, ol.bbox)), b.id  # boxes of rounded points
            if len(ol.words) > 1:  # (a lone word covering its line reads back as the line itself)
                assert [w.text for w in rl.words] == [w.text for w in ol.words], b.id


def test_alto_round_trip(any_page):
    read = read_alto(alto_of(any_page))
    assert_same_page(any_page, read)
    # ALTO positions are rectangles: the bounding boxes come back exactly.
    assert {b.id: b.bbox for b in read.blocks} == {b.id: b.bbox for b in any_page.blocks}
    assert read.metadata.get("engine") == any_page.metadata.get("engine")


def test_page_round_trip(any_page):
    read = read_page(page_of(any_page))
    assert_same_page(any_page, read, tolerance=0.5)  # integer points
    assert read.id == any_page.id
    for b in any_page.blocks:
        assert read.block(b.id).confidence == pytest.approx(b.confidence, abs=1e-4)


def test_alto_keeps_non_rectangular_outlines_as_shapes():
    page = latin_page()
    read = read_alto(alto_of(page))
    assert read.block("h1").polygon == page.block("h1").polygon


def test_exports_read_in_order_score_like_the_txt_output(shared, seed_page):
    gt = (shared / "samples/seed-page.gt.txt").read_text(encoding="utf-8")
    txt = write_txt(seed_page)
    expected = score_texts(gt, txt)
    for read in (read_alto(alto_of(seed_page)), read_page(page_of(seed_page))):
        assert write_txt(read) == txt
        assert score_texts(gt, write_txt(read)) == expected


# -- what the XML carries --------------------------------------------------------------------
def test_alto_divided_words_spaces_and_tags():
    root = etree.fromstring(alto_of(latin_page()))
    strings = {s.get("CONTENT"): s for s in root.iter(f"{ALTO_NS}String")}
    for half, kind in (("admin", "HypPart1"), ("istration", "HypPart2")):
        assert (strings[half].get("SUBS_TYPE"), strings[half].get("SUBS_CONTENT")) == (kind, "administration")
    # across the column break, b1 → b2
    assert strings["fi"].get("SUBS_CONTENT") == strings["nancial"].get("SUBS_CONTENT") == "financial"
    hyp = strings["admin"].getnext()
    assert hyp.tag == f"{ALTO_NS}HYP" and hyp.get("CONTENT") == "-"
    line = strings["council"].getparent()
    assert [etree.QName(e).localname for e in line][:4] == ["String", "SP", "String", "SP"]
    assert all(0 <= float(s.get("WC")) <= 1 and s.get("HPOS") and s.get("WIDTH") for s in strings.values())
    tags = {t.get("ID"): t.get("LABEL") for t in root.iter(f"{ALTO_NS}StructureTag", f"{ALTO_NS}LayoutTag")}
    block = root.find(f".//{ALTO_NS}TextBlock[@ID='k1']")
    assert sorted(tags[ref] for ref in block.get("TAGREFS").split()) == ["a1", "inverted", "kicker"]
    assert root.find(f".//{ALTO_NS}Illustration[@ID='p1']") is not None
    assert root.find(f".//{ALTO_NS}GraphicalElement[@ID='r1']") is not None
    software = root.find(f".//{ALTO_NS}processingSoftware/{ALTO_NS}softwareName")
    assert software.text == "Broadsheet"
    assert root.find(f".//{ALTO_NS}TextStyle").get("FONTSIZE")


def test_alto_cjk_lines_are_one_string_without_fake_spaces(seed_page):
    root = etree.fromstring(alto_of(seed_page))
    assert root.find(f".//{ALTO_NS}SP") is None
    for line in root.iter(f"{ALTO_NS}TextLine"):
        assert len(line.findall(f"{ALTO_NS}String")) == 1
    vertical = etree.fromstring(alto_of(vertical_page()))
    assert vertical.find(f".//{ALTO_NS}SP") is None
    assert vertical.find(f".//{ALTO_NS}TextBlock").get("BASEDIRECTION") == "ttb"


def test_alto_reading_order_groups_articles():
    root = etree.fromstring(alto_of(latin_page()))
    top = root.find(f"{ALTO_NS}ReadingOrder/{ALTO_NS}OrderedGroup")
    shape = [[ref.get("REF") for ref in el.iter(f"{ALTO_NS}ElementRef")] for el in top]
    assert shape == [["k1", "h1", "b1", "b2", "c1"], ["h2", "b3"], ["n1"]]
    # text blocks are also written in reading order, for readers that ignore ReadingOrder
    ids = [b.get("ID") for b in root.iter(f"{ALTO_NS}TextBlock")]
    assert ids == latin_page().reading_order


def test_page_regions_types_and_reading_order():
    root = etree.fromstring(page_of(latin_page()))
    regions = {r.get("id"): r for r in root.iter(f"{PAGE_NS}TextRegion")}
    assert {i: r.get("type") for i, r in regions.items()} == {
        "k1": "heading", "h1": "heading", "b1": "paragraph", "b2": "paragraph", "c1": "caption",
        "h2": "heading", "b3": "paragraph", "n1": "paragraph"}
    assert regions["k1"].get("custom") == "structure {type:kicker;} article {id:a1;}"
    assert all(r.find(f"{PAGE_NS}Coords") is not None for r in regions.values())
    assert root.find(f".//{PAGE_NS}ImageRegion[@id='p1']") is not None
    assert root.find(f".//{PAGE_NS}SeparatorRegion[@id='r1']") is not None
    line = regions["b1"].find(f"{PAGE_NS}TextLine")
    assert line.find(f"{PAGE_NS}Coords") is not None
    assert line.find(f"{PAGE_NS}TextEquiv").get("conf") == "0.9500"
    top = root.find(f".//{PAGE_NS}ReadingOrder/{PAGE_NS}OrderedGroup")
    groups = [(etree.QName(el).localname, el.get("caption"),
               [r.get("regionRef") for r in el.iter(f"{PAGE_NS}RegionRefIndexed")]) for el in top]
    assert groups == [("OrderedGroupIndexed", "a1", ["k1", "h1", "b1", "b2", "c1"]),
                      ("OrderedGroupIndexed", "a2", ["h2", "b3"]), ("RegionRefIndexed", None, ["n1"])]


# -- hOCR ------------------------------------------------------------------------------------
def test_hocr_is_xhtml_with_classes_and_boxes(any_page):
    root = etree.fromstring(write_hocr(any_page).encode("utf-8"))
    assert root.tag == f"{XHTML_NS}html"

    def of(cls: str) -> list:
        return [e for e in root.iter() if e.get("class") == cls]

    text_blocks = any_page.ordered_blocks()  # document order is reading order
    assert len(of("ocr_page")) == 1
    assert [e.get("id") for e in of("ocr_carea")] == [f"block_{b}" for b in any_page.reading_order]
    assert len(of("ocr_par")) == len(text_blocks)
    assert len(of("ocr_line")) == sum(len(b.lines) for b in text_blocks)
    assert len(of("ocrx_word")) == sum(len(ln.words) or 1 for b in text_blocks for ln in b.lines)
    assert len(of("ocr_photo")) + len(of("ocr_separator")) == len(any_page.blocks) - len(text_blocks)
    for el in of("ocr_page") + of("ocr_carea") + of("ocr_par") + of("ocr_line"):
        assert re.match(r"(image \"[^\"]+\"; )?bbox \d+ \d+ \d+ \d+", el.get("title"))
    for el in of("ocrx_word"):
        assert re.fullmatch(r"bbox \d+ \d+ \d+ \d+; x_wconf \d{1,3}", el.get("title"))
    # the lines' text, as a browser would extract it, is the lines' text
    assert ["".join(e.itertext()) for e in of("ocr_line")] == [ln.text for b in text_blocks for ln in b.lines]


# -- articles --------------------------------------------------------------------------------
def test_articles_seed_headings_and_cjk_joins(seed_page):
    md = WRITERS["articles"][1](seed_page)
    headlines = [b for b in seed_page.blocks if b.kind is BlockKind.HEADLINE]
    assert md.count("\n# ") + md.startswith("# ") == len(headlines)
    for b in headlines:
        assert f"# {''.join(ln.text for ln in b.lines)}\n" in md
    for b in seed_page.blocks:
        if b.kind is BlockKind.BODY:  # CJK lines join with nothing between them
            assert "".join(ln.text for ln in b.lines[1:]) in md.replace("\n", "")
    assert md.count("\n---\n") == len(seed_page.articles()) - 1


def test_articles_latin_join_divided_words_across_blocks():
    md = WRITERS["articles"][1](latin_page())
    assert md.startswith("*LOCAL NEWS*\n\n# Council approves the budget\n\n")
    assert "discuss the budget and the administration of the city's parks" in md
    assert "Its financial plan was approved by a large majority &" in md  # across the column break
    assert "admin-" not in md and "fi-" not in md
    assert "\\<applause\\>" in md  # OCR text is not Markdown
    assert "*The mayor at the vote.*" in md and "# Weather" in md
    assert md.split("\n---\n")[-1].strip() == "Corrections: none today."


# -- readers on other tools' files -----------------------------------------------------------
FOREIGN_ALTO = b"""<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#">
 <Description><MeasurementUnit>pixel</MeasurementUnit></Description>
 <Layout><Page ID="page_0" WIDTH="800" HEIGHT="600" PHYSICAL_IMG_NR="0">
  <PrintSpace HPOS="0" VPOS="0" WIDTH="800" HEIGHT="600">
   <ComposedBlock ID="cblock_0" HPOS="10" VPOS="10" WIDTH="300" HEIGHT="40">
    <TextBlock ID="block_0" HPOS="10" VPOS="10" WIDTH="300" HEIGHT="40">
     <TextLine ID="line_0" HPOS="10" VPOS="10" WIDTH="300" HEIGHT="40">
      <String ID="s0" HPOS="10" VPOS="10" WIDTH="100" HEIGHT="40" WC="0.96" CONTENT="Hello"/>
      <SP WIDTH="20" VPOS="10" HPOS="110"/>
      <String ID="s1" HPOS="130" VPOS="10" WIDTH="180" HEIGHT="40" WC="0.90" CONTENT="world"/>
     </TextLine>
    </TextBlock>
   </ComposedBlock>
   <TextBlock ID="block_1" HPOS="10" VPOS="100" WIDTH="300" HEIGHT="40">
    <TextLine ID="line_1" HPOS="10" VPOS="100" WIDTH="300" HEIGHT="40">
     <String ID="s2" HPOS="10" VPOS="100" WIDTH="300" HEIGHT="40" CONTENT="Second"/>
    </TextLine>
   </TextBlock>
   <Illustration ID="img_0" HPOS="400" VPOS="10" WIDTH="300" HEIGHT="300"/>
  </PrintSpace>
 </Page></Layout>
</alto>"""

FOREIGN_PAGE = b"""<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15">
 <Metadata><Creator>someone</Creator><Created>2016-01-01T00:00:00</Created>
  <LastChange>2016-01-01T00:00:00</LastChange></Metadata>
 <Page imageFilename="scan_007.tif" imageWidth="1000" imageHeight="800">
  <ReadingOrder><OrderedGroup id="ro1">
   <RegionRefIndexed index="1" regionRef="r2"/><RegionRefIndexed index="0" regionRef="r1"/>
  </OrderedGroup></ReadingOrder>
  <TextRegion id="r2" type="paragraph"><Coords points="10,100 500,100 500,200 10,200"/>
   <TextLine id="l1"><Coords points="10,100 500,100 500,140 10,140"/>
    <TextEquiv><Unicode>Body text here</Unicode></TextEquiv></TextLine>
   <TextLine id="l2"><Coords points="10,150 500,150 500,190 10,190"/>
    <Word id="w1"><Coords points="10,150 100,150 100,190 10,190"/><TextEquiv><Unicode>and</Unicode></TextEquiv></Word>
    <Word id="w2"><Coords points="110,150 200,150 200,190 110,190"/><TextEquiv><Unicode>more</Unicode></TextEquiv></Word>
   </TextLine>
  </TextRegion>
  <TextRegion id="r1" type="heading"><Coords points="10,10 500,10 500,80 10,80"/>
   <TextEquiv><Unicode>Big News
In Two Lines</Unicode></TextEquiv></TextRegion>
  <SeparatorRegion id="s1"><Coords points="10,90 500,90 500,92 10,92"/></SeparatorRegion>
 </Page>
</PcGts>"""


def test_read_alto_from_another_tool():
    page = read_alto(FOREIGN_ALTO)
    assert (page.id, page.width, page.height) == ("page_0", 800, 600)
    assert [(b.id, b.kind) for b in page.blocks] == [
        ("block_0", BlockKind.BODY), ("block_1", BlockKind.BODY), ("img_0", BlockKind.PHOTO)]
    assert page.reading_order == ["block_0", "block_1"]
    assert page.block("block_0").text == "Hello world"
    assert [w.confidence for w in page.block("block_0").lines[0].words] == [0.96, 0.90]
    assert page.block("block_1").bbox == (10, 100, 310, 140)


def test_read_alto_in_tenths_of_millimetres_needs_the_resolution():
    mm10 = FOREIGN_ALTO.replace(b">pixel<", b">mm10<")
    with pytest.raises(ValueError, match="dpi"):
        read_alto(mm10)
    assert read_alto(mm10, dpi=508).width == 1600  # at 508 dpi a tenth of a millimetre is two pixels


def test_read_page_2013_from_another_tool():
    page = read_page(FOREIGN_PAGE)
    assert (page.id, page.width, page.height) == ("scan_007", 1000, 800)
    assert page.reading_order == ["r1", "r2"]  # by @index, not file order
    assert page.block("r1").kind is BlockKind.HEADLINE and page.block("r2").kind is BlockKind.BODY
    assert page.block("s1").kind is BlockKind.SEPARATOR
    assert page.block("r1").text == "Big News\nIn Two Lines"  # region-level text, one line per line
    assert page.block("r2").text == "Body text here\nand more"  # words joined where the line has no text


def test_readers_do_not_expand_entities():
    evil = FOREIGN_PAGE.replace(
        b"<PcGts", b'<!DOCTYPE PcGts [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<PcGts', 1
    ).replace(b"Body text here", b"&x;")
    # Refused outright (tests/test_reliability_xml.py has the other attacks), never expanded.
    with pytest.raises(ValueError, match="declares entities"):
        read_page(evil)


# -- the command writes them -----------------------------------------------------------------
def test_run_job_writes_every_format(shared, tmp_path, monkeypatch):
    from pipeline import batch

    monkeypatch.setattr(batch, "process_page", lambda image, cfg, page_id: latin_page())
    job = batch.Job(shared / "samples/seed-page.jpg", tmp_path / "latin")
    outcome = batch.run_job(job, {}, list(WRITERS))
    assert outcome.ok, outcome.error
    paths = dict(zip(WRITERS, job.outputs(list(WRITERS))))
    assert validate(paths["alto"].read_bytes(), schema(shared, "alto-4-4.xsd")) == []
    assert validate(paths["page"].read_bytes(), schema(shared, "pagecontent-2019-07-15.xsd")) == []
    assert read_alto(paths["alto"].read_bytes()).block("b1").text == latin_page().block("b1").text
    assert paths["articles"].read_text(encoding="utf-8").startswith("*LOCAL NEWS*")
