"""Text normalization profiles applied to ground truth and OCR output before scoring.

A page text is split into blocks (runs of non-blank lines; one or more blank lines separate blocks).
A profile normalizes each block on its own, drops blocks that come out empty and ends each of the
others with its `block_end` (nothing for ``cjk``); the page text is the concatenation of the blocks.
So the metrics see the same characters whether they use the whole page or its blocks, and a block
break counts as one character (a space or a newline) wherever the profile keeps whitespace.

Profiles:

- ``cjk`` (default): for Chinese/Japanese pages, where line breaks and spaces carry no text.
  1. Unicode NFKC. This also folds full-width ASCII to half-width (``１２，（`` → ``12,(``), the
     ideographic space to a space, ``…`` to ``...`` (three characters) and ``﹘`` to ``—``.
  2. Quotes folded (`QUOTE_FOLD`): ``“ ” „ ‟ 「 」 『 』 〝 〞 〟 « » "`` → ``"`` and
     ``‘ ’ ‚ ‛ ‹ › '`` → ``'``. Book-title marks ``《》〈〉`` are *not* quotes and are kept.
  3. Dashes folded (`DASH_FOLD`): ``‐ ‑ ‒ – — ― −`` and ASCII ``-`` → ``-``; ``⸺`` → ``--`` and
     ``⸻`` → ``---`` (they are two- and three-em dashes), so ``——`` (the Chinese 破折号) is ``--``.
  4. All whitespace removed (everything ``str.isspace`` matches, plus the invisible zero-width
     characters U+200B/C/D, U+2060 and U+FEFF). Blocks end with nothing.
- ``cjk-simplified``: ``cjk``, then traditional characters mapped to simplified ones (OpenCC's
  ``t2s``), so a traditional-character page scores the same whether the recognizer (or the ground
  truth) writes the traditional or the simplified form.
- ``latin``: for European-language pages. NFKC; long s ``ſ`` → ``s`` and the typographic ligatures
  ``ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ ĳ Ĳ`` → their letters (NFKC does most of this; the table makes it explicit);
  ``æ œ`` are letters in several orthographies and are kept. The line-end hyphenation mark of
  transcription guidelines (OCR-D, Transkribus) ``¬`` and the Fraktur double hyphen ``⸗`` are the
  printed hyphen ``-`` (``-¬``, a hard hyphen at a line end, is one ``-``). Quotes and dashes folded as in ``cjk``;
  zero-width characters removed; every whitespace run (line and block breaks included) becomes one
  space. Each block ends with one space (leading whitespace is dropped), so the page text is the
  whole text with whitespace runs collapsed, ending in one space.
- ``none``: the text as written. Only the line/block structure is normalized: ``\\r\\n`` and ``\\r``
  become ``\\n``, blank lines are dropped and every block (so every line) ends with ``\\n``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# Applied after NFKC, so full-width variants (＂ ＇ －) have already become ASCII.
QUOTE_FOLD = {c: '"' for c in "“”„‟「」『』〝〞〟«»"} | {c: "'" for c in "‘’‚‛‹›"}
DASH_FOLD = {c: "-" for c in "‐‑‒–—―−"} | {"⸺": "--", "⸻": "---"}
# Long s and the Unicode ligature code points (NFKC already decomposes these; kept explicit so the
# profile says what it does independently of NFKC).
LIGATURE_FOLD = {"ſ": "s", "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st",
                 "ﬆ": "st", "ĳ": "ij", "Ĳ": "IJ"}
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

_PUNCT_TABLE = str.maketrans(QUOTE_FOLD | DASH_FOLD | {c: None for c in ZERO_WIDTH})
_LATIN_TABLE = str.maketrans(QUOTE_FOLD | DASH_FOLD | LIGATURE_FOLD | {c: None for c in ZERO_WIDTH})
_WHITESPACE = re.compile(r"\s+")
_HYPHENATION_MARK = re.compile("-?¬|⸗")


@dataclass(frozen=True)
class Profile:
    """A named normalization: `block` maps one block's raw text (lines joined by ``\\n``) to the
    scored string, `block_end` is appended to each non-empty result."""

    name: str
    description: str
    block: Callable[[str], str]
    block_end: str


def _cjk_block(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_TABLE)
    return _WHITESPACE.sub("", text)


@functools.cache
def _to_simplified() -> Callable[[str], str]:
    import opencc  # loaded when the profile is first used: its dictionaries take a moment

    return opencc.OpenCC("t2s").convert


def _cjk_simplified_block(text: str) -> str:
    return _to_simplified()(_cjk_block(text))


def _latin_block(text: str) -> str:
    text = _HYPHENATION_MARK.sub("-", unicodedata.normalize("NFKC", text)).translate(_LATIN_TABLE)
    return _WHITESPACE.sub(" ", text).strip()


def _none_block(text: str) -> str:
    return text


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("cjk", "NFKC; all whitespace removed; quotes folded to \" and ', dashes to -",
                _cjk_block, ""),
        Profile("cjk-simplified", "cjk, then traditional characters to simplified (OpenCC t2s)",
                _cjk_simplified_block, ""),
        Profile("latin", "NFKC; whitespace runs -> one space; quotes/dashes folded; "
                         "ſ and ligatures (ﬁ ﬂ ...) folded; hyphenation marks ¬ ⸗ -> -", _latin_block, " "),
        Profile("none", "text as written; only blank lines dropped", _none_block, "\n"),
    )
}


def get_profile(profile: str | Profile) -> Profile:
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise ValueError(f"unknown normalization profile {profile!r}; "
                         f"choose one of {', '.join(PROFILES)}") from None


def split_blocks(text: str) -> list[str]:
    """Raw blocks of a page text: runs of non-blank lines joined by ``\\n``; blank (whitespace-only)
    lines separate blocks."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return ["\n".join(lines) for lines in blocks if lines]


def normalize_blocks(text: str, profile: str | Profile = "cjk") -> list[str]:
    """The page's blocks, each normalized and ended with the profile's `block_end`; blocks that
    normalize to nothing are dropped."""
    p = get_profile(profile)
    return [nb + p.block_end for nb in (p.block(b) for b in split_blocks(text)) if nb]


def normalize_lines(text: str, profile: str | Profile = "cjk") -> list[str]:
    """The page's printed lines, each normalized as a block of its own and ended with the profile's
    `block_end`; lines that normalize to nothing are dropped. Every profile ends a line break with
    the same character as a block break (or nothing), so the lines concatenate to `normalize`'s
    page text: they are the units of the order-free CER."""
    p = get_profile(profile)
    return [nl + p.block_end for nl in (p.block(line) for line in text.splitlines()) if nl]


def normalize(text: str, profile: str | Profile = "cjk") -> str:
    """The whole page text under `profile`: the concatenation of `normalize_blocks`."""
    return "".join(normalize_blocks(text, profile))
