#!/usr/bin/env python3
"""Times the directory page in headless Chromium against its goals at 50,000 people.

    .venv/bin/python scripts/page_benchmark.py [--site DIR] [--people 50000] [--images output] [--runs 5]

Without --site it builds a fake site of --people people with scripts/directory_fixture.py into a
temporary folder (images taken from --images, a site avatar-site built). It prints, against the
goals:

- first rows: from navigation to the first result rows in the DOM, and to the frame after them
  (an observer injected before the page's own scripts watches for them), over --runs fresh loads;
- keystroke to results: 30 queries typed one key at a time into the search box; per keystroke,
  the page's own measure of its input handler up to the updated DOM (performance.measure
  "avatar-site:search", the figure the goal applies to), the time from the input event to the
  next frame (which includes waiting for the display's next refresh), and the wall-clock time as
  WebDriver sees it (send_keys until the page answers a script), beside what a key that changes
  nothing costs through WebDriver;
- DOM nodes: the most seen after loading, after every keystroke and with the list scrolled;
- the data script's size, raw and gzipped.

Exits with 1 when a goal is missed. Needs Debian's chromium and chromium-driver and selenium.
"""

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

REPOSITORY = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
GOALS = {"first_rows_ms": 1000, "keystroke_p95_ms": 50, "dom_nodes": 1500, "data_gzip_bytes": 2 * 1024 * 1024}
QUERIES = ["jose", "muller", "lodz", "王", "佐藤", "sato", "engineering", "sales emea", "london", "new york",
           "priya", "o'brien", "garcia", "ali", "smith", "manager", "director eng", "東京", "서울", "kim",
           "anna", "contoso", "jo", "ma", "e", "zz", "software engineer", "sofia", "øde", "cohen"]

# Runs before the page's scripts: notes when the first result row enters the DOM, and the frame after.
FIRST_ROWS_OBSERVER = """
new MutationObserver((records, observer) => {
  if (!document.querySelector('#results .row')) return;
  observer.disconnect();
  window.__firstRowsInDom = performance.now();
  requestAnimationFrame(() => setTimeout(() => { window.__firstRowsPainted = performance.now(); }, 0));
}).observe(document, {childList: true, subtree: true});
"""

# Installed once the page has loaded: each input event's time to the next frame.
FRAME_TIMER = """
window.__frames = [];
document.getElementById('search').addEventListener('input', () => {
  const started = performance.now();
  requestAnimationFrame(() => setTimeout(() => window.__frames.push(performance.now() - started), 0));
}, {capture: true});
"""


def start_chromium():
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            raise SystemExit(f"missing {path}: install Debian's chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1366,900", "--force-device-scale-factor=1", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-extensions"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_ROWS_OBSERVER})
    return driver


def wait_for(driver, script, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"the page did not answer {script!r} within {timeout} s")


def measure_first_rows(driver, url, runs):
    loads = []
    for _ in range(runs):
        driver.get("about:blank")
        driver.get(url)
        wait_for(driver, "return window.__firstRowsPainted")
        loads.append(driver.execute_script("""return {
            inDom: window.__firstRowsInDom, painted: window.__firstRowsPainted,
            mark: performance.getEntriesByName('avatar-site:first-rows')[0].startTime}"""))
        wait_for(driver, "return performance.getEntriesByName('avatar-site:index-ready').length")
        loads[-1]["indexReady"] = driver.execute_script(
            "return performance.getEntriesByName('avatar-site:index-ready')[0].startTime")
    return loads


def webdriver_round_trip(driver):
    """What a key that changes nothing costs through WebDriver: the floor of the wall-clock figure."""
    box = driver.find_element(By.ID, "search")
    times = []
    for _ in range(20):
        started = time.perf_counter()
        box.send_keys(Keys.SHIFT)
        driver.execute_script("return document.getElementById('search').value")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_keystrokes(driver):
    driver.execute_script(FRAME_TIMER)
    box = driver.find_element(By.ID, "search")
    handler, frames, wall, nodes = [], [], [], []
    for query in QUERIES:
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.BACKSPACE)
        wait_for(driver, "return document.getElementById('search').value === ''")
        driver.execute_script("window.__frames = []")
        for character in query:
            started = time.perf_counter()
            box.send_keys(character)
            state = driver.execute_script("""return {
                value: document.getElementById('search').value,
                handler: performance.getEntriesByName('avatar-site:search')[0].duration,
                nodes: document.getElementsByTagName('*').length}""")
            wall.append((time.perf_counter() - started) * 1000)
            handler.append(state["handler"])
            nodes.append(state["nodes"])
        frames += wait_for(driver, f"return window.__frames.length >= {len(query)} && window.__frames")
    return {"handler": handler, "frames": frames, "wall": wall, "nodes": max(nodes)}


