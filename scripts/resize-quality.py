#!/usr/bin/env python3
"""Resize quality and cost: avatar-site against Pillow's LANCZOS and libvips, all measured
against a high-quality reference, on one core.

A detailed 1944 px master image stands for the pristine photo; the 648 px JPEG (q92, 4:2:0) made
from it stands for what Graph serves. The reference at each size is LANCZOS from the master.
Every tool starts from the 648 px JPEG; the script prints luma PSNR against the reference at
every size, and the milliseconds per photo (decode + 8 resizes + 9 JPEG encodes) on one core.

Needs the packages of scripts/bench-requirements.txt:
    python3 -m venv /work/bench-venv && /work/bench-venv/bin/pip install -r scripts/bench-requirements.txt
    /work/bench-venv/bin/python scripts/resize-quality.py
builds avatar-site-bench (release) if needed, makes the master and the JPEG, and runs
`avatar-site-bench photo JPEG --master MASTER --python THIS_PYTHON`, which times avatar-site's
two paths and calls back into this script (`peers`) to time Pillow and libvips and print the
tables. `resize-quality.py make DIR` only writes master.png and source.jpg into DIR.
"""
import argparse
import io
import os
import subprocess
import sys
import tempfile
import time

# One core for every tool, libvips' worker threads included (read when pyvips loads).
os.environ["VIPS_CONCURRENCY"] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

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


def make(folder):
    """Writes master.png and source.jpg (648 px, q92, 4:2:0) into `folder`."""
    os.makedirs(folder, exist_ok=True)
    pristine = master()
    pristine.save(os.path.join(folder, "master.png"))
    pristine.resize((648, 648), Image.LANCZOS).save(os.path.join(folder, "source.jpg"), "JPEG", quality=92, subsampling=2)
    return os.path.join(folder, "master.png"), os.path.join(folder, "source.jpg")


def luma(image):
    a = np.asarray(image.convert("RGB"), dtype=np.float64)
    return 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]


def reference_luma(pristine, side):
    """Luma of LANCZOS from the master, unrounded: a reference rounded to 8 bits by Pillow itself
    rewards whatever rounds as Pillow does (Pillow's own resize scored 2.8 dB more at 48 px
    against it than against the true values)."""
    channels = [np.asarray(pristine.getchannel(c).convert("F").resize((side, side), Image.LANCZOS), dtype=np.float64)
                for c in range(3)]
    return 0.299 * channels[0] + 0.587 * channels[1] + 0.114 * channels[2]


def psnr(image, reference):
    """Luma PSNR of an 8-bit image (as handed to the JPEG encoder) against a float reference."""
    mse = np.mean((luma(image) - reference) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255 ** 2 / mse)


def centred_square(image):
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    return image.crop((left, top, left + side, top + side))


def per_photo_ms(once, iterations):
    """CPU time of this process per photo, as avatar-site-bench measures its own: the time a photo
    costs one core, which wall time on a shared machine is not."""
    once()
    started = time.process_time()
    for _ in range(iterations):
        once()
    return (time.process_time() - started) * 1000 / iterations


def pillow(source_bytes, iterations):
    """Decode once, crop, LANCZOS to each size from the photo, JPEG q85 for each and the photo."""
    def once():
        square = centred_square(Image.open(io.BytesIO(source_bytes)).convert("RGB"))
        for s in SIZES:
            square.resize((s, s), Image.LANCZOS).save(io.BytesIO(), "JPEG", quality=85)
        square.save(io.BytesIO(), "JPEG", quality=85)
    square = centred_square(Image.open(io.BytesIO(source_bytes)).convert("RGB"))
    return {s: square.resize((s, s), Image.LANCZOS) for s in SIZES}, per_photo_ms(once, iterations)


def vips_image(image):
    return Image.fromarray(np.ndarray(buffer=image.write_to_memory(), dtype=np.uint8,
                                      shape=[image.height, image.width, image.bands]))


