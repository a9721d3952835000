"""What the error rates count: grapheme clusters and words, defined as dinglehopper defines them.

- Characters are the extended grapheme clusters (Unicode UAX #29) of the NFC-normalized text, so
  ``n`` + combining tilde is one character like ``ñ``, and an emoji with its skin-tone modifier is
  one character.
- Words are the UAX #29 word-boundary segments that are not all whitespace, punctuation, symbols,
  marks or control characters (dinglehopper's "unwanted" categories Z, P, S, M, Cc and Cf).
  A private-use character (a MUFI code point in a historical transcription) is a word of its own,
  as in dinglehopper 0.11 with uniseg 0.10 (its patch to make them letters no longer takes effect).

Both segmentations come from the compiled `regex` module (`\\X`, and `\\b` under the WORD flag),
which follows the same annex as the pure-Python `uniseg` dinglehopper uses, at a hundred times its
speed.

The alignment code works on strings, one code point per character. `ClusterCodec` turns a page's
texts into such strings: a multi-code-point cluster becomes one code point from plane 16
(Supplementary Private Use Area-B) that occurs in none of the texts, and `decode` maps it back for
display. Text without multi-code-point clusters (nearly all text) passes through unchanged.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import regex

_CLUSTER = regex.compile(r"\X")
_WORD_BOUNDARY = regex.compile(r"\b", flags=regex.WORD | regex.V1)
_PLANE_16 = range(0x100000, 0x10FFFE)
# A word has a character outside dinglehopper's `unwanted` categories (Z, P, S, M, Cc, Cf).
_WANTED = regex.compile(r"[^\p{Z}\p{P}\p{S}\p{M}\p{Cc}\p{Cf}]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def grapheme_clusters(text: str) -> list[str]:
    """The extended grapheme clusters of `text` (not normalized here)."""
    return _CLUSTER.findall(text)


def words(text: str) -> list[str]:
    """The words of the NFC-normalized `text`: UAX #29 word segments, those made only of
    whitespace, punctuation, symbols, marks or control characters dropped."""
    return [w for w in _WORD_BOUNDARY.split(nfc(text)) if _WANTED.search(w)]


class ClusterCodec:
    """One code point per grapheme cluster, consistent over all the texts of one page."""

    def __init__(self, texts: Iterable[str]):
        texts = list(texts)
        self._used = set().union(*texts) if texts else set()
        self._encode: dict[str, str] = {}
        self._decode: dict[str, str] = {}
        self._next = iter(c for c in map(chr, _PLANE_16) if c not in self._used)

    def encode(self, text: str) -> str:
        """`text` (NFC-normalized here) with each multi-code-point cluster as one code point."""
        text = nfc(text)
        if text.isascii() and "\r" not in text:
            return text  # ASCII has no multi-code-point cluster but CR LF
        clusters = _CLUSTER.findall(text)
        if len(clusters) == len(text):
            return text
        out = []
        for cluster in clusters:
            if len(cluster) > 1:
                if cluster not in self._encode:
                    code = next(self._next)
                    self._encode[cluster], self._decode[code] = code, cluster
                cluster = self._encode[cluster]
            out.append(cluster)
        return "".join(out)

    def decode(self, text: str) -> str:
        """The clusters behind an encoded text (or a piece of one)."""
        if not self._decode:
            return text
        return "".join(self._decode.get(c, c) for c in text)
