"""The page model as JSON (with per-stage timings); `Page.from_json` reads it back."""

from __future__ import annotations

from ..model import Page


def write_json(page: Page) -> str:
    return page.to_json() + "\n"


def read_json(text: str) -> Page:
    return Page.from_json(text)
