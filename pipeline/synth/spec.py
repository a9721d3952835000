"""The page annotation: which transcription lines form which article, and how articles are arranged.

A transcription (`samples/transcription.txt`) is blocks of printed lines separated by blank lines,
in the order someone typed them; it says nothing about what is a headline or where a column ends.
The layout file (`samples/seed-page.layout.yaml`) adds that by pointing into the transcription:

    7        the whole of block 7 (blocks and lines are 0-based)
    "32:1"   line 1 of block 32
    "20:1-"  line 1 to the end of block 20
    "20:1-3" lines 1 to 3 of block 20

Loading checks that every transcription line is used exactly once, so the rendered page prints
the whole transcription and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HEAD_KINDS = ("section", "kicker", "headline", "subhead")


@dataclass(frozen=True)
class Head:
    kind: str  # one of HEAD_KINDS
    text: str
    reverse: bool = False  # white on a black box


@dataclass(frozen=True)
class TextLine:
    """One printed body or lead line, as transcribed."""

    text: str
    para_start: bool = False  # begins a paragraph: printed after a two-em indent


@dataclass(frozen=True)
class Subhead:
    """A subhead inside the body flow, centred over its column."""

    text: str


FlowItem = TextLine | Subhead


@dataclass(frozen=True)
class Photo:
    columns: int  # how many body columns it spans (at the top right of the body)
    height: int  # pixels at 200 dpi


@dataclass
class Article:
    id: str
    heads: list[Head]
    measure: float  # printed body line length, in ems of the body type
    body: list[FlowItem]
    lead: list[TextLine] = field(default_factory=list)
    lead_measure: float = 0.0  # in cells of the lead type (one em plus its letter spacing)
    photo: Photo | None = None
    caption: str | None = None


@dataclass(frozen=True)
class FillPhoto:
    """A captionless photo that takes whatever height its stack has left over."""

    id: str
    min_height: int  # pixels at 200 dpi


@dataclass(frozen=True)
class Item:
    """One entry of a stack: an article set in `columns` columns, or a filling photo."""

    article: str | None = None
    columns: int = 0
    photo: str | None = None


# A band is stacks side by side; a stack is items one above the other.
Stack = list[Item]
Band = list[Stack]


@dataclass
class PageSpec:
    section: Head
    articles: dict[str, Article]
    photos: dict[str, FillPhoto]
    arrangements: dict[str, list[Band]]


def read_transcription(text: str) -> list[list[str]]:
    """Blocks of lines; leading/trailing whitespace of a line is not printed, so it is dropped."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if lines:
            blocks.append(lines)
    return blocks


class _Resolver:
    """Turns references into lines and counts how often each line is used."""

    def __init__(self, blocks: list[list[str]]):
        self.blocks = blocks
        self.used: dict[tuple[int, int], int] = {}

    def positions(self, ref: int | str) -> list[tuple[int, int]]:
        m = re.fullmatch(r"(\d+)(?::(\d+)(-(\d+)?)?)?", str(ref).strip())
        if not m:
            raise ValueError(f"bad transcription reference {ref!r}")
        b = int(m.group(1))
        if b >= len(self.blocks):
            raise ValueError(f"reference {ref!r}: the transcription has {len(self.blocks)} blocks")
        n = len(self.blocks[b])
        if m.group(2) is None:
            first, last = 0, n - 1
        else:
            first = int(m.group(2))
            last = first if m.group(3) is None else (n - 1 if m.group(4) is None else int(m.group(4)))
        if not 0 <= first <= last < n:
            raise ValueError(f"reference {ref!r}: block {b} has {n} lines")
        return [(b, i) for i in range(first, last + 1)]

    def lines(self, ref: int | str) -> list[str]:
        out = []
        for pos in self.positions(ref):
            self.used[pos] = self.used.get(pos, 0) + 1
            out.append(self.blocks[pos[0]][pos[1]])
        return out

    def one_line(self, ref: int | str) -> str:
        lines = self.lines(ref)
        if len(lines) != 1:
            raise ValueError(f"reference {ref!r} must be a single line, it has {len(lines)}")
        return lines[0]

    def check_all_used_once(self) -> None:
        problems = []
        for b, block in enumerate(self.blocks):
            for i, line in enumerate(block):
                count = self.used.get((b, i), 0)
                if count != 1:
                    problems.append(f"{b}:{i} {line!r} used {count}×")
        if problems:
            raise ValueError("the layout must use every transcription line once:\n  " + "\n  ".join(problems))


