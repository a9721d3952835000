"""Error metrics for one page of OCR output against its ground truth.

Every metric returns an error *count*; rates are errors / GT units, and corpus rates are computed
from summed errors and summed lengths (`sum_scores`), never by averaging page rates.

All texts here are already normalized (see `normalize.py`) and cluster-encoded (see `units.py`):
one code point per NFC grapheme cluster, so every count below is a count of grapheme clusters,
as dinglehopper counts characters.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, Levenshtein

from .units import ClusterCodec, words


def _rate(errors: int, units: int) -> float:
    # An empty ground truth has a rate of 0 if the OCR is empty too, else an unbounded one.
    if units:
        return errors / units
    return 0.0 if errors == 0 else float("inf")


@dataclass(frozen=True)
class PageScore:
    """Error counts of one page. `gt_chars` is the number of grapheme clusters of the normalized GT
    page text and the denominator of every character rate; `hyp_chars` the same for the OCR text.
    `missing` marks a page whose OCR output file did not exist (scored as empty output).

    The reading-order counts are zero where either side has no region coordinates (plain text):
    `ro_regions` GT text regions with an outline, `ro_matched` of them found in the output,
    `ro_edits` the edit distance between their GT order and their output order, `ro_pairs` and
    `ro_pairs_ok` the pairs of matched regions and those the output reads in the GT's order."""

    name: str
    gt_chars: int
    hyp_chars: int
    plain_errors: int
    orderfree_errors: int  # line-flexible: GT lines matched in any order (see `line_flex_errors`)
    flex_errors: int
    flex_unmatched_gt: int = 0  # chars of GT blocks that matched no OCR span (part of flex_errors)
    flex_unmatched_hyp: int = 0  # OCR chars no GT block matched (part of flex_errors)
    missing: bool = False
    bag_errors: int = 0  # bag of characters: a lower bound of every other count (see `bag_errors`)
    gt_words: int = 0
    hyp_words: int = 0
    word_errors: int = 0
    ro_regions: int = 0
    ro_matched: int = 0
    ro_edits: int = 0
    ro_pairs: int = 0
    ro_pairs_ok: int = 0

    @property
    def cer(self) -> float:
        """plain_errors / gt_chars: dinglehopper's CER"""
        return _rate(self.plain_errors, self.gt_chars)

    @property
    def wer(self) -> float:
        """word_errors / gt_words: dinglehopper's WER"""
        return _rate(self.word_errors, self.gt_words)

    @property
    def orderfree_cer(self) -> float:
        """orderfree_errors / gt_chars: the GT lines aligned to the output in any order"""
        return _rate(self.orderfree_errors, self.gt_chars)

    @property
    def bag_cer(self) -> float:
        """bag_errors / gt_chars: characters missing or extra, wherever they stand"""
        return _rate(self.bag_errors, self.gt_chars)

    @property
    def flex_cer(self) -> float:
        """flex_errors / gt_chars"""
        return _rate(self.flex_errors, self.gt_chars)

    @property
    def ro_distance(self) -> float | None:
        """Normalized edit distance between the GT order and the output order of the matched GT
        regions (OmniDocBench's reading-order score: 0 is right, 1 is all wrong); None without
        coordinates on both sides."""
        return self.ro_edits / self.ro_matched if self.ro_matched else None

    @property
    def ro_pair_share(self) -> float | None:
        """Share of matched GT region pairs that the output reads in the GT's order."""
        return self.ro_pairs_ok / self.ro_pairs if self.ro_pairs else None

    @property
    def ro_coverage(self) -> float | None:
        """Share of the GT's outlined text regions that some output text fell in."""
        return self.ro_matched / self.ro_regions if self.ro_regions else None

    def rates(self) -> dict[str, float | None]:
        """The rates by name (JSON-safe: an unbounded rate is None)."""
        values = {"cer": self.cer, "wer": self.wer, "orderfree_cer": self.orderfree_cer,
                  "bag_cer": self.bag_cer, "flex_cer": self.flex_cer, "ro_distance": self.ro_distance,
                  "ro_pair_share": self.ro_pair_share, "ro_coverage": self.ro_coverage}
        return {k: (None if v is not None and v == float("inf") else v) for k, v in values.items()}

    def to_dict(self) -> dict:
        """Counts and rates, for JSON."""
        return {f.name: getattr(self, f.name) for f in fields(self)} | self.rates()


