#!/usr/bin/env bash
# Regenerate the bundled synthetic scan samples/seed-page.{jpg,gt.txt,gt.json} from the transcription
# and its layout annotation. Deterministic: the same code, Pillow/FreeType and fonts give the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

# The reference look: default typefaces and arrangement, a slight skew, newsprint tone, mild
# blur and noise, JPEG at 85.
"$PYTHON" scripts/render_page.py samples/transcription.txt samples/seed-page.layout.yaml \
    -o samples/seed-page.jpg \
    --style noto-serif --arrangement reference --seed 1 --dpi 200 \
    --rotate 0.4 --paper newsprint --illumination 0.05 --blur 0.6 --noise 2.5 --jpeg-quality 85
