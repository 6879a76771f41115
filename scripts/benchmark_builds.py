"""What scripts/benchmark.py's scenarios share: the demo server, a site.yml for it, a measured
build, and the summary of one build's report."""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "benchmark-secret"


KIND = "graph"  # set from --kind: graph, outlook-v2, ews-rest or ews-soap


def start_server(binary, users, latency, page_size, extra=()):
    users_file = os.path.join(tempfile.mkdtemp(prefix="avatar-site-users-"), "users.csv")
    server = subprocess.Popen(
        [binary, "demo-server", "--port", "0", "--users", str(users), "--latency-ms", str(latency),
         "--client-secret", SECRET, "--page-size", str(page_size), "--users-file", users_file, "--quiet", *extra],
        stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    if not line:
        sys.exit("benchmark: the demo server did not start")
    fields = dict(part.split("=", 1) for part in line.split()[1:])
    fields["users_file"] = users_file
    return server, fields


def write_config(folder, server, concurrency):
    """concurrency: a number, or "auto" (the tool's default)."""
    """A site.yml for the demo server in the dialect of --kind (the mailbox APIs read the users file)."""
    source = {
        "graph": f"kind: graph\n  base_url: {server['base_url']}",
        "outlook-v2": f"kind: outlook-v2\n  base_url: {server['outlook_url']}\n  users_file: {server['users_file']}",
        "ews-rest": f"kind: ews\n  base_url: {server['ews_url']}\n  users_file: {server['users_file']}\n  ews: {{ api: rest }}",
        "ews-soap": f"kind: ews\n  base_url: {server['ews_url']}\n  users_file: {server['users_file']}\n  ews: {{ api: soap }}",
    }[KIND]
    config = os.path.join(folder, "site.yml")
    with open(config, "w") as f:
        f.write(f"""source:
  {source}
  auth: {{ tenant: contoso.onmicrosoft.com, client_id: "{server['client_id']}", client_secret_env: BENCH_SECRET,
          token_url: {server['token_url']} }}
  concurrency: {concurrency}
output: {{ dir: {os.path.join(folder, 'output')} }}
""")
    return config


def child_peak_rss_kib():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def run_measured(command, env=None):
    """Runs command and returns (wall seconds, CPU seconds, peak RSS KiB, exit code, stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    # A helper process per run, so ru_maxrss is this command's own peak and not an earlier one's.
    probe = subprocess.run(
        [sys.executable, "-c",
         "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r)", *command],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = int(probe.stdout.strip().splitlines()[-1])
    return wall, cpu, peak, probe.returncode, probe.stderr


def run_build(binary, config, extra=()):
    """Runs one build and returns (wall seconds, CPU seconds, peak RSS KiB, report)."""
    wall, cpu, peak, code, _ = run_measured([binary, "build", "--config", config, "--quiet", *extra],
                                            env={**os.environ, "BENCH_SECRET": SECRET})
    if code not in (0, 1):
        sys.exit(f"benchmark: the build failed with exit code {code}")
    with open(os.path.join(os.path.dirname(config), "output", "build-report.json")) as f:
        report = json.load(f)
    return wall, cpu, peak, report


def in_scratch(a, prefix, body):
    """Runs body(folder) in a fresh scratch folder that is removed afterwards."""
    folder = tempfile.mkdtemp(prefix=prefix, dir=a.scratch)
    try:
        return body(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def floor_seconds(report, latency_ms, page_size):
    """The physical floor of a Graph build's network stage: the listing pages (read one after
    another) plus one $batch of metadata a 20 users and one of bytes a 20 photos, at the
    concurrency the build reached."""
    counts = report["counts"]
    users, photos = counts["listed"], counts.get("downloaded", counts["photos"])
    pages = -(-users // page_size)
    batches = -(-users // 20) + -(-photos // 20)
    concurrency = (report.get("concurrency") or {}).get("reached", 8)
    return (pages + batches / concurrency) * latency_ms / 1000, pages + batches, concurrency


def describe(title, wall, cpu, peak, report):
    counts, requests = report["counts"], report["requests"]
    print(title)
    print(f"  users written      {counts['written']} ({counts['photos']} photos, {counts['placeholders']} placeholders; "
          f"{counts.get('unchanged', 0)} unchanged, {counts.get('downloaded', 0)} downloaded, {counts['failed']} failed)")
    print("  requests by kind   " + ", ".join(f"{k} {v}" for k, v in sorted(requests["requests_by_kind"].items()))
          + f"  (total {sum(requests['requests_by_kind'].values())})")
    print(f"  bytes downloaded   {requests['bytes_received']:,}")
    print(f"  files written      {report.get('files_written', 'n/a')} (besides the report)")
    print(f"  wall seconds       {wall:.2f}")
    print(f"  CPU seconds        {cpu:.2f}  ({100 * cpu / wall:.0f}% of one core)")
    print(f"  users per second   {counts['written'] / wall:.1f}")
    print(f"  peak RSS           {peak / 1024:.1f} MiB")
    concurrency = report.get("concurrency")
    if concurrency:
        print(f"  concurrency        {concurrency['mode']}: reached {concurrency['reached']}, ended at {concurrency['final']}, "
              f"{concurrency['throttled']} answers throttled")
