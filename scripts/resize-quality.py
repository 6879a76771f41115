#!/usr/bin/env python3
"""Resize quality and cost: avatar-site's resizing against Pillow's LANCZOS, both measured
against a high-quality reference.

A detailed 1944 px master image stands for the pristine photo; the 648 px JPEG (q92, 4:2:0) made
from it stands for what Graph serves. The reference at each size is LANCZOS from the master. Both
tools start from the 648 px JPEG; the script prints luma PSNR against the reference at every
size, and the milliseconds per photo (decode + 8 resizes + 9 JPEG encodes) on one core.

Needs Pillow and numpy:  baseline-venv/bin/python scripts/resize-quality.py
"""
import io
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [48, 64, 96, 120, 240, 360, 432, 504]


def master(side=1944, seed=7):
    """A photo-like image: smooth gradients, soft shapes, fine texture and hard edges."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:side, 0:side] / side
    base = np.stack([120 + 80 * x, 90 + 60 * y, 140 - 50 * x * y], axis=-1)
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x0, y0 = rng.integers(0, side, 2)
        r = rng.integers(side // 40, side // 6)
        draw.ellipse([x0 - r, y0 - r, x0 + r, y0 + r], fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    image = image.filter(ImageFilter.GaussianBlur(3))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        points = [tuple(int(v) for v in rng.integers(0, side, 2)) for _ in range(2)]
        draw.line(points, fill=tuple(int(v) for v in rng.integers(0, 255, 3)), width=int(rng.integers(2, 9)))
    texture = rng.normal(0, 9, (side, side, 1))
    return Image.fromarray(np.clip(np.asarray(image, dtype=np.float64) + texture, 0, 255).astype(np.uint8))


def luma(image):
    a = np.asarray(image.convert("RGB"), dtype=np.float64)
    return 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]


def psnr(a, b):
    mse = np.mean((luma(a) - luma(b)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255 ** 2 / mse)


def pillow_ms(source_bytes, iterations=20):
    def once():
        im = Image.open(io.BytesIO(source_bytes)).convert("RGB")
        for s in SIZES:
            buf = io.BytesIO()
            im.resize((s, s), Image.LANCZOS).save(buf, "JPEG", quality=85)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=85)
    once()
    started = time.perf_counter()
    for _ in range(iterations):
        once()
    return (time.perf_counter() - started) * 1000 / iterations


def main():
    bench = os.path.join(ROOT, ".build", "release", "avatar-site-bench")
    if not os.path.exists(bench):
        subprocess.run(["swift", "build", "-c", "release", "--product", "avatar-site-bench"], cwd=ROOT, check=True)
    folder = tempfile.mkdtemp(prefix="resize-quality-")
    pristine = master()
    source = os.path.join(folder, "source.jpg")
    pristine.resize((648, 648), Image.LANCZOS).save(source, "JPEG", quality=92, subsampling=2)
    with open(source, "rb") as f:
        source_bytes = f.read()
    reference = {s: pristine.resize((s, s), Image.LANCZOS) for s in SIZES}
    pillow = {s: Image.open(source).convert("RGB").resize((s, s), Image.LANCZOS) for s in SIZES}

    rows = {"Pillow LANCZOS": pillow}
    timings = {"Pillow LANCZOS": pillow_ms(source_bytes)}
    label = "avatar-site"
    out = os.path.join(folder, "avatar-site")
    args = [bench, "photo", source, "--png-out", out, "--iterations", "30", *sys.argv[1:]]
    line = subprocess.run(args, check=True, capture_output=True, text=True).stdout.splitlines()[0]
    timings[label] = float(line.split()[1])
    rows[label] = {s: Image.open(os.path.join(out, f"{s}x{s}.png")) for s in SIZES}

    print("luma PSNR (dB) against LANCZOS from the 1944 px master, from a 648 px JPEG q92:")
    print("  " + "size".ljust(28) + "".join(f"{s:>8}" for s in SIZES))
    for label, images in rows.items():
        print("  " + label.ljust(28) + "".join(f"{psnr(images[s], reference[s]):8.2f}" for s in SIZES))
    print("milliseconds per photo on one core (decode + 8 resizes + 9 JPEG encodes):")
    for label, ms in timings.items():
        print(f"  {label.ljust(28)}{ms:8.2f}")


if __name__ == "__main__":
    main()
