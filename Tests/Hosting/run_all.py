#!/usr/bin/env python3
"""Runs every hosting check against one built site, each in its own process.

    .venv/bin/python Tests/Hosting/run_all.py --site DIR

DIR must hold the hosting/ folder the build wrote. The last line reads "N passed, N failed"
(one count per check); the exit code is 0 only when every check passed.
"""

import argparse
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent


def checks(site):
    return [
        ("view model", ["view_model.py", "--self-test"]),
        ("deploy examples", ["deploy_check.py"]),
        ("Netlify and Cloudflare Pages files", ["pages_check.py", "--site", site]),
        ("sync-azure.sh", ["azure_sync_check.py", "--site", site]),
        ("nginx and the Graph SDK", ["run_nginx.py", "--site", site]),
        ("sync-s3.sh on moto", ["s3_sync_check.py", "--site", site]),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True)
    args = parser.parse_args(argv)
    site = str(pathlib.Path(args.site).resolve())
    passed, failed = [], []
    for name, command in checks(site):
        started = time.monotonic()
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], cwd=HERE)
        outcome = "passed" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"== {name}: {outcome} in {time.monotonic() - started:.0f} s", flush=True)
        (passed if result.returncode == 0 else failed).append(name)
    if failed:
        print("failed:", ", ".join(failed))
    print(f"{len(passed)} passed, {len(failed)} failed")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
