"""Fuzzing the page loaders and the ground-truth readers, for a bounded time.

The contract: a damaged file is reported, never a crash. Loaders raise only `BadInput` (its
message is the one line the batch prints); the XML readers only `ValueError` (refused or not
what they read) or lxml's `XMLSyntaxError` (not well-formed, with the line). Anything else
would reach the user as a traceback, and hypothesis shrinks it to the smallest file that does it.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from pipeline.formats import read_alto, read_page
from pipeline.formats.alto_write import write_alto
from pipeline.formats.pagexml_write import write_page
from pipeline.io import BadInput, page_count, read_page_image
from pipeline.model import Block, BlockKind, Line, Page, Word, rect_polygon
from pipeline.scoring.pairs import read_text

# Each test tries this many inputs (a few seconds in all); BROADSHEET_FUZZ_EXAMPLES=5000 fuzzes longer.
FUZZ = settings(max_examples=int(os.environ.get("BROADSHEET_FUZZ_EXAMPLES", 120)), deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


def _image_seeds() -> dict[str, bytes]:
    """Small valid files of every kind the loader reads: the fuzzer damages these."""
    rng = np.random.default_rng(0)
    page = Image.fromarray(np.where(rng.random((120, 140)) < 0.1, 0, 255).astype(np.uint8))
    seeds = {}
    for suffix, fmt, options in ((".png", "PNG", {}), (".jpg", "JPEG", {"quality": 80}),
                                 (".tif", "TIFF", {"compression": "tiff_adobe_deflate"}),
                                 (".jp2", "JPEG2000", {}), (".pdf", "PDF", {"resolution": 72}),
                                 (".webp", "WEBP", {})):
        buf = io.BytesIO()
        page.save(buf, fmt, **options)
        seeds[suffix] = buf.getvalue()
    buf = io.BytesIO()
    page.save(buf, "TIFF", save_all=True, append_images=[page.rotate(90, expand=True)])
    seeds[".tiff"] = buf.getvalue()
    return seeds


SEEDS = _image_seeds()


@st.composite
def damaged(draw, seed: bytes) -> bytes:
    """A seed file with a few bytes overwritten, a piece cut out or repeated, or its end cut off."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "truncate", "overwrite"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
        elif kind == "truncate":
            del data[at:]
        else:
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[at : at + len(chunk)] = chunk
    return bytes(data)


def _load_all_pages(path: Path) -> None:
    try:
        count = page_count(path)
    except BadInput:
        return
    for index in range(min(count, 3)):
        try:
            array, _ = read_page_image(path, index if count > 1 else None, min_side=1)
        except BadInput as e:
            assert str(e) and "\n" not in str(e)  # one line, in words
            continue
        assert array.dtype == np.uint8 and array.ndim in (2, 3)


@pytest.mark.parametrize("suffix", sorted(SEEDS))
def test_damaged_page_files_are_read_or_refused_in_words(suffix, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"fuzz{suffix}")

    @FUZZ
    @given(data=damaged(SEEDS[suffix]))
    def check(data: bytes) -> None:
        path = folder / f"page{suffix}"
        path.write_bytes(data)
        _load_all_pages(path)

    check()


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from(sorted(SEEDS)))
def test_random_bytes_under_any_page_name_are_refused_in_words(data, suffix, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzzraw") / f"page{suffix}"
    path.write_bytes(data)
    _load_all_pages(path)


# -- ground truth ------------------------------------------------------------------------------------
def _small_page() -> Page:
    words = [Word("Local", rect_polygon(10, 10, 60, 30), 0.9), Word("news", rect_polygon(65, 10, 110, 30), 0.8)]
    body = Block("b1", BlockKind.BODY, rect_polygon(5, 5, 300, 80), article="a1", text_height=20,
                 lines=[Line("Local news", rect_polygon(10, 10, 110, 30), 0.85, words),
                        Line("to-", rect_polygon(10, 40, 60, 60), 0.7, hyphenated=True),
                        Line("day 中文", rect_polygon(10, 62, 90, 78), 0.9)])
    head = Block("b2", BlockKind.HEADLINE, rect_polygon(5, 100, 300, 140), article="a1", text_height=36,
                 lines=[Line("Big News", rect_polygon(10, 100, 200, 138), 0.99)])
    photo = Block("b3", BlockKind.PHOTO, rect_polygon(5, 150, 300, 300))
    return Page("gt", 320, 320, [head, body, photo], reading_order=["b2", "b1"], metadata={"engine": "test"})


XML_SEEDS = {"alto": write_alto(_small_page()).encode(), "page": write_page(_small_page()).encode()}
READERS = {"alto": read_alto, "page": read_page}


def _read_or_refuse(reader, data: bytes) -> None:
    try:
        page = reader(data)
    except (ValueError, etree.XMLSyntaxError) as e:
        assert str(e)
        return
    # What was read is a page the rest of the program can use: finite coordinates, a JSON round trip.
    assert isinstance(page, Page)
    polygons = [b.polygon for b in page.blocks] + [ln.polygon for b in page.blocks for ln in b.lines]
    assert all(math.isfinite(v) for polygon in polygons for point in polygon for v in point)
    assert Page.from_json(page.to_json()).reading_order == page.reading_order


@pytest.mark.parametrize("kind", sorted(XML_SEEDS))
def test_damaged_ground_truth_xml_is_read_or_refused(kind):
    @FUZZ
    @given(data=damaged(XML_SEEDS[kind]))
    def check(data: bytes) -> None:
        _read_or_refuse(READERS[kind], data)

    check()


# Attribute values as another tool (or a hand editor) might leave them.
ODD_VALUES = st.one_of(st.text(max_size=12), st.sampled_from(["", "-1", "NaN", "inf", "1e309", "0,0", "1 2 3", "abc",
                                                               "10,10 20", "3.5", "-0", "99999999999999999999"]))


@pytest.mark.parametrize("kind", sorted(XML_SEEDS))
def test_ground_truth_xml_with_odd_attribute_values_is_read_or_refused(kind):
    root = etree.fromstring(XML_SEEDS[kind])
    slots = [(i, name) for i, el in enumerate(root.iter()) for name in el.attrib if not name.startswith("{")]

    @FUZZ
    @given(changes=st.lists(st.tuples(st.sampled_from(slots), ODD_VALUES), min_size=1, max_size=4))
    def check(changes) -> None:
        doc = etree.fromstring(XML_SEEDS[kind])
        elements = list(doc.iter())
        for (i, name), value in changes:
            elements[i].set(name, "".join(c for c in value if c.isprintable()))
        _read_or_refuse(READERS[kind], etree.tostring(doc))

    check()


@FUZZ
@given(data=st.binary(max_size=400))
def test_ground_truth_text_files_are_read_or_refused(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("gt") / "page.gt.txt"
    path.write_bytes(data)
    try:
        assert isinstance(read_text(path), str)
    except UnicodeDecodeError as e:  # a ValueError: the scorer reports the file
        assert "decode" in str(e)
