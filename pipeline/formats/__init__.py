"""Writers (and readers) of the page model: one small module per format."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Page
from .alto_read import read_alto
from .alto_write import write_alto
from .articles import write_articles
from .hocr import write_hocr
from .json_format import write_json
from .pagexml_read import read_page
from .pagexml_write import write_page
from .txt import write_txt
from .validate import validate

# format name → (file suffix, writer returning the file's text)
WRITERS: dict[str, tuple[str, Callable[[Page], str]]] = {
    "txt": (".txt", write_txt),
    "json": (".json", write_json),
    "articles": (".articles.md", write_articles),
    "alto": (".alto.xml", write_alto),
    "page": (".page.xml", write_page),
    "hocr": (".hocr", write_hocr),
}

__all__ = ["WRITERS", "read_alto", "read_page", "validate"]