@dataclass(frozen=True)
class CorpusScore(PageScore):
    """Sum of page scores: errors and lengths added up, so rates weight pages by their length."""

    pages: int = 0
    missing_pages: int = 0


_SUMMED = ("gt_chars", "hyp_chars", "plain_errors", "orderfree_errors", "flex_errors", "flex_unmatched_gt",
           "flex_unmatched_hyp", "bag_errors", "gt_words", "hyp_words", "word_errors", "ro_regions", "ro_matched", "ro_edits",
           "ro_pairs", "ro_pairs_ok")


def sum_scores(pages: list[PageScore], name: str = "TOTAL") -> CorpusScore:
    """Corpus score: every count summed over the pages (so corpus CER = Σ errors / Σ GT chars)."""
    return CorpusScore(
        name=name,
        **{k: sum(getattr(p, k) for p in pages) for k in _SUMMED},
        missing=any(p.missing for p in pages),
        pages=len(pages),
        missing_pages=sum(p.missing for p in pages),
    )


# --- plain CER and the bag of characters -------------------------------------------------------

def plain_errors(gt: str, hyp: str) -> int:
    """Plain CER errors: the Levenshtein distance (unit-cost insertions, deletions, substitutions)
    between the whole normalized GT page text and the whole normalized OCR page text, each with its
    blocks concatenated in file order."""
    return Levenshtein.distance(gt, hyp)


def bag_errors(gt: str, hyp: str) -> int:
    """Bag-of-characters errors: with n_c(x) the count of character c in x,
    max(Σ_c max(0, n_c(gt) − n_c(hyp)), Σ_c max(0, n_c(hyp) − n_c(gt))), i.e. missing and extra
    characters paired up as substitutions, the rest as deletions or insertions. A lower bound of
    every other error count here, and a loose one: two opposite misreads (an e read as c, and
    elsewhere a c read as e) cancel, so it is no CER of the recognition and is reported only as
    that bound."""
    g, h = Counter(gt), Counter(hyp)
    return max((g - h).total(), (h - g).total())


# --- block-flexible and order-free (line-flexible) CER ---------------------------------------
#
# One matching serves both: `flex_errors` with the GT's blocks as its units is the block-flexible
# CER (recognition plus the order of lines inside each block), with the GT's printed lines as its
# units the order-free CER (recognition alone, lines in any order). The latter is Clausner et al.'s
# flexible character accuracy as they define it, on lines; unlike a bag of characters it counts
# every misread, so on a page read in the right order it comes out at about the plain CER.

@dataclass(frozen=True)
class Match:
    """GT block `block` matched to the OCR text hyp[start:end]."""

    block: int  # index of the GT block
    errors: int  # Levenshtein distance between the block and hyp[start:end]
    start: int
    end: int


@dataclass(frozen=True)
class FlexResult:
    """The matching `flex_errors` kept; `unmatched_gt` and `unmatched_hyp` are the deletion and
    insertion parts of `errors` outside the matches."""

    errors: int
    matches: list[Match]
    unmatched_gt: int
    unmatched_hyp: int


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


_ROWS = 128  # block characters whose mismatch rows are computed together


