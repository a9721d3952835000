#!/usr/bin/env bash
# Debian packages the tests and benchmarks use: CJK fonts (page renderer) and Tesseract (the
# peer engine the benchmarks compare against). Installs only what is missing; needs root.
set -euo pipefail
packages=(fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming
          fonts-dejavu-core fonts-dejavu-extra fonts-blankenburg  # Latin pages (pipeline/synth/latin.py)
          tesseract-ocr tesseract-ocr-chi-sim
          tesseract-ocr-frk tesseract-ocr-deu  # broadsheet bench: Tesseract on German Fraktur pages
          # the tesseract engine's models (configs/*.yaml presets; tests/test_engines.py)
          tesseract-ocr-eng tesseract-ocr-script-frak tesseract-ocr-chi-sim-vert
          libgl1 libglib2.0-0  # the OpenCV build that paddleocr pulls in (opencv-contrib-python) links them
          chromium)  # tests/test_report.py opens the HTML report in headless Chromium
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-system-deps: missing Debian packages: ${missing[*]} (run as root on Debian/Ubuntu); tests that need them will skip" >&2
  exit 0
fi
echo "install-system-deps: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
