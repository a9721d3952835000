"""Writers (and readers) of the page model: one small module per format."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Page
from .json_format import write_json
from .txt import write_txt

# format name → (file suffix, writer returning the file's text)
WRITERS: dict[str, tuple[str, Callable[[Page], str]]] = {
    "txt": (".txt", write_txt),
    "json": (".json", write_json),
}

__all__ = ["WRITERS"]
