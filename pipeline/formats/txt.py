"""Transcription-style text: the printed lines, one blank line between blocks, in reading order."""

from __future__ import annotations

from ..model import Page


def write_txt(page: Page) -> str:
    blocks = [b.text for b in page.ordered_blocks() if b.lines]
    return "\n\n".join(blocks) + "\n" if blocks else ""