def fit_alignment(block: np.ndarray, text: np.ndarray,
                  windows: list[tuple[int, int]] | None = None) -> tuple[int, int, int]:
    """Semi-global ("fitting") alignment of `block` against the best substring of `text` lying
    inside one of `windows` (disjoint, sorted [start, end) ranges; default: all of `text`):
    returns (d, start, end) with d = Levenshtein(block, text[start:end]) minimal; among equally
    good substrings the longest, then the leftmost.

    Row-by-row DP over the block's characters, vectorized over the windows laid end to end.
    D[i][j] is the cost of block[:i] against the best substring ending at column j (D[0][j] = 0:
    the substring may start anywhere). To recover the start, each cell holds cost·W + start column
    (W > number of columns), so one integer min picks the lowest cost and, among those, the
    earliest start. Insertions within a row, D[i][j] = min_k<=j D[i][k] + (j − k)·W, are a running
    minimum (the cummin trick). Windows are separated by one never-matching column; the column after
    it restarts the alignment, and subtracting a large per-window offset before the running minimum
    keeps it from carrying values from one window into the next, so no substring spans two windows.
    """
    windows = windows if windows is not None else [(0, len(text))]
    sep = np.array([0xFFFFFFFF], dtype=np.uint32)  # not a Unicode code point: never matches
    pieces = [p for ws, we in windows for p in (sep, text[ws:we])][1:]
    cat = np.concatenate(pieces) if pieces else text[:0]
    pos = np.concatenate([np.arange(ws, we + 1) for ws, we in windows])  # column -> text position
    n = len(cat)
    w = n + 1
    cols = np.arange(n + 1, dtype=np.int64)
    sizes = [we - ws + 1 for ws, we in windows]
    fresh = np.cumsum(sizes)[:-1]  # first column of every window after the first
    window_of = np.repeat(np.arange(len(windows), dtype=np.int64), sizes)
    base = cols * w + window_of * (len(block) + n + 1) * w  # insertion cost + per-window offset
    row = cols.copy()  # D[0][j]: cost 0, start j
    new = np.empty(n + 1, dtype=np.int64)
    inner = new[1:]
    diagonal = np.empty(n, dtype=np.int64)
    for i in range(1, len(block) + 1):
        if (i - 1) % _ROWS == 0:
            # Mismatch costs of the next rows' characters against every column at once, so that a
            # row is a handful of compiled calls on preallocated arrays.
            mismatch = (block[i - 1:i - 1 + _ROWS, None] != cat[None, :]).astype(np.int64) * w
        # substitution/match from D[i-1][j-1], deletion of block[i-1] from D[i-1][j]
        np.add(row[:-1], mismatch[(i - 1) % _ROWS], out=diagonal)
        np.add(row[1:], w, out=inner)
        np.minimum(inner, diagonal, out=inner)
        new[0] = i * w  # block[:i] against the empty substring at 0
        if len(fresh):
            new[fresh] = i * w + fresh
        new -= base
        np.minimum.accumulate(new, out=row)
        row += base
    cost, start = np.divmod(row, w)
    best = cost.min()
    ends = np.flatnonzero(cost == best)
    end = ends[np.argmax(ends - start[ends])]  # longest span; argmax takes the first (leftmost)
    return int(best), int(pos[start[end]]), int(pos[end])


Segments = list[tuple[int, int]]  # [start, end) ranges of the OCR text not matched yet


def _by_normalized_distance(m: Match, block_len: int) -> tuple:
    # The primary rule: lowest d / len(block) first; ties: longer block (so a block that is a
    # substring of another cannot take the other's text), then file order.
    return m.errors / block_len, -block_len, m.block


def _by_matched_chars(m: Match, block_len: int) -> tuple:
    # Most characters aligned (len(block) − d) first: long blocks claim their text before a short
    # block (a headline quoted in its article's body) can take a piece of it.
    return -(block_len - m.errors), m.errors, m.block


GREEDY_ORDERS = (_by_normalized_distance, _by_matched_chars)


