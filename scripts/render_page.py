#!/usr/bin/env python3
"""Render a transcribed newspaper page as a synthetic scan with ground truth.

    python scripts/render_page.py samples/transcription.txt samples/seed-page.layout.yaml \\
        -o samples/seed-page.jpg [--style noto-serif] [--arrangement reference] [--column-width 400] \\
        [--seed 0] [--dpi 200] [--rotate 0.4] [--paper newsprint] [--noise 3] [--blur 0.6] \\
        [--illumination 0.1] [--jpeg-quality 85] [--colour]

Writes the image and, beside it, <stem>.gt.txt and <stem>.gt.json.

With --lang (en, de or a pyphen language code) the first file is articles of running text and the
page is Latin: justified narrow columns, words divided at line ends by the language's hyphenation
patterns, and also <stem>.gt.marked.txt (divisions marked ¬, a hard hyphen at a line end -¬) and
<stem>.gt.dehyphenated.txt (divided words joined):

    python scripts/render_page.py samples/latin/de.yaml samples/latin/layout.yaml --lang de \\
        -o de.jpg [--style dejavu-serif] [--arrangement front] [--column-rules] ...
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from pipeline.synth.damage import PAPERS, Damage  # noqa: E402
from pipeline.synth.latin import LATIN_STYLES, render_latin_page  # noqa: E402
from pipeline.synth.render import STYLES, render_page  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "transcription",
        type=Path,
        help="text blocks separated by blank lines, lines as printed (with --lang: running-text articles, YAML)",
    )
    p.add_argument("layout", type=Path, help="layout annotation (YAML), e.g. samples/seed-page.layout.yaml")
    p.add_argument("-o", "--output", type=Path, required=True, help="image to write (.jpg)")
    p.add_argument(
        "--lang",
        default=None,
        help="Latin page in this language (en, de or a pyphen code such as en_GB): hyphenation patterns",
    )
    p.add_argument(
        "--style",
        default=None,
        choices=sorted(STYLES) + sorted(LATIN_STYLES),
        help="typeface set (default noto-serif; with --lang dejavu-serif)",
    )
    p.add_argument(
        "--arrangement", default=None, help="article arrangement named in the layout file (default reference; "
        "with --lang front)"
    )
    p.add_argument(
        "--column-rules",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="with --lang: hairlines between body columns (default: as the layout file says)",
    )
    p.add_argument(
        "--column-width",
        type=int,
        default=None,
        help="body column width in output pixels; re-breaks the text (default: as printed)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dpi", type=int, default=200)
    p.add_argument("--rotate", type=float, default=0.0, help="skew in degrees, counter-clockwise")
    p.add_argument("--paper", default="white", choices=sorted(PAPERS))
    p.add_argument("--illumination", type=float, default=0.0, help="0..1, uneven lighting")
    p.add_argument("--blur", type=float, default=0.0, help="gaussian sigma in pixels")
    p.add_argument("--noise", type=float, default=0.0, help="gaussian sigma in grey levels")
    p.add_argument("--jpeg-quality", type=int, default=90)
    p.add_argument("--colour", action="store_true", help="RGB output (default: greyscale)")
    a = p.parse_args(argv)

    damage = Damage(
        rotate=a.rotate,
        paper=a.paper,
        illumination=a.illumination,
        blur=a.blur,
        noise=a.noise,
        jpeg_quality=a.jpeg_quality,
        colour=a.colour,
    )
    t0 = time.perf_counter()
    try:
        if a.lang is None:
            if a.column_rules is not None:
                raise ValueError("--column-rules is for Latin pages (with --lang)")
            page = render_page(
                a.transcription,
                a.layout,
                style=a.style or "noto-serif",
                arrangement=a.arrangement or "reference",
                column_width=a.column_width,
                seed=a.seed,
                dpi=a.dpi,
                damage=damage,
            )
        else:
            page = render_latin_page(
                a.transcription,
                a.layout,
                lang=a.lang,
                style=a.style or "dejavu-serif",
                arrangement=a.arrangement or "front",
                column_width=a.column_width,
                column_rules=a.column_rules,
                seed=a.seed,
                dpi=a.dpi,
                damage=damage,
            )
    except (OSError, ValueError) as e:  # FontMissing is an OSError too
        print(f"error: {e}", file=sys.stderr)
        return 1
    page.save(a.output)
    h, w = page.image.shape[:2]
    print(f"{a.output}: {w}×{h}, {len(page.gt['blocks'])} blocks, {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
