#!/usr/bin/env python3
"""Writes a London-like test case: 36 borough-like polygons on a 6 x 6 grid over London,
48,492 vertices in all, ragged outlines, pretty-printed GeoJSON (3.8 MB) as desktop GIS tools
write it, plus a short index.md of its own. For measuring the app on a boundary the size of
the issue's London one (the corpus has no London case):

    python3 scripts/make-london-like.py /tmp/gbr-london [IMAGE]
    bash scripts/measure-rss.sh /tmp/gbr-london

IMAGE, when given, is copied in as the featured image and shown in the body too (e.g. a
4000 x 3000 JPEG: `convert -size 4000x3000 plasma:fractal -attenuate 0.4 +noise Gaussian
-quality 90 big.jpg`). Deterministic: the same files every run.
"""
import json
import math
import os
import random
import shutil
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    image = sys.argv[2] if len(sys.argv) > 2 else None
    os.makedirs(out, exist_ok=True)
    rng = random.Random(7)
    per = 48500 // 36
    features = []
    for gy in range(6):
        for gx in range(6):
            cx = -0.35 + gx * 0.09 + 0.045
            cy = 51.35 + gy * 0.055 + 0.0275
            ring = []
            for k in range(per):
                a = 2 * math.pi * k / per
                r = 1 + 0.08 * math.sin(7 * a) + 0.03 * rng.random()
                ring.append([round(cx + 0.042 * r * math.cos(a), 6),
                             round(cy + 0.026 * r * math.sin(a), 6)])
            ring.append(ring[0])
            features.append({
                "type": "Feature",
                "properties": {"name": f"Borough {gy * 6 + gx + 1}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            })
    with open(os.path.join(out, "london.geojson"), "w") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, indent=2)
    featured = ""
    body_image = ""
    if image:
        name = os.path.basename(image)
        shutil.copyfile(image, os.path.join(out, name))
        featured = f"featured_image: ./{name}\nfeatured_alt: A large test photo\n"
        body_image = f"\n![A large test photo](./{name})\n"
    text = (
        "---\n"
        "title: Greater London boroughs (synthetic test case)\n"
        "description: A made-up case with a London-sized boundary, for measuring the editor.\n"
        "status: Draft\n"
        "type: district\n"
        "city: London\n"
        "country_code: GBR\n"
        "centroid: [51.51, -0.08]\n"
        f"{featured}"
        "geography: ./london.geojson\n"
        "template: case-study\n"
        "---\n\n"
        "## Overview\n\n"
        "Thirty-six outlines laid out on a grid over London, each with about 1,350 points.\n"
        f"{body_image}"
    )
    with open(os.path.join(out, "index.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
