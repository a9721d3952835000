#!/usr/bin/env python3
"""Hard scans: accuracy and cleanup cost on damaged renderings of the seed page, and the NZZ page.

Renders the seed page (samples/transcription.txt, samples/seed-page.layout.yaml) at 150 dpi,
clean and with harsh scan damage (show-through, 1–10° skew, uneven light, newsprint tone, noise,
JPEG quality 50), sideways and upside down, and at low resolution; runs each through the whole
pipeline in this process (models loaded once) and prints block-flexible CER, its ratio to the
clean rendering's, the skew error, the orientation found and the per-stage timings. Cleanup's
share of a page's time is measured in the same run as the other stages, so it holds on a busy
machine. With --nzz it also counts the text lines detected over the cleaned NZZ page
(../shared/real/nzz-1939; ground truth: 497 lines).

    python scripts/bench_hard_scans.py [--quick] [--high-dpi] [--nzz] [--json results.json] [--set key=value ...]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from pipeline.config import load_config  # noqa: E402
from pipeline.formats import WRITERS  # noqa: E402
from pipeline.process import process_page  # noqa: E402
from pipeline.scoring import score_texts  # noqa: E402
from pipeline.synth.damage import Damage  # noqa: E402
from pipeline.synth.render import render_page  # noqa: E402

NZZ = ROOT.parent / "shared" / "real" / "nzz-1939" / "nzz_19390611_0_0_a1_p1_1.tif"
NZZ_LINES = 497

# The harsh scan: show-through, skew, uneven light, paper tone, noise, JPEG 50, 150 dpi.
HARSH = dict(paper="newsprint", illumination=0.35, noise=5.0, jpeg_quality=50, show_through=0.2)


def cases(quick: bool, high_dpi: bool) -> list[tuple[str, int, Damage]]:
    """(name, dpi, damage): the clean rendering first, every other case is compared with it."""
    out = [("clean", 150, Damage())]
    for angle in ((1.0, -4.0, 7.0, -10.0) if not quick else (-4.0, 7.0)):
        out.append((f"harsh {angle:+g}°", 150, Damage(rotate=angle, **HARSH)))
    for turn in (90, 180, 270):
        out.append((f"harsh +4° turned {turn}°", 150, Damage(rotate=4.0, turn=turn, **HARSH)))
    if not quick:
        out.append(("harsher: +6°, show-through 0.3, specks, shadow, blur", 150,
                    Damage(rotate=6.0, paper="newsprint", illumination=0.4, noise=6.0, jpeg_quality=50,
                           show_through=0.3, speckle=0.5, shadow=0.4, blur=0.5)))
        out.append(("harsh +1°, columns pasted up askew by ±1°", 150, Damage(rotate=1.0, lean=1.0, **HARSH)))
        out.append(("low dpi: 300 dpi scanned at 150 (scale 0.5), harsh +3°", 300,
                    Damage(rotate=3.0, scale=0.5, **HARSH)))
    if high_dpi:  # slow: a 9000 × 8000 px page
        out.append(("600 dpi, harsh -2°", 600, Damage(rotate=-2.0, **HARSH)))
    return out


def scan(dpi: int, damage: Damage):
    page = render_page(ROOT / "samples/transcription.txt", ROOT / "samples/seed-page.layout.yaml", dpi=dpi, seed=5,
                       damage=damage)
    image = np.asarray(Image.open(io.BytesIO(page.jpeg())))  # through the JPEG, as a scanner delivers it
    return page, image


def count_nzz_lines(cfg) -> dict:
    from pipeline.cleanup import cleanup
    from pipeline.engines import get_engine
    from pipeline.io import read_image
    from pipeline.layout import analyze_layout
    from pipeline.model import Page
    from pipeline.ocr import detect_lines, detection_scale

    image = read_image(NZZ)
    engine = get_engine(cfg)
    start = time.perf_counter()
    page = cleanup(Page("nzz", image.shape[1], image.shape[0], image=image), cfg)
    cleaned = time.perf_counter()
    page = analyze_layout(page, cfg)  # only for its text height, which sets the detection scale
    laid = time.perf_counter()
    scale = detection_scale(page.metadata["text_height"], cfg["ocr"]["detection"])
    boxes = detect_lines(engine, page.image, scale, cfg["ocr"]["detection"])
    detected = time.perf_counter()
    return {"lines": len(boxes), "gt_lines": NZZ_LINES, "off": round(len(boxes) / NZZ_LINES - 1, 4),
            "text_height": page.metadata["text_height"], "detection_scale": round(scale, 3),
            "skew": page.metadata.get("skew_angle"), "cleanup_s": round(cleaned - start, 2),
            "layout_s": round(laid - cleaned, 2), "detect_s": round(detected - laid, 2),
            "cleanup_steps": {k: v for k, v in page.timings.items() if k.startswith("cleanup_")}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer cases")
    parser.add_argument("--high-dpi", action="store_true", help="also a 600-dpi rendering (slow)")
    parser.add_argument("--nzz", action="store_true", help="also count the lines detected on the cleaned NZZ page")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="a setting, key=value")
    args = parser.parse_args()
    cfg = load_config(None, args.overrides)

    rows = []
    clean_cer = None
    for name, dpi, damage in cases(args.quick, args.high_dpi):
        truth, image = scan(dpi, damage)
        page = process_page(image, cfg, page_id="bench")
        score = score_texts(truth.gt_text(), WRITERS["txt"][1](page))
        clean_cer = score.flex_cer if clean_cer is None else clean_cer
        t = page.timings
        row = {"case": name, "flex_cer": round(score.flex_cer, 4), "cer": round(score.cer, 4),
               "vs_clean": round(score.flex_cer / clean_cer, 2) if clean_cer else None,
               "skew_error": round(page.metadata.get("skew_angle", 0.0) - damage.rotate, 2),
               "orientation": page.metadata.get("orientation"),
               "cleanup_share": round(t["cleanup"] / t["total"], 3), "timings": t}
        rows.append(row)
        print(f"{name:58s} flex CER {row['flex_cer']:7.2%}  ×clean {row['vs_clean'] or 0:5.2f}  "
              f"skew err {row['skew_error']:+.2f}°  turned {row['orientation']}  "
              f"cleanup {t['cleanup']:.2f} s of {t['total']:.2f} s ({row['cleanup_share']:.0%})", flush=True)
    steps = sorted({k for r in rows for k in r["timings"]})
    print("\nmedian seconds per stage:", {k: round(float(np.median([r["timings"].get(k, 0) for r in rows])), 3)
                                          for k in steps})
    result = {"pages": rows}
    if args.nzz:
        if not NZZ.exists():
            print(f"\n{NZZ}: not here, NZZ skipped")
        else:
            result["nzz"] = count_nzz_lines(cfg)
            print("\nNZZ 1939:", result["nzz"])
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
