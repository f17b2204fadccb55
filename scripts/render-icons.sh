#!/usr/bin/env bash
# Renders assets/icon/casebook.svg to the sizes the packages need, offline:
#   assets/icon/png/casebook-{16..1024}.png   (Linux hicolor theme, the window icon)
#   assets/icon/casebook.ico                   (Windows: 16–256)
#   assets/icon/casebook.icns                  (macOS: 16–1024)
# Needs rsvg-convert (Debian: librsvg2-bin) and Pillow (pip install pillow). Deterministic: the
# same SVG gives the same PNG bytes with the same tools.
set -euo pipefail
cd "$(dirname "$0")/.."
svg=assets/icon/casebook.svg
out=assets/icon
mkdir -p "$out/png"
for size in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert -w "$size" -h "$size" "$svg" -o "$out/png/casebook-$size.png"
done
python3 - "$out" <<'PY'
import sys
from PIL import Image
out = sys.argv[1]
big = Image.open(f"{out}/png/casebook-1024.png").convert("RGBA")
ico_sizes = [(s, s) for s in (16, 24, 32, 48, 64, 128, 256)]
big.save(f"{out}/casebook.ico", sizes=ico_sizes)
big.save(f"{out}/casebook.icns")
print("wrote", f"{out}/casebook.ico", f"{out}/casebook.icns")
PY
ls -l "$out" "$out/png"
