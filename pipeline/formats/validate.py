"""Schema validation of exported files, with no network.

ALTO's schema imports the XLink schema from http://www.loc.gov/standards/xlink/xlink.xsd; a
resolver maps any http(s) schema address to the file of the same name beside the schema
(../shared/schemas keeps xlink.xsd next to alto-4-4.xsd), and the parser refuses the network.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

from .xmlcommon import parse_xml


class _LocalSchemas(etree.Resolver):
    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def resolve(self, url, pubid, context):  # noqa: ANN001 - lxml's signature
        if url and url.startswith(("http://", "https://")):
            local = self.folder / url.rsplit("/", 1)[-1]
            if local.is_file():
                return self.resolve_filename(str(local), context)
        return None  # anything else stays unresolved (and, with no_network, unreachable)


@lru_cache(maxsize=8)
def load_schema(schema_path: str | Path) -> etree.XMLSchema:
    path = Path(schema_path).resolve()
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    parser.resolvers.add(_LocalSchemas(path.parent))
    return etree.XMLSchema(etree.parse(str(path), parser))


def validate(xml: bytes | str, schema_path: str | Path) -> list[str]:
    """The document's schema errors ("line N: message"); an empty list means valid."""
    try:
        doc = parse_xml(xml)
    except etree.XMLSyntaxError as e:
        return [f"not well-formed: {e}"]
    schema = load_schema(str(Path(schema_path).resolve()))
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