def _caption(res: _Resolver, entry: dict | int | str) -> str:
    if not isinstance(entry, dict):
        return res.one_line(entry)
    text = res.one_line(entry["text"])
    repeats = int(entry.get("repeats", 1))
    printed, rest = divmod(len(text), repeats)
    if rest or text != text[:printed] * repeats:
        raise ValueError(f"caption {text!r} is not one text repeated {repeats}×")
    return text[:printed]


def _flow(res: _Resolver, refs: list, para_refs: list, subhead_refs: list) -> list[FlowItem]:
    # Paragraph starts may fall inside a referenced block ("9:1"), so compare line positions.
    para_starts = {res.positions(r)[0] for r in para_refs}
    subheads = {str(r) for r in subhead_refs}
    items: list[FlowItem] = []
    for ref in refs:
        if str(ref) in subheads:
            items.append(Subhead(res.one_line(ref)))
            continue
        for pos in res.positions(ref):
            line = res.one_line(f"{pos[0]}:{pos[1]}")
            items.append(TextLine(line, para_start=pos in para_starts))
    body_positions = {p for r in refs for p in res.positions(r)}
    stray = [r for r in para_refs if res.positions(r)[0] not in body_positions]
    stray += [r for r in subhead_refs if str(r) not in {str(b) for b in refs}]
    if stray:
        raise ValueError(f"paragraphs/subheads {stray} are not in the body")
    return items


def _article(res: _Resolver, aid: str, d: dict) -> Article:
    heads = []
    for h in d.get("heads", []):
        if h["kind"] not in HEAD_KINDS:
            raise ValueError(f"article {aid}: unknown head kind {h['kind']!r}")
        heads.append(Head(h["kind"], res.one_line(h["text"]), bool(h.get("reverse", False))))
    try:
        body = _flow(res, d["body"], d.get("paragraphs", []), d.get("subheads", []))
    except ValueError as e:
        raise ValueError(f"article {aid}: {e}") from None
    article = Article(id=aid, heads=heads, measure=float(d["measure"]), body=body)
    if "lead" in d:
        lead = d["lead"]
        lines = res.lines(lead["text"])
        # A lead is one paragraph: indented first line.
        article.lead = [TextLine(t, para_start=(i == 0)) for i, t in enumerate(lines)]
        article.lead_measure = float(lead["measure"])
    if "photo" in d:
        article.photo = Photo(columns=int(d["photo"]["columns"]), height=int(d["photo"]["height"]))
    if "caption" in d:
        if article.photo is None:
            raise ValueError(f"article {aid}: a caption needs a photo")
        article.caption = _caption(res, d["caption"])
    return article


def _arrangement(name: str, bands: list, articles: dict, photos: dict) -> list[Band]:
    out: list[Band] = []
    placed = []
    for band in bands:
        stacks: Band = []
        for stack in band:
            items: Stack = []
            for it in stack:
                if "article" in it:
                    if it["article"] not in articles:
                        raise ValueError(f"arrangement {name}: unknown article {it['article']!r}")
                    items.append(Item(article=it["article"], columns=int(it["columns"])))
                    placed.append(it["article"])
                elif it.get("photo") in photos:
                    items.append(Item(photo=it["photo"]))
                else:
                    raise ValueError(f"arrangement {name}: bad item {it!r}")
            stacks.append(items)
        out.append(stacks)
    if sorted(placed) != sorted(articles):
        raise ValueError(f"arrangement {name} must place every article once, it places {placed}")
    return out


def load_spec(transcription: str | Path, layout: str | Path) -> PageSpec:
    """Read a transcription and its layout annotation into articles and arrangements."""
    blocks = read_transcription(Path(transcription).read_text(encoding="utf-8"))
    d = yaml.safe_load(Path(layout).read_text(encoding="utf-8"))
    res = _Resolver(blocks)
    section = Head("section", res.one_line(d["section"]), reverse=True)
    articles = {str(aid): _article(res, str(aid), a) for aid, a in d["articles"].items()}
    photos = {str(pid): FillPhoto(str(pid), int(p["min_height"])) for pid, p in d.get("photos", {}).items()}
    arrangements = {name: _arrangement(name, bands, articles, photos) for name, bands in d["arrangements"].items()}
    res.check_all_used_once()
    return PageSpec(section, articles, photos, arrangements)


# -- running text: Latin pages ----------------------------------------------------------------
#
# A Latin page is written as articles of running text (samples/latin/en.yaml), not as printed
# lines: the renderer breaks and divides the lines itself, so the ground truth knows every
# division. A second file (samples/latin/layout.yaml) says how the articles are arranged.