class _FlexAligner:
    """Greedy block ↔ span matching on one page (see `flex_errors`)."""

    def __init__(self, blocks: list[str], hyp: str):
        self.blocks = blocks
        self.hyp = hyp
        self.codes = _codes(hyp)
        self.block_codes = [_codes(b) for b in blocks]
        # Removing a span changes one segment only: the other segments' windows, bounds and
        # alignments are looked up again and again by both greedy passes, so they are kept.
        self._windows: dict[tuple[int, int, int], tuple[int, int] | None] = {}
        self._bounds: dict[tuple[int, int, int], int] = {}
        self._aligned: dict[tuple[int, int, int], tuple[int, int, int]] = {}

    def best_match(self, i: int, segments: Segments) -> Match | None:
        """Block i's best span in `segments`, or None if no span has an aligned character.

        Each segment is searched in its own window; a window whose lower bound (the block's
        characters that its longest common subsequence with the window leaves out) exceeds the
        best distance found so far cannot hold a better (or an equally good, longer) span and is
        not aligned, so most searches run one alignment however many segments are left."""
        block, m = self.blocks[i], len(self.blocks[i])
        windows = []
        for s, e in segments:
            at = self.hyp.find(block, s, e)
            if at >= 0:
                return Match(i, 0, at, at + m)  # exact occurrence: nothing beats it
            key = (i, s, e)
            if key not in self._windows:
                self._windows[key] = self._window(block, s, e)
            if (window := self._windows[key]) is not None:
                windows.append(window)
        best: tuple[int, int, int] | None = None
        for bound, ws, we in sorted((self._bound(i, ws, we), ws, we) for ws, we in windows):
            if best is not None and bound > best[0]:
                break
            key = (i, ws, we)
            if key not in self._aligned:
                self._aligned[key] = fit_alignment(self.block_codes[i], self.codes, [(ws, we)])
            d, start, end = self._aligned[key]
            if best is None or (d, start - end, start) < (best[0], best[1] - best[2], best[1]):
                best = (d, start, end)
        # A span with no aligned character (d == m) is no match: the block counts as deleted.
        return Match(i, *best) if best is not None and best[0] < m else None

    def _bound(self, i: int, ws: int, we: int) -> int:
        """A lower bound of the distance between block i and any substring of hyp[ws:we]."""
        key = (i, ws, we)
        if key not in self._bounds:
            self._bounds[key] = len(self.blocks[i]) - int(LCSseq.similarity(self.blocks[i], self.hyp[ws:we]))
        return self._bounds[key]

    def _window(self, block: str, s: int, e: int) -> tuple[int, int] | None:
        """Where in hyp[s:e] to run the exact alignment. rapidfuzz's partial_ratio finds the
        length-m window most similar to the block (compiled, fast); a span that beats deleting the
        block is shorter than 2m, so we align against that window widened by m on both sides."""
        m = len(block)
        if e - s <= 3 * m:
            return s, e
        hit = fuzz.partial_ratio_alignment(block, self.hyp[s:e])
        if hit is None or hit.score == 0:
            return None  # no common character
        return max(s, s + hit.dest_start - m), min(e, s + hit.dest_end + m)

    def initial_matches(self) -> dict[int, Match | None]:
        whole = [(0, len(self.hyp))] if self.hyp else []
        return {i: self.best_match(i, whole) for i in range(len(self.blocks))}

    def run(self, initial: dict[int, Match | None], order) -> FlexResult:
        """One greedy pass, taking the pending match that sorts first under `order` each time."""
        segments: Segments = [(0, len(self.hyp))] if self.hyp else []
        todo = dict(initial)
        matches: list[Match] = []
        unmatched_gt = 0
        while todo:
            if all(mt is None for mt in todo.values()):
                unmatched_gt = sum(len(self.blocks[k]) for k in todo)
                break
            match = min((mt for mt in todo.values() if mt is not None),
                        key=lambda mt: order(mt, len(self.blocks[mt.block])))
            del todo[match.block]
            matches.append(match)
            segments = _remove(segments, match)
            # Removing text only takes options away, so a cached best span that does not overlap
            # the removed one is still the best; only the others are searched again.
            for k, cached in todo.items():
                if cached is not None and cached.start < match.end and match.start < cached.end:
                    todo[k] = self.best_match(k, segments)
        unmatched_hyp = sum(e - s for s, e in segments)  # OCR text no block matched: insertions
        errors = sum(mt.errors for mt in matches) + unmatched_gt + unmatched_hyp
        return FlexResult(errors, matches, unmatched_gt, unmatched_hyp)


def _remove(segments: Segments, match: Match) -> Segments:
    """Take hyp[start:end] out of its segment; what is left on either side stays available."""
    out = []
    for s, e in segments:
        if s <= match.start and match.end <= e:
            out += [(a, b) for a, b in ((s, match.start), (match.end, e)) if b > a]
        else:
            out.append((s, e))
    return out


