"""Untrusted XML: ground truth comes from anywhere, so the ALTO and PAGE readers refuse the XML
attacks (external entities, external DTDs, entity-expansion bombs) with a clear error, fetch nothing
and read no local file."""

from __future__ import annotations

import socket
import time

import pytest
from lxml import etree

from pipeline.formats import read_alto, read_page

PAGE = b"""<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Page imageFilename="scan.tif" imageWidth="100" imageHeight="100">
    <TextRegion id="r1"><Coords points="0,0 50,0 50,20 0,20"/>
      <TextLine id="l1"><Coords points="0,0 50,0 50,20 0,20"/><TextEquiv><Unicode>BODY</Unicode></TextEquiv></TextLine>
    </TextRegion>
  </Page>
</PcGts>"""
ALTO = b"""<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
  <Layout><Page ID="p1" WIDTH="100" HEIGHT="100" PHYSICAL_IMG_NR="1"><PrintSpace>
    <TextBlock ID="b1" HPOS="0" VPOS="0" WIDTH="50" HEIGHT="20"><TextLine ID="l1" HPOS="0" VPOS="0" WIDTH="50" HEIGHT="20">
      <String ID="s1" CONTENT="BODY" HPOS="0" VPOS="0" WIDTH="50" HEIGHT="20"/></TextLine></TextBlock>
  </PrintSpace></Page></Layout>
</alto>"""
DOCS = {"page": (PAGE, read_page, b"<PcGts"), "alto": (ALTO, read_alto, b"<alto")}


def with_doctype(doc: bytes, root: bytes, doctype: bytes, body: bytes = b"BODY") -> bytes:
    """The document with a DOCTYPE before its root element and `body` where its text was."""
    name = root[1:]
    return doc.replace(root, doctype.replace(b"ROOT", name) + b"\n" + root, 1).replace(b"BODY", body)


LAUGHS = (b"<!DOCTYPE ROOT [<!ENTITY lol \"lol\">"
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10)) + b"]>")
ATTACKS = {
    "external entity (XXE) reading a local file": (b'<!DOCTYPE ROOT [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b"&x;",
                                                   "declares entities"),
    "external entity fetching a URL": (b'<!DOCTYPE ROOT [<!ENTITY x SYSTEM "http://127.0.0.1:9/secret">]>', b"&x;",
                                       "declares entities"),
    "parameter entity loading an external DTD": (b'<!DOCTYPE ROOT [<!ENTITY % d SYSTEM "http://127.0.0.1:9/x.dtd"> %d;]>',
                                                 b"BODY", "declares entities"),
    "external DTD": (b'<!DOCTYPE ROOT SYSTEM "http://127.0.0.1:9/page.dtd">', b"BODY", "names an external DTD"),
    "billion laughs": (LAUGHS, b"&lol9;", "declares entities"),
}


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a reader tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("kind", sorted(DOCS))
@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_xml_attacks_are_refused_with_a_clear_error(kind, attack, no_network):
    doc, reader, root = DOCS[kind]
    doctype, body, reason = ATTACKS[attack]
    start = time.perf_counter()
    with pytest.raises(ValueError, match=f"refused: the XML {reason}"):
        reader(with_doctype(doc, root, doctype, body))
    assert time.perf_counter() - start < 1.0  # refused at once, nothing expanded


@pytest.mark.parametrize("kind", sorted(DOCS))
def test_clean_documents_still_read_and_broken_ones_name_the_line(kind):
    doc, reader, _ = DOCS[kind]
    assert reader(doc).blocks[0].text == "BODY"
    with pytest.raises(etree.XMLSyntaxError, match="line"):
        reader(doc.replace(b"</TextLine>", b"", 1))


def test_an_entity_bomb_in_utf16_is_still_stopped():
    """The byte-level check can't see UTF-16; libxml2's own amplification limit stops the bomb."""
    bomb = with_doctype(PAGE, b"<PcGts", LAUGHS, b"&lol9;").decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    with pytest.raises((ValueError, etree.XMLSyntaxError)):
        read_page(bomb.encode("utf-16"))
