"""What the XML formats share: a hardened parser, XML ids, point lists, who wrote the file."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata

from lxml import etree

from ..model import BlockKind, Page, Polygon, bbox_of

SOFTWARE = "Broadsheet"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Type sizes are written in points, which needs a resolution the page model does not carry
# unless the input told it (metadata["dpi"]); 300 dpi is the usual archival scan.
DEFAULT_DPI = 300.0


def software_version() -> str:
    try:
        return metadata.version("broadsheet")
    except metadata.PackageNotFoundError:
        return "unknown"


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def page_dpi(page: Page) -> float:
    return float(page.metadata.get("dpi") or DEFAULT_DPI)


def safe_parser() -> etree.XMLParser:
    """Ground truth comes from anywhere: no entity expansion, no DTDs, no network, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


class UnsafeXML(ValueError):
    """A document that declares entities or an external DTD: refused, never expanded or fetched."""


def parse_xml(data: bytes | str) -> etree._Element:
    """Parse a whole document (bytes preferred; a str is taken as UTF-8).

    ALTO, PAGE and hOCR never need a DTD's entities, and they are how XML attacks work: external
    entities read local files or fetch URLs (XXE), nested ones expand to gigabytes ("billion
    laughs"). The parser expands and fetches nothing; a document that declares entities or names
    an external DTD is refused outright, so such a file can't pass for ground truth with holes in
    it. A document that is not well-formed raises lxml's XMLSyntaxError (it names the line).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if _DOCTYPE.match(data) and b"<!ENTITY" in data:
        raise UnsafeXML(_ENTITIES_REFUSED)  # before parsing: libxml2 would spend effort on the bomb first
    root = etree.fromstring(data, safe_parser())
    docinfo = root.getroottree().docinfo
    if docinfo.system_url or docinfo.public_id:
        raise UnsafeXML(f"refused: the XML names an external DTD ({docinfo.system_url or docinfo.public_id}), "
                        "which could make a reader fetch files or URLs; ALTO and PAGE files need none")
    dtd = docinfo.internalDTD
    if dtd is not None and next(iter(dtd.iterentities()), None) is not None:
        raise UnsafeXML(_ENTITIES_REFUSED)
    return root


@contextmanager
def unusable_as(kind: str) -> Iterator[None]:
    """Inside a reader: an error the file's odd content causes (a number too large, a missing
    attribute, …) becomes a ValueError that says the file is not usable, never a crash."""
    try:
        yield
    except (ArithmeticError, TypeError, KeyError, IndexError, AttributeError) as e:
        raise ValueError(f"not a usable {kind} file: {type(e).__name__}: {e}") from None


def checked(page: Page, kind: str) -> Page:
    """The page a reader made, if every region and line has coordinates, all finite numbers."""
    for block in page.blocks:
        for what, polygon in [("region", block.polygon), *(("a line of region", ln.polygon) for ln in block.lines)]:
            if not polygon or not all(math.isfinite(v) for point in polygon for v in point):
                raise ValueError(f"not a usable {kind} file: {what} {block.id} has no coordinates, "
                                 "or coordinates that are not numbers")
    return page


# A document type declaration in the prolog (after the XML declaration, comments and PIs).
_DOCTYPE = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!DOCTYPE", re.S)
_ENTITIES_REFUSED = ("refused: the XML declares entities (<!ENTITY ...>), the means of XXE and "
                     "entity-expansion (\"billion laughs\") attacks; ALTO and PAGE files need none")


def to_text(root: etree._Element) -> str:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def local(el: etree._Element) -> str:
    """Element name without namespace: readers accept any version of a format's namespace."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def child(el: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in el if local(c) == name), None)


def children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if local(c) == name]


_NCNAME = re.compile(r"^[^\W\d][\w.-]*$")


def xml_id(value: str) -> str:
    """An id usable as xsd:ID; ids the pipeline makes (b1, p2, r3) pass through unchanged."""
    if _NCNAME.match(value):
        return value
    return "id_" + re.sub(r"[^\w.-]", "_", value)


def int_points(polygon: Polygon, width: int, height: int) -> str:
    """PAGE points: non-negative integers, kept inside the image."""
    return " ".join(
        f"{min(max(round(x), 0), width)},{min(max(round(y), 0), height)}" for x, y in polygon
    )


def num(v: float) -> str:
    """A coordinate with at most one decimal, as the model keeps them: 3056, 117.4."""
    return f"{float(v):.1f}".removesuffix(".0")


def float_points(polygon: Polygon) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in polygon)


def parse_points(text: str) -> Polygon:
    """Both spellings in use: "x1,y1 x2,y2" and the older "x1 y1 x2 y2"."""
    nums = [float(v) for v in re.split(r"[\s,]+", text.strip()) if v]
    if not all(math.isfinite(v) for v in nums):
        raise ValueError(f"coordinates that are not finite numbers: {text[:40]!r}")
    return [(nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2)]


def is_box(polygon: Polygon) -> bool:
    """True if the polygon is exactly its own integer bounding box (nothing for a Shape to add)."""
    x0, y0, x1, y1 = bbox_of(polygon)
    return len(polygon) == 4 and {(float(x), float(y)) for x, y in polygon} == {
        (x0, y0), (x1, y0), (x1, y1), (x0, y1)
    }


KINDS = {kind.value for kind in BlockKind}
# Kinds other tools write (PAGE region types, common ALTO tag labels) in our terms.
FOREIGN_KINDS = {
    "heading": BlockKind.HEADLINE, "title": BlockKind.HEADLINE, "paragraph": BlockKind.BODY,
    "text": BlockKind.BODY, "caption": BlockKind.CAPTION, "header": BlockKind.HEADER,
    "footer": BlockKind.FOOTER, "page-number": BlockKind.FOOTER, "credit": BlockKind.CAPTION,
    "drop-capital": BlockKind.DROP_CAP,
}


def kind_from_label(label: str | None) -> BlockKind | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in KINDS:
        return BlockKind(label)
    return FOREIGN_KINDS.get(label)


def clamp01(v: float) -> float:
    return min(max(float(v), 0.0), 1.0)


# PAGE @custom, as Transkribus writes it: `structure {type:heading;} article {id:a2;}`.
# Characters that would break that syntax are written as \uXXXX.
_CUSTOM_SPECIAL = re.compile(r"[\\{};:]")
_CUSTOM_GROUP = re.compile(r"([\w-]+)\s*\{([^}]*)\}")


def write_custom(groups: dict[str, dict[str, str]]) -> str:
    def esc(v: str) -> str:
        return _CUSTOM_SPECIAL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", v)

    return " ".join(f"{name} {{{''.join(f'{k}:{esc(str(v))};' for k, v in attrs.items())}}}"
                    for name, attrs in groups.items())


def read_custom(text: str | None) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, body in _CUSTOM_GROUP.findall(text or ""):
        attrs = out.setdefault(name, {})
        for pair in body.split(";"):
            key, sep, value = pair.partition(":")
            if sep:
                attrs[key.strip()] = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), value.strip())
    return out


def sub_element(parent: etree._Element, qualified_tag: str, text: str | None = None, /, **attrs: str | None
                ) -> etree._Element:
    """A child element with the attributes that have a value (None leaves one out) and text."""
    el = etree.SubElement(parent, qualified_tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el