def libvips_thumbnail(source_bytes, iterations):
    """`thumbnail` per size (libvips' own fast path: shrink-on-load, then a Lanczos 3 reduce)."""
    import pyvips

    def once():
        for s in SIZES:
            pyvips.Image.thumbnail_buffer(source_bytes, s, height=s, crop="centre").jpegsave_buffer(Q=85)
        pyvips.Image.new_from_buffer(source_bytes, "").jpegsave_buffer(Q=85)
    images = {s: vips_image(pyvips.Image.thumbnail_buffer(source_bytes, s, height=s, crop="centre")) for s in SIZES}
    return images, per_photo_ms(once, iterations)


def libvips_resize(source_bytes, iterations):
    """One decode, the centred square, then `resize` (Lanczos 3) to each size from it."""
    import pyvips

    def square_of():
        image = pyvips.Image.new_from_buffer(source_bytes, "").copy_memory()
        side = min(image.width, image.height)
        return image.crop((image.width - side) // 2, (image.height - side) // 2, side, side)

    def once():
        square = square_of()
        for s in SIZES:
            square.resize(s / square.width, kernel="lanczos3").jpegsave_buffer(Q=85)
        square.jpegsave_buffer(Q=85)
    square = square_of()
    images = {s: vips_image(square.resize(s / square.width, kernel="lanczos3")) for s in SIZES}
    return images, per_photo_ms(once, iterations)


def peers(args):
    """Times the peers on `args.source` and prints every row: avatar-site's own (`--ours`,
    measured by the bench) and the peers', with PSNR when there is a master."""
    with open(args.source, "rb") as f:
        source_bytes = f.read()
    rows, timings = {}, {}
    for entry in args.ours:
        label, folder, ms = entry.rsplit("=", 2)
        rows[label] = {s: Image.open(os.path.join(folder, f"{s}x{s}.png")) for s in SIZES}
        timings[label] = float(ms)
    measured = [("Pillow LANCZOS", pillow)]
    try:
        import pyvips  # noqa: F401
        measured += [("libvips thumbnail, per size", libvips_thumbnail), ("libvips one decode, resize", libvips_resize)]
    except (ImportError, OSError) as error:
        print(f"  (libvips not measured: {error})")
    for label, measure in measured:
        rows[label], timings[label] = measure(source_bytes, args.iterations)

    width = max(len(label) for label in rows) + 2
    if args.master:
        pristine = centred_square(Image.open(args.master).convert("RGB"))
        reference = {s: reference_luma(pristine, s) for s in SIZES}
        print("luma PSNR (dB) against LANCZOS from the pristine master (unrounded):")
        print("  " + "size".ljust(width) + "".join(f"{s:>8}" for s in SIZES))
        for label, images in rows.items():
            print("  " + label.ljust(width) + "".join(f"{psnr(images[s], reference[s]):8.2f}" for s in SIZES))
    print(f"milliseconds of CPU per photo on one core (decode + {len(SIZES)} resizes + {len(SIZES) + 1} JPEG encodes):")
    for label, ms in timings.items():
        print(f"  {label.ljust(width)}{ms:8.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    made = commands.add_parser("make", help="write master.png and source.jpg into a folder")
    made.add_argument("folder")
    peer = commands.add_parser("peers", help="time Pillow and libvips (called by avatar-site-bench photo)")
    peer.add_argument("--source", required=True)
    peer.add_argument("--master")
    peer.add_argument("--ours", action="append", default=[], help="LABEL=PNG_FOLDER=MS, a row measured by the bench")
    peer.add_argument("--iterations", type=int, default=20)
    args, rest = parser.parse_known_args()
    if args.command == "make":
        make(args.folder)
        return
    if args.command == "peers":
        peers(args)
        return
    bench = os.path.join(ROOT, ".build", "release", "avatar-site-bench")
    if not os.path.exists(bench):
        subprocess.run(["swift", "build", "-c", "release", "--product", "avatar-site-bench"], cwd=ROOT, check=True)
    pristine, source = make(tempfile.mkdtemp(prefix="resize-quality-"))
    subprocess.run([bench, "photo", source, "--master", pristine, "--python", sys.executable, *rest], check=True)


if __name__ == "__main__":
    main()