@dataclass(frozen=True)
class RunningArticle:
    id: str
    headline: str
    paragraphs: list[str]
    kicker: str | None = None
    subhead: str | None = None


@dataclass
class RunningTextSpec:
    masthead: str  # the paper's name across the top
    folio: list[str]  # the date line under it: left, centre, right
    articles: dict[str, RunningArticle]
    photos: dict[str, FillPhoto]
    arrangements: dict[str, list[Band]]
    measure: float  # body column width, in ems of the body type
    drop_caps: frozenset[str]  # articles that open with a three-line initial
    column_rules: bool  # thin rules between an article's body columns


def _one_line(value, what: str) -> str:
    if not isinstance(value, str | int | float) or not str(value).strip():
        raise ValueError(f"{what} must be a non-empty text")
    text = " ".join(str(value).split())  # YAML folding may leave runs of spaces or newlines
    if "¬" in text:
        raise ValueError(f"{what}: ¬ is the ground truth's hyphenation mark and cannot be printed")
    return text


def _running_article(aid: str, d) -> RunningArticle:
    if not isinstance(d, dict):
        raise ValueError(f"article {aid} must be a mapping with headline and paragraphs")
    unknown = set(d) - {"kicker", "headline", "subhead", "paragraphs"}
    if unknown:
        raise ValueError(f"article {aid}: unknown keys {sorted(unknown)}")
    paragraphs = d.get("paragraphs")
    if not isinstance(paragraphs, list) or not paragraphs:
        raise ValueError(f"article {aid}: paragraphs must be a non-empty list")
    return RunningArticle(
        id=aid,
        headline=_one_line(d.get("headline"), f"article {aid}: headline"),
        paragraphs=[_one_line(p, f"article {aid}: paragraph {k + 1}") for k, p in enumerate(paragraphs)],
        kicker=_one_line(d["kicker"], f"article {aid}: kicker") if d.get("kicker") is not None else None,
        subhead=_one_line(d["subhead"], f"article {aid}: subhead") if d.get("subhead") is not None else None,
    )


def _yaml_mapping(path: Path) -> dict:
    try:
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise ValueError(f"{path}: cannot read: {str(e).splitlines()[0]}") from None
    if not isinstance(d, dict):
        raise ValueError(f"{path}: expected a YAML mapping")
    return d


def load_running_text(text: str | Path, layout: str | Path) -> RunningTextSpec:
    """Read articles of running text and their page layout; errors name the file and the reason."""
    text, layout = Path(text), Path(layout)
    t, lay = _yaml_mapping(text), _yaml_mapping(layout)
    try:
        if not isinstance(t.get("articles"), dict) or not t["articles"]:
            raise ValueError("articles must be a non-empty mapping of article id to article")
        folio = t.get("folio", [])
        if not isinstance(folio, list) or len(folio) > 3:
            raise ValueError("folio must be a list of at most three texts (left, centre, right)")
        masthead = _one_line(t.get("masthead"), "masthead")
        folio = [_one_line(f, "folio") for f in folio]
        articles = {str(aid): _running_article(str(aid), a) for aid, a in t["articles"].items()}
    except ValueError as e:
        raise ValueError(f"{text}: {e}") from None
    try:
        photos = {str(pid): FillPhoto(str(pid), int(p["min_height"])) for pid, p in lay.get("photos", {}).items()}
        if not isinstance(lay.get("arrangements"), dict) or not lay["arrangements"]:
            raise ValueError("arrangements must be a non-empty mapping")
        arrangements = {
            str(name): _arrangement(str(name), bands, articles, photos) for name, bands in lay["arrangements"].items()
        }
        measure = float(lay.get("measure", 0))
        if measure <= 0:
            raise ValueError("measure (body column width in ems) must be a positive number")
        drop_caps = frozenset(str(a) for a in lay.get("drop_caps", []))
        if drop_caps - set(articles):
            raise ValueError(f"drop_caps name articles {sorted(drop_caps - set(articles))} that {text} lacks")
    except (ValueError, KeyError, TypeError) as e:
        raise ValueError(f"{layout}: {e}") from None
    return RunningTextSpec(
        masthead=masthead,
        folio=folio,
        articles=articles,
        photos=photos,
        arrangements=arrangements,
        measure=measure,
        drop_caps=drop_caps,
        column_rules=bool(lay.get("column_rules", False)),
    )
