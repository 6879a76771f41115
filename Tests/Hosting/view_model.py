#!/usr/bin/env python3
"""The view model that templates/hosting/* are rendered with, computed here as a reference.

The build computes the same values in Swift and renders the templates itself; this module is
what the checks use to know what a site should answer (which size answers a Gravatar `s=`),
and `view_model.py --site DIR` prints the view model of a site as JSON, to compare with the
build's. `view_model.py --self-test` checks the integer-range regular expressions against
every number they could be asked about.
"""

import argparse
import json
import pathlib
import re
import sys

DEFAULT_PREFIXES = ["/v1.0", "/beta"]
DEFAULT_CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400"
GRAVATAR_DEFAULT_SIZE = 80
# Gravatar answers up to 2048 px; the largest size also answers anything above.
GRAVATAR_MAX_SIZE = 2048


def integer_range_regex(low, high):
    """A regular expression (no anchors, no leading zeros) matching the integers low...high."""
    if not 1 <= low <= high:
        raise ValueError(f"bad range {low}...{high}")
    return "|".join(_same_length_pattern(start, stop) for start, stop in _split_range(low, high))


def _split_range(low, high):
    """Splits low...high into ranges that each read as a prefix, one digit range, then any digits."""
    stops = {high}
    nines = 1
    stop = _fill_with_nines(low, nines)
    while low <= stop < high:
        stops.add(stop)
        nines += 1
        stop = _fill_with_nines(low, nines)
    zeros = 1
    stop = _fill_with_zeros(high + 1, zeros) - 1
    while low < stop <= high:
        stops.add(stop)
        zeros += 1
        stop = _fill_with_zeros(high + 1, zeros) - 1
    ranges = []
    start = low
    for stop in sorted(stops):
        ranges.append((start, stop))
        start = stop + 1
    return ranges


def _fill_with_nines(number, count):
    text = str(number)
    return int(text[:-count] + "9" * count)


def _fill_with_zeros(number, count):
    return number - number % 10 ** count


def _same_length_pattern(start, stop):
    pattern = ""
    any_digits = 0
    for first, last in zip(str(start), str(stop)):
        if first == last:
            pattern += first
        elif first == "0" and last == "9":
            any_digits += 1
        else:
            pattern += f"[{first}-{last}]"
    if any_digits:
        pattern += "[0-9]" + (f"{{{any_digits}}}" if any_digits > 1 else "")
    return pattern


def size_for_gravatar(sides, requested):
    """The side that answers Gravatar's s=requested: the smallest at or above it, else the largest."""
    for side in sorted(sides):
        if side >= requested:
            return side
    return max(sides)


def sizes_view(sides):
    """Each size with the range of s= it answers, ascending."""
    sides = sorted(sides)
    views = []
    low = 1
    for index, side in enumerate(sides):
        last = index == len(sides) - 1
        high = max(side, GRAVATAR_MAX_SIZE) if last else side
        views.append({
            "name": f"{side}x{side}",
            "id": f"{side}X{side}",
            "side": side,
            "min_s": low,
            "max_s": high,
            "last": last,
            "s_regex": integer_range_regex(low, high),
        })
        low = side + 1
    return views


def prefix_regex(prefixes):
    """An optional group of the prefixes, regex-escaped: (?:/v1\\.0|/beta)?"""
    if not prefixes:
        return ""
    return "(?:" + "|".join(re.escape(prefix) for prefix in prefixes) + ")?"


def view_model(root, sides, prefixes=DEFAULT_PREFIXES, cache_control=DEFAULT_CACHE_CONTROL,
               aliases=True, gravatar=True, version="dev"):
    sizes = sizes_view(sides)
    return {
        "root": str(root),
        "prefixes": [{"path": prefix, "bare": False} for prefix in prefixes] + [{"path": "", "bare": True}],
        "prefix_regex": prefix_regex(prefixes),
        "sizes": sizes,
        "largest": sizes[-1]["name"],
        "cache_control": cache_control,
        "aliases": aliases,
        "gravatar": gravatar,
        "version": version,
    }


def site_sides(site):
    """The sizes a built site lists in users.json, as sides."""
    names = json.loads((pathlib.Path(site) / "users.json").read_text())["sizes"]
    return [int(name.lower().split("x")[0]) for name in names]


def site_view_model(site):
    site = pathlib.Path(site).resolve()
    hosting = site / "hosting"
    return view_model(
        root=site,
        sides=site_sides(site),
        aliases=(hosting / "aliases.map").is_file(),
        gravatar=(hosting / "avatars.map").is_file(),
    )


def self_test():
    """Every range regex against every number up to well past its range."""
    failures = 0
    ranges = [(1, 48), (49, 64), (65, 96), (97, 120), (121, 240), (505, 2048), (1, 1), (7, 7),
              (1, 9), (10, 99), (9, 10), (99, 101), (100, 999), (1, 2048), (1999, 2001), (120, 2048)]
    for low, high in ranges:
        pattern = re.compile(f"^(?:{integer_range_regex(low, high)})$")
        for number in range(0, 5000):
            expected = low <= number <= high
            if bool(pattern.match(str(number))) != expected:
                print(f"{low}...{high}: {number} {'missed' if expected else 'matched'}")
                failures += 1
    print("integer ranges:", "ok" if not failures else f"{failures} failures")
    return failures == 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", help="a built site: print its view model as JSON")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args(argv)
    if args.self_test:
        return 0 if self_test() else 1
    if not args.site:
        parser.error("give --site DIR or --self-test")
    json.dump(site_view_model(args.site), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
