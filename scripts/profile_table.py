#!/usr/bin/env python3
"""Where a build's CPU goes: leaf-frame shares of a `perf record`, by part and by symbol.

    perf record -F 1999 -g -o /tmp/build.perf -- \\
        python3 scripts/benchmark.py cold --no-build --users 1000 --latency-ms 0 --scratch /dev/shm
    python3 scripts/profile_table.py /tmp/build.perf [PID]

The process with the most samples is taken unless PID is given: the build, not the demo server
(both are avatar-site; `perf script -F pid,comm` lists them)."""
import collections
import re
import subprocess
import sys

FRAME = re.compile(r"\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$")
RESIZE = ("vertical_", "horizontal_", "transpose_", "plane_", "cimg_resample")


def leaf_frames(data):
    """(pid, (symbol, shared object)) of each sample's innermost frame."""
    text = subprocess.run(["perf", "script", "-i", data, "-F", "pid,ip,sym,dso"],
                          capture_output=True, text=True, check=True).stdout
    pid, leaf = None, None
    for line in text.splitlines() + [""]:
        if not line.strip():
            if pid is not None and leaf is not None:
                yield pid, leaf
            pid, leaf = None, None
        elif not line.startswith("\t"):
            # The sample's line ("PID", right-aligned by some versions of perf); frames are tabbed.
            pid = int(line.split()[0])
        elif leaf is None and (match := FRAME.match(line)):
            leaf = (match.group(1), match.group(2).rsplit("/", 1)[-1])


def part(symbol, library):
    if library.startswith("[kernel"):
        return "kernel"
    for name, part_name in (("libjpeg", "libjpeg"), ("libturbojpeg", "libjpeg"), ("libgd", "libgd"),
                            ("libfreetype", "FreeType"), ("libc.so", "libc"), ("ld-linux", "libc")):
        if library.startswith(name):
            return part_name
    if "Foundation" in library or library.startswith("libswift") or "Foundation" in symbol:
        return "Swift runtime, Foundation"
    if symbol.startswith(RESIZE):
        return "CImaging: resize"
    if symbol.startswith("cimg_"):
        return "CImaging: other"
    if symbol.startswith("$s"):
        return "avatar-site (Swift)"
    return library


def main():
    frames = list(leaf_frames(sys.argv[1]))
    pids = collections.Counter(pid for pid, _ in frames)
    target = int(sys.argv[2]) if len(sys.argv) > 2 else pids.most_common(1)[0][0]
    mine = [leaf for pid, leaf in frames if pid == target]
    print(f"pid {target}: {len(mine)} samples")
    for title, key in (("by part", lambda leaf: part(*leaf)), ("by symbol", lambda leaf: leaf[0][:90])):
        print(f"\n{title}:")
        for name, count in collections.Counter(map(key, mine)).most_common(16):
            print(f"  {100 * count / len(mine):5.1f}%  {name}")


if __name__ == "__main__":
    main()