def flex_errors(gt_blocks: list[str], hyp: str) -> FlexResult:
    """Block-flexible errors, after the flexible character accuracy of Clausner, Pletschacher and
    Antonacopoulos (2020), with GT blocks as the units that may appear in any order.

    `gt_blocks` are the normalized GT blocks, `hyp` the whole normalized OCR page text. Greedy
    matching: repeat — for every unmatched GT block find its best span of the OCR text that is
    still unmatched: the substring minimizing the Levenshtein distance d (semi-global alignment),
    longest on ties, never crossing text removed earlier; take the pending block that comes first
    (lowest d / len(block); ties: longer block, then earlier block), record the match and remove
    its span. A block whose best span has d = len(block) (not one character aligned) is unmatched.
    Errors = Σ d over matches + all characters of unmatched GT blocks (deletions) + OCR characters
    left in no span (insertions).

    Like Clausner et al., who rerun their matching with several penalty settings and keep the best,
    the greedy pass is run twice — ordered by normalized distance as above, and by most characters
    aligned (len(block) − d) — and the lower error count is returned. Any set of disjoint
    block ↔ span matches gives an upper bound of the best possible matching's errors, so the
    minimum is the tighter one; the second order fixes the case of a short block (a headline)
    whose text also occurs inside another block's text (a body quoting it) taking that occurrence.

    Exactness: the alignment is exact within a window of ±len(block) around the span rapidfuzz's
    partial_ratio finds most similar (the whole segment if it is under 3·len(block)), and an exact
    occurrence of the block is always found.
    """
    aligner = _FlexAligner(gt_blocks, hyp)
    initial = aligner.initial_matches()  # the same for every order: computed once
    floor = bag_errors("".join(gt_blocks), hyp)  # no matching does better than this
    best = None
    for order in GREEDY_ORDERS:
        result = aligner.run(initial, order)
        if best is None or result.errors < best.errors:
            best = result
        if best.errors == floor:
            break
    return best


# --- words ------------------------------------------------------------------------------------

def block_words(blocks: list[str]) -> list[str]:
    """The words of a page, block by block (a block break always ends a word, whatever the profile
    puts between blocks)."""
    return [w for b in blocks for w in words(b)]


def word_errors(gt_words: list[str], hyp_words: list[str]) -> int:
    """WER errors: the Levenshtein distance between the two word sequences (a word is one unit)."""
    return Levenshtein.distance(gt_words, hyp_words)


# --- one page ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TextAnalysis:
    """The text metrics of one page and what a report needs to show where the errors are."""

    score: PageScore
    gt_blocks: list[str]  # normalized, cluster-encoded GT blocks
    hyp: str  # the normalized, cluster-encoded OCR page text
    hyp_ends: list[int]  # where each OCR block ends in `hyp`
    flex: FlexResult
    codec: ClusterCodec

    def hyp_blocks_in(self, start: int, end: int) -> list[int]:
        """The (0-based) OCR blocks that hyp[start:end] takes text from."""
        out, block_start = [], 0
        for i, block_end in enumerate(self.hyp_ends):
            if block_start < end and start < block_end:
                out.append(i)
            block_start = block_end
        return out


def analyze_text(gt_blocks: list[str], hyp_blocks: list[str], name: str = "",
                 missing: bool = False, gt_lines: list[str] | None = None) -> TextAnalysis:
    """All text metrics for one page from its normalized GT and OCR blocks (see
    `normalize_blocks`); the page texts are their concatenations. `gt_lines` are the GT's
    normalized lines (`normalize_lines`), the units of the order-free CER; without them the GT
    blocks are its units."""
    codec = ClusterCodec(gt_blocks + hyp_blocks)
    gt_encoded = [codec.encode(b) for b in gt_blocks]
    hyp_encoded = [codec.encode(b) for b in hyp_blocks]
    gt, hyp = "".join(gt_encoded), "".join(hyp_encoded)
    gt_words, hyp_words = block_words(gt_blocks), block_words(hyp_blocks)
    flex = flex_errors(gt_encoded, hyp)
    line_flex = flex_errors([codec.encode(line) for line in gt_lines], hyp) if gt_lines is not None else flex
    score = PageScore(
        name=name,
        gt_chars=len(gt),
        hyp_chars=len(hyp),
        plain_errors=plain_errors(gt, hyp),
        orderfree_errors=line_flex.errors,
        flex_errors=flex.errors,
        flex_unmatched_gt=flex.unmatched_gt,
        flex_unmatched_hyp=flex.unmatched_hyp,
        missing=missing,
        bag_errors=bag_errors(gt, hyp),
        gt_words=len(gt_words),
        hyp_words=len(hyp_words),
        word_errors=word_errors(gt_words, hyp_words),
    )
    return TextAnalysis(score, gt_encoded, hyp, np.cumsum([len(b) for b in hyp_encoded]).tolist(), flex, codec)


def score_page(gt_blocks: list[str], hyp_blocks: list[str], name: str = "",
               missing: bool = False, gt_lines: list[str] | None = None) -> PageScore:
    """The text metrics of one page (`analyze_text` without the details)."""
    return analyze_text(gt_blocks, hyp_blocks, name, missing, gt_lines).score
