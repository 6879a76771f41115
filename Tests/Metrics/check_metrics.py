#!/usr/bin/env python3
"""Reads a metrics file of avatar-site with Prometheus's own Python client, as a scraper would,
and checks it against the report of the same run.

    check_metrics.py METRICS --build-report REPORT.json [--published]
    check_metrics.py METRICS --upload-report REPORT.json
    check_metrics.py METRICS --exit-code N

Every family must have help text and a type; counters end in _total, nothing else does; no
sample carries a timestamp; every name starts with the prefix of its command (a name two files
of the textfile collector's folder both wrote would fail the scrape). Prints one line per
failed check and a last line `N passed, N failed`; exits 1 when any failed.
"""
import argparse
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

passed = 0
failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}")


def read(path):
    with open(path, encoding="utf-8") as file:
        text = file.read()
    families = {}
    for family in text_string_to_metric_families(text):
        families[family.name] = family
    return families


def value(families, name, **labels):
    """The value of the sample `name` with exactly `labels`, or None."""
    for family in families.values():
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return None


def labelled(families, name, label):
    """{label value: sample value} of the samples `name`."""
    return {sample.labels[label]: sample.value
            for family in families.values() for sample in family.samples if sample.name == name}


def summed(families, name, label):
    """{label value: the sum of the samples `name` with it}."""
    sums = {}
    for family in families.values():
        for sample in family.samples:
            if sample.name == name:
                sums[sample.labels[label]] = sums.get(sample.labels[label], 0.0) + sample.value
    return sums


def check_conventions(families, prefix):
    check(families, "the file holds metrics")
    for family in families.values():
        check(family.documentation.strip() != "", f"{family.name} has help text")
        check(family.type in ("counter", "gauge"), f"{family.name} is a counter or a gauge, not {family.type}")
        for sample in family.samples:
            check(sample.name.startswith(prefix), f"{sample.name} starts with {prefix}")
            check(sample.timestamp is None, f"{sample.name} carries no timestamp")
            check("job" not in sample.labels and "instance" not in sample.labels,
                  f"{sample.name} leaves job and instance to the collector")
            if family.type == "counter":
                check(sample.name.endswith("_total"), f"counter {sample.name} ends in _total")
            else:
                check(not sample.name.endswith("_total"), f"gauge {sample.name} does not end in _total")


def check_build(families, report, published):
    check(value(families, "avatar_site_build_exit_code") == report["exit_code"], "the exit code is the report's")
    check(value(families, "avatar_site_info", version=report["version"]) == 1, "the version is the report's")
    requests = report["requests"]
    check(summed(families, "avatar_site_requests_total", "kind") ==
          {kind: float(count) for kind, count in requests["requests_by_kind"].items()}, "requests by kind are the report's")
    for kind, statuses in requests.get("responses_by_kind", {}).items():
        for status_class in ("2xx", "3xx", "4xx", "5xx"):
            answered = sum(count for status, count in statuses.items() if status[:1] == status_class[:1] and status.isdigit())
            check(value(families, "avatar_site_requests_total", kind=kind, status_class=status_class) == answered,
                  f"{kind} answers of class {status_class} are the report's")
    check(value(families, "avatar_site_downloaded_bytes_total") == requests["bytes_received"], "bytes are the report's")
    check(value(families, "avatar_site_retries_total") == requests["retries"], "retries are the report's")
    check(value(families, "avatar_site_peak_memory_bytes") == report["peak_memory_bytes"], "peak memory is the report's")
    check(labelled(families, "avatar_site_build_duration_seconds", "stage") ==
          {stage: float(seconds) for stage, seconds in report["seconds"].items()}, "stage durations are the report's")
    if published:
        counts = report["counts"]
        outcomes = labelled(families, "avatar_site_users", "outcome")
        for outcome, key in [("photo", "photos"), ("placeholder", "placeholders"), ("downloaded", "downloaded"),
                             ("unchanged", "unchanged"), ("kept", "kept"), ("provisional", "provisional"),
                             ("no_mailbox", "no_mailbox"), ("failed", "failed"), ("skipped", "skipped"),
                             ("removed", "removed")]:
            check(outcomes.get(outcome) == counts[key], f"users {outcome} is the report's {key} ({outcomes.get(outcome)})")
        check(value(families, "avatar_site_listed_users") == counts["listed"], "listed users are the report's")
        check(labelled(families, "avatar_site_user_failures", "kind") ==
              {kind: float(count) for kind, count in report["failures_by_kind"].items()}, "failures by kind are the report's")
        check(value(families, "avatar_site_last_success_timestamp_seconds") ==
              value(families, "avatar_site_last_run_timestamp_seconds"), "a published build is the last success")
    else:
        check(not labelled(families, "avatar_site_users", "outcome"), "a build that did not publish counts no users")


def check_upload(families, report):
    check(value(families, "avatar_site_upload_exit_code") == report["exit_code"], "the exit code is the report's")
    counts = report["counts"]
    files = labelled(families, "avatar_site_upload_files", "result")
    for result in ("uploaded", "unchanged", "would_upload", "refused", "failed", "ignored"):
        check(files.get(result) == counts[result], f"files {result} is the report's")
    check(labelled(families, "avatar_site_upload_refused_files", "reason") ==
          {reason: float(count) for reason, count in report["refused_by_reason"].items()}, "refusals are the report's")
    check(summed(families, "avatar_site_upload_requests_total", "kind") ==
          {kind: float(count) for kind, count in report["requests"]["requests_by_kind"].items()}, "requests are the report's")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("metrics")
    parser.add_argument("--build-report")
    parser.add_argument("--published", action="store_true")
    parser.add_argument("--upload-report")
    parser.add_argument("--exit-code", type=int)
    arguments = parser.parse_args()
    families = read(arguments.metrics)
    upload = arguments.upload_report is not None
    check_conventions(families, "avatar_site_upload_" if upload else "avatar_site_")
    if not upload:
        check(not any(name.startswith("avatar_site_upload_") for name in families), "a build writes no upload metric")
    if arguments.build_report:
        with open(arguments.build_report, encoding="utf-8") as file:
            check_build(families, json.load(file), arguments.published)
    if upload:
        with open(arguments.upload_report, encoding="utf-8") as file:
            check_upload(families, json.load(file))
    if arguments.exit_code is not None:
        name = "avatar_site_upload_exit_code" if upload else "avatar_site_build_exit_code"
        check(value(families, name) == arguments.exit_code, f"the exit code is {arguments.exit_code}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
