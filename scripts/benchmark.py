#!/usr/bin/env python3
"""Benchmark `avatar-site build` against the demo tenant running as its own process.

Starts `avatar-site demo-server` with N synthetic users and L ms of latency per request and builds
against it through the `graph` source (real HTTP on loopback).

    scripts/benchmark.py --users 1000 --latency-ms 20             cold builds: users, requests by kind,
    scripts/benchmark.py --users 10000 --latency-ms 0 --runs 3     bytes, wall and CPU seconds, users/s, peak RSS
    scripts/benchmark.py incremental --users 10000 --change 1%     a cold build, a no-change rebuild and a
                                                                   rebuild after K photos changed, into one folder
    scripts/benchmark.py network --users 2000 --latency-ms 20 --also-concurrency 16 32
    scripts/benchmark.py throttled --users 2000 --latency-ms 150 --server-limit 16 --runs 3
                                                                   against a server that answers 429 above 16
                                                                   requests in flight: auto against 16 told
                                                                   the network stage alone: requests/s against C/L
    scripts/benchmark.py compare --users 1000 --latency-ms 20 --runs 3 --python baseline-venv/bin/python
                                                                   cold builds of avatar-site and of the baseline
                                                                   reference.py, alternating, against one server;
                                                                   the ratio of the medians (--rebuilds: also a
                                                                   no-change and a 1%-changed rebuild)
    scripts/benchmark.py versions --users 1000 --latency-ms 0 --runs 3 --against ../old/.build/release
                                                                   cold builds of this version and of another,
                                                                   alternating, against one server: CPU, wall
                                                                   and peak memory side by side

--kind outlook-v2|ews-rest|ews-soap builds through another of the tenant's photo APIs (default graph).
Uses only the standard library. Builds the release binary first unless --no-build is given.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

import benchmark_builds as builds
from benchmark_builds import (ROOT, SECRET, describe, floor_seconds, in_scratch, run_build, run_measured, start_server,
                              write_config)


def cold(a, binary):
    server, endpoints = start_server(binary, a.users, a.latency_ms, a.page_size)
    runs = []
    try:
        for _ in range(a.runs):
            runs.append(in_scratch(a, "avatar-site-bench-",
                                   lambda folder: run_build(binary, write_config(folder, endpoints, a.concurrency))))
    finally:
        server.terminate()
        server.wait()
    walls = [r[0] for r in runs]
    wall = statistics.median(walls)
    middle = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
    describe(f"avatar-site cold build ({builds.KIND}): {a.users} demo users, {a.latency_ms} ms latency, concurrency {a.concurrency}, "
             f"{a.runs} run(s), {os.cpu_count()} cores" + (f"; walls {', '.join(f'{w:.2f}' for w in walls)}" if a.runs > 1 else ""),
             wall, statistics.median(r[1] for r in runs), max(r[2] for r in runs), middle[3])


def incremental(a, binary):
    changed = int(a.change[:-1]) * a.users // 100 if a.change.endswith("%") else int(a.change)
    folder = tempfile.mkdtemp(prefix="avatar-site-bench-", dir=a.scratch)
    try:
        server, endpoints = start_server(binary, a.users, a.latency_ms, a.page_size)
        try:
            config = write_config(folder, endpoints, a.concurrency)
            results = [("cold build", run_build(binary, config)), ("no-change rebuild", run_build(binary, config))]
        finally:
            server.terminate()
            server.wait()
        server, endpoints = start_server(binary, a.users, a.latency_ms, a.page_size, ["--change-photos", str(changed)])
        try:
            config = write_config(folder, endpoints, a.concurrency)
            results.append((f"rebuild after {changed} photos changed", run_build(binary, config)))
        finally:
            server.terminate()
            server.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"avatar-site incremental builds ({builds.KIND}): {a.users} demo users, {a.latency_ms} ms latency, concurrency {a.concurrency}, "
          f"{os.cpu_count()} cores")
    cold_wall = results[0][1][0]
    for title, (wall, cpu, peak, report) in results:
        describe(f"- {title}" + (f" ({100 * wall / cold_wall:.1f}% of the cold build's wall time)" if title != "cold build" else ""),
                 wall, cpu, peak, report)


def compare(a, binary):
    """Alternates builds of avatar-site and of the baseline against the same demo server, each
    tool in its own folder: cold builds, then a rebuild with nothing changed, then (against a
    server with 1% of the photos changed) a rebuild after the change. The baseline rebuilds
    everything every time, as it is written to."""
    reference = a.reference or os.path.join(os.path.dirname(ROOT), "shared", "baseline", "reference.py")
    if not os.path.exists(reference):
        sys.exit(f"benchmark: no baseline at {reference} (give --reference)")
    changed = int(a.change[:-1]) * a.users // 100 if a.change.endswith("%") else int(a.change)
    scenarios = ["cold build"] + (["no-change rebuild", f"rebuild after {changed} photos changed"] if a.rebuilds else [])
    results = {scenario: ([], []) for scenario in scenarios}
    folders = [(tempfile.mkdtemp(prefix="avatar-site-bench-", dir=a.scratch),
                tempfile.mkdtemp(prefix="reference-bench-", dir=a.scratch)) for _ in range(a.runs)]

    def run_reference(endpoints, folder):
        origin = endpoints["base_url"].rsplit("/", 1)[0]
        wall, cpu, peak, code, errors = run_measured(
            [a.python, reference, "--server", origin, "--client-id", endpoints["client_id"],
             "--client-secret", SECRET, "--out", os.path.join(folder, "site")])
        report = os.path.join(folder, "site", "build-report.json")
        if code not in (0, 1) or not os.path.exists(report):
            # A Python without the baseline's packages (requests, Pillow) fails this way.
            sys.exit(f"benchmark: reference.py failed (exit code {code}, no report): {errors.strip()[-300:]}")
        with open(report) as f:
            return wall, cpu, peak, json.load(f)

    def both(scenario, endpoints):
        for ours_folder, theirs_folder in folders:
            results[scenario][0].append(run_build(binary, write_config(ours_folder, endpoints, a.concurrency)))
            results[scenario][1].append(run_reference(endpoints, theirs_folder))

    try:
        server, endpoints = start_server(binary, a.users, a.latency_ms, a.page_size)
        try:
            both("cold build", endpoints)
            if a.rebuilds:
                both("no-change rebuild", endpoints)
        finally:
            server.terminate()
            server.wait()
        if a.rebuilds:
            server, endpoints = start_server(binary, a.users, a.latency_ms, a.page_size, ["--change-photos", str(changed)])
            try:
                both(scenarios[2], endpoints)
            finally:
                server.terminate()
                server.wait()
    finally:
        for pair in folders:
            for folder in pair:
                shutil.rmtree(folder, ignore_errors=True)

    print(f"{a.users} demo users, {a.latency_ms} ms latency, concurrency {a.concurrency}, {a.runs} alternating runs "
          f"of each tool per scenario, {os.cpu_count()} cores")
    for scenario in scenarios:
        ours, theirs = results[scenario]
        our_wall, their_wall = statistics.median(r[0] for r in ours), statistics.median(r[0] for r in theirs)
        our_report = sorted(ours, key=lambda r: r[0])[len(ours) // 2][3]
        their_report = sorted(theirs, key=lambda r: r[0])[len(theirs) // 2][3]
        requests = our_report.get("requests", {})
        print(f"- {scenario}")
        print(f"  avatar-site    walls {', '.join(f'{r[0]:.2f}' for r in ours)}  median {our_wall:.2f} s, "
              f"CPU {statistics.median(r[1] for r in ours):.1f} s, peak RSS {max(r[2] for r in ours) / 1024:.1f} MiB, "
              f"{sum(requests.get('requests_by_kind', {}).values())} requests, "
              f"{requests.get('bytes_received', 0):,} bytes, {our_report.get('files_written', 0)} files written")
        print(f"  reference.py   walls {', '.join(f'{r[0]:.2f}' for r in theirs)}  median {their_wall:.2f} s, "
              f"CPU {statistics.median(r[1] for r in theirs):.1f} s, peak RSS {max(r[2] for r in theirs) / 1024:.1f} MiB, "
              f"{their_report.get('requests', '?')} requests")
        print(f"  ratio of the medians: avatar-site is {their_wall / our_wall:.2f}x as fast")
        if builds.KIND == "graph" and a.latency_ms > 0:
            floor, requests, concurrency = floor_seconds(our_report, a.latency_ms, a.page_size)
            print(f"  network floor      {floor:.2f} s: {requests} requests (listing pages in sequence, batches "
                  f"at concurrency {concurrency}) x {a.latency_ms} ms")
        # The other bound: the tool's own CPU work spread over every core, as if nothing waited.
        cpu_floor = statistics.median(r[1] for r in ours) / (os.cpu_count() or 1)
        print(f"  CPU floor          {cpu_floor:.2f} s: the tool's CPU seconds over {os.cpu_count()} cores; "
              f"at best {their_wall / max(cpu_floor, floor if builds.KIND == 'graph' and a.latency_ms > 0 else 0):.1f}x")


def versions(a, binary):
    """Alternates cold builds by this avatar-site and by another version's (--against, its
    release folder) against one demo server of this version: each one's wall time, CPU seconds
    and peak memory, side by side, and the ratio of their CPU."""
    if not a.against:
        sys.exit("benchmark: versions needs --against DIR, another version's release folder")
    tools = [("this", binary), ("against", os.path.join(a.against, "avatar-site"))]
    if not os.access(tools[1][1], os.X_OK):
        sys.exit(f"benchmark: no avatar-site to run at {tools[1][1]}")
    runs = {label: [] for label, _ in tools}
    server, endpoints = start_server(binary, a.users, a.latency_ms, a.page_size)
    build = lambda tool: in_scratch(a, "avatar-site-bench-", lambda folder: run_build(tool, write_config(folder, endpoints, a.concurrency)))
    try:
        # One build untimed first: the demo server draws each portrait on its first request,
        # and that work would otherwise fall on whichever build ran first. Then each pair in
        # the other order from the last (ABBA), so neither version always follows the other.
        build(binary)
        for run in range(a.runs):
            for label, tool in (tools if run % 2 == 0 else tools[::-1]):
                runs[label].append(build(tool))
    finally:
        server.terminate()
        server.wait()
    print(f"{a.users} demo users, {a.latency_ms} ms latency, concurrency {a.concurrency}, {a.runs} alternating cold builds "
          f"of each version, {os.cpu_count()} cores")
    cpu = {}
    for label, tool in tools:
        cpu[label] = statistics.median(r[1] for r in runs[label])
        print(f"  {label:8} {tool}\n           walls {', '.join(f'{r[0]:.2f}' for r in runs[label])}, "
              f"CPU {', '.join(f'{r[1]:.2f}' for r in runs[label])} (median {cpu[label]:.2f} s), "
              f"peak RSS {', '.join(f'{r[2] / 1024:.1f}' for r in runs[label])} MiB")
    ratios = [this[1] / other[1] for this, other in zip(runs["this"], runs["against"])]
    print(f"  this version's CPU is {100 * cpu['this'] / cpu['against']:.0f}% of the other's "
          f"(ratio of the medians; the median of the {len(ratios)} pairs' ratios: {100 * statistics.median(ratios):.0f}%, "
          f"from {100 * min(ratios):.0f}% to {100 * max(ratios):.0f}%)")


def throttled(a, binary):
    """Against a server that answers 429 above --server-limit requests in flight: a build with
    concurrency auto, alternating with one told the server's limit up to front; the throttled
    share and the ratio of the medians."""
    limit = a.server_limit
    results = {"auto": [], str(limit): []}
    server, endpoints = start_server(binary, a.users, a.latency_ms, a.page_size, ["--max-concurrency", str(limit)])
    try:
        for _ in range(a.runs):
            for setting in results:
                results[setting].append(in_scratch(a, "avatar-site-bench-",
                                                   lambda folder: run_build(binary, write_config(folder, endpoints, setting))))
    finally:
        server.terminate()
        server.wait()
    print(f"{a.users} demo users, {a.latency_ms} ms latency, a server that throttles above {limit} requests in flight, "
          f"{a.runs} alternating runs")
    walls = {}
    for setting, runs in results.items():
        walls[setting] = statistics.median(r[0] for r in runs)
        report = sorted(runs, key=lambda r: r[0])[len(runs) // 2][3]
        total = sum(report["requests"]["requests_by_kind"].values())
        throttled_answers = report["requests"]["responses_by_status"].get("429", 0)
        describe(f"- concurrency {setting}: walls {', '.join(f'{r[0]:.2f}' for r in runs)}", walls[setting],
                 statistics.median(r[1] for r in runs), max(r[2] for r in runs), report)
        print(f"  throttled          {throttled_answers} of {total} requests ({100 * throttled_answers / max(total, 1):.1f}%)")
    print(f"- auto took {walls['auto'] / walls[str(limit)]:.2f}x the time of concurrency {limit}")


def network(a, binary):
    """The network stage alone (avatar-site-bench network): request rate against C/L."""
    bench = os.path.join(ROOT, ".build", "release", "avatar-site-bench")
    server, endpoints = start_server(binary, a.users, a.latency_ms, a.page_size)
    try:
        with tempfile.TemporaryDirectory(prefix="avatar-site-network-", dir=a.scratch) as folder:
            config = write_config(folder, endpoints, a.concurrency)
            for concurrency in sorted({8 if a.concurrency == "auto" else int(a.concurrency), *a.also_concurrency}):
                subprocess.run([bench, "network", "--config", config, "--latency-ms", str(a.latency_ms),
                                "--concurrency", str(concurrency)],
                               env={**os.environ, "BENCH_SECRET": SECRET}, check=True)
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", nargs="?", default="cold", choices=["cold", "incremental", "compare", "network", "throttled", "versions"])
    ap.add_argument("--users", type=int, default=1000)
    ap.add_argument("--latency-ms", type=int, default=20)
    ap.add_argument("--concurrency", default="auto", help="auto (the default) or a number")
    ap.add_argument("--server-limit", type=int, default=16, help="throttled: the server's limit of requests in flight")
    ap.add_argument("--page-size", type=int, default=999)
    ap.add_argument("--runs", type=int, default=1, help="cold builds to run; the median is reported")
    ap.add_argument("--change", default="1%", help="incremental: photos changed before the last rebuild (count or %%)")
    ap.add_argument("--rebuilds", action="store_true", help="compare: also a no-change rebuild and one after --change")
    ap.add_argument("--also-concurrency", type=int, nargs="*", default=[], help="network: more values of C to try")
    ap.add_argument("--scratch", default=None, help="folder for the output (default: a temporary folder)")
    ap.add_argument("--no-build", action="store_true", help="use the existing release binary")
    ap.add_argument("--binary-dir", default=os.path.join(ROOT, ".build", "release"),
                    help="where avatar-site is (default .build/release; .build/debug counts requests just as well)")
    ap.add_argument("--against", default=None, help="versions: another version's release folder, holding its avatar-site")
    ap.add_argument("--python", default=sys.executable, help="compare: the Python with requests and Pillow")
    ap.add_argument("--reference", default=None, help="compare: the baseline script (default ../shared/baseline/reference.py)")
    ap.add_argument("--kind", default="graph", choices=["graph", "outlook-v2", "ews-rest", "ews-soap"],
                    help="the photo API avatar-site builds through (the baseline always speaks Graph)")
    a = ap.parse_args()
    builds.KIND = a.kind

    if not a.no_build:
        for product in ["avatar-site", "avatar-site-bench"]:
            subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
    binary = os.path.join(a.binary_dir, "avatar-site")
    {"cold": cold, "incremental": incremental, "compare": compare, "network": network, "throttled": throttled,
     "versions": versions}[a.scenario](a, binary)


if __name__ == "__main__":
    main()