def dom_nodes_scrolled(driver):
    counts = []
    for fraction in (0.25, 0.5, 1.0):
        driver.execute_script("const r = document.getElementById('results');"
                              "r.scrollTop = (r.scrollHeight - r.clientHeight) * arguments[0];", fraction)
        time.sleep(0.2)
        counts.append(driver.execute_script("return document.getElementsByTagName('*').length"))
    return max(counts)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def data_script(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    name = re.search(r'<script src="(directory\.[0-9a-f]{16}\.js)"', html).group(1)
    return site / name


def build_fixture(people, images, folder):
    subprocess.run([sys.executable, str(REPOSITORY / "scripts" / "directory_fixture.py"), "--people", str(people),
                    "--images", str(images), "--out", str(folder), "--force"], check=True, stdout=subprocess.DEVNULL)
    return folder


def report(rows):
    print(f"{'':34}{'measured':>14}{'goal':>14}")
    missed = False
    for label, value, goal, unit in rows:
        ok = goal is None or value <= goal
        missed |= not ok
        goal_text = "" if goal is None else f"≤ {goal:,.0f} {unit}"
        print(f"{label:34}{value:>11,.1f} {unit:<2}{goal_text:>14}  {'' if goal is None else 'ok' if ok else 'MISSED'}")
    return missed


def main():
    parser = argparse.ArgumentParser(description="Times the directory page against its goals.")
    parser.add_argument("--site", type=Path, help="a built site folder (default: a fake one of --people)")
    parser.add_argument("--people", type=int, default=50000)
    parser.add_argument("--images", type=Path, default=REPOSITORY / "output", help="a built site to take JPEGs from")
    parser.add_argument("--runs", type=int, default=5, help="page loads to time (default 5)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="page-benchmark-") as scratch:
        if args.site:
            site = args.site.resolve()
        else:
            started = time.monotonic()
            site = build_fixture(args.people, args.images, Path(scratch) / "site")
            print(f"built a fake site of {args.people:,} people in {time.monotonic() - started:.1f} s")
        script = data_script(site)
        raw = script.read_bytes()
        packed = len(gzip.compress(raw, compresslevel=6))
        driver = start_chromium()
        try:
            loads = measure_first_rows(driver, (site / "index.html").as_uri(), args.runs)
            people = driver.execute_script("return Number(document.querySelector('#results .row').getAttribute('aria-setsize'))")
            nodes_loaded = driver.execute_script("return document.getElementsByTagName('*').length")
            round_trip = webdriver_round_trip(driver)
            keys = measure_keystrokes(driver)
            box = driver.find_element(By.ID, "search")
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(Keys.BACKSPACE)
            nodes = max(nodes_loaded, keys["nodes"], dom_nodes_scrolled(driver))
            version = driver.capabilities.get("browserVersion", "?")
        finally:
            driver.quit()

    painted = [load["painted"] for load in loads]
    in_dom = [load["inDom"] for load in loads]
    figures = {
        "people": people, "chromium": version, "runs": args.runs, "keystrokes": len(keys["handler"]),
        "first_rows_in_dom_ms": statistics.median(in_dom), "first_rows_painted_ms": statistics.median(painted),
        "first_rows_painted_worst_ms": max(painted),
        "index_ready_ms": statistics.median(load["indexReady"] for load in loads),
        "keystroke_handler_median_ms": statistics.median(keys["handler"]),
        "keystroke_handler_p95_ms": percentile(keys["handler"], 0.95),
        "keystroke_next_frame_median_ms": statistics.median(keys["frames"]),
        "keystroke_next_frame_p95_ms": percentile(keys["frames"], 0.95),
        "keystroke_wall_median_ms": statistics.median(keys["wall"]),
        "keystroke_wall_p95_ms": percentile(keys["wall"], 0.95),
        "webdriver_no_op_key_ms": round_trip,
        "dom_nodes_max": nodes, "data_script_bytes": len(raw), "data_script_gzip_bytes": packed,
    }
    print(f"{people:,} people, Chromium {version}, {args.runs} loads, {len(keys['handler'])} keystrokes "
          f"over {len(QUERIES)} queries; {script.name}")
    missed = report([
        ("first rows in the DOM (median)", figures["first_rows_in_dom_ms"], None, "ms"),
        ("first rows painted (median)", figures["first_rows_painted_ms"], GOALS["first_rows_ms"], "ms"),
        ("first rows painted (worst)", figures["first_rows_painted_worst_ms"], GOALS["first_rows_ms"], "ms"),
        ("search index complete (median)", figures["index_ready_ms"], None, "ms"),
        ("keystroke, in page (median)", figures["keystroke_handler_median_ms"], None, "ms"),
        ("keystroke, in page (p95)", figures["keystroke_handler_p95_ms"], GOALS["keystroke_p95_ms"], "ms"),
        ("keystroke to next frame (median)", figures["keystroke_next_frame_median_ms"], None, "ms"),
        ("keystroke to next frame (p95)", figures["keystroke_next_frame_p95_ms"], None, "ms"),
        ("keystroke, WebDriver wall (median)", figures["keystroke_wall_median_ms"], None, "ms"),
        ("keystroke, WebDriver wall (p95)", figures["keystroke_wall_p95_ms"], None, "ms"),
        ("  a no-op key through WebDriver", round_trip, None, "ms"),
        ("DOM nodes (most seen)", nodes, GOALS["dom_nodes"], ""),
        ("data script (raw)", len(raw) / 1024, None, "KiB"),
        ("data script (gzip -6)", packed / 1024, GOALS["data_gzip_bytes"] / 1024, "KiB"),
    ])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
