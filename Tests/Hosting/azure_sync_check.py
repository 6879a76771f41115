#!/usr/bin/env python3
"""Runs hosting/sync-azure.sh against a stand-in `azcopy` that records what it was asked to do.

    azure_sync_check.py --site DIR

AzCopy cannot run here, so a stub on PATH logs each call's arguments and the files of its
source that its --include-regex selects. Checked: each kind of blob is uploaded by `azcopy
copy --overwrite=ifSourceNewer` with its content type and Cache-Control and then swept by
`azcopy sync --delete-destination=true` under the same regex; together the copies upload
exactly the keys a bucket must hold (the same as sync-s3.sh's); every key falls under exactly
one kind's regex, so no deletion reaches another kind's keys; options are passed on; a failing
azcopy, a missing azcopy or a bad URL make the script exit non-zero; no key tree is left.
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import unittest

import s3_sync_check
import support

SITE = None
DESTINATION = "https://avatarsexample.blob.core.windows.net/$web/site?sv=2024-01-01&sig=secret"

STUB = r'''#!{python}
"""A stand-in for azcopy: logs each call, and what its regex selects from a local source."""
import json, os, pathlib, re, sys
arguments = sys.argv[1:]
record = {{"arguments": arguments, "selected": []}}
if arguments and arguments[0] in ("copy", "sync"):
    source = arguments[1][:-2] if arguments[1].endswith("/*") else arguments[1]
    regexes = []
    if "--include-regex" in arguments:
        regexes = arguments[arguments.index("--include-regex") + 1].split(";")
    root = pathlib.Path(source)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if any(re.search(regex, relative) for regex in regexes):
            record["selected"].append(relative)
with open(os.environ["AZCOPY_STUB_LOG"], "a") as log:
    log.write(json.dumps(record) + "\n")
failing = os.environ.get("AZCOPY_STUB_FAIL")
sys.exit(1 if failing and arguments and arguments[0] == failing else 0)
'''


def option(arguments, name):
    """The value of --name=value or --name value."""
    for index, argument in enumerate(arguments):
        if argument.startswith(name + "="):
            return argument.split("=", 1)[1]
        if argument == name:
            return arguments[index + 1]
    return None


class AzureSyncTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if SITE is None:
            raise unittest.SkipTest("run through main()")
        support.require_tool("perl")
        cls.scratch = cls.enterClassContext(support.temporary_folder("avatar-site-azure-"))
        subprocess.run(["cp", "-a", str(pathlib.Path(SITE).resolve()), str(cls.scratch / "site")], check=True)
        cls.site = support.Site(cls.scratch / "site")
        stub_bin = cls.scratch / "bin"
        stub_bin.mkdir()
        stub = stub_bin / "azcopy"
        stub.write_text(STUB.format(python=sys.executable))
        stub.chmod(0o755)
        cls.stub_bin = stub_bin
        cls.code, cls.output, cls.calls = cls.sync("--log-level=ERROR")

    @classmethod
    def sync(cls, *options, fail=None, path=None, destination=DESTINATION):
        log = cls.scratch / "azcopy.log"
        log.unlink(missing_ok=True)
        log.touch()
        env = dict(os.environ, AZCOPY_STUB_LOG=str(log),
                   PATH=path or f"{cls.stub_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}")
        env.pop("AZCOPY_STUB_FAIL", None)
        if fail:
            env["AZCOPY_STUB_FAIL"] = fail
        result = subprocess.run([str(cls.site.hosting / "sync-azure.sh"), destination, *options],
                                cwd=cls.scratch, env=env, capture_output=True, text=True, timeout=300)
        calls = [json.loads(line) for line in log.read_text().splitlines()]
        return result.returncode, result.stdout + result.stderr, calls

    def kinds(self):
        """Each kind's (copy, sync) pair of calls, in the order they ran."""
        self.assertEqual(len(self.calls) % 2, 0, self.calls)
        pairs = list(zip(self.calls[0::2], self.calls[1::2]))
        for copy, sync in pairs:
            self.assertEqual(copy["arguments"][0], "copy")
            self.assertEqual(sync["arguments"][0], "sync")
        return pairs

    def test_runs_and_leaves_no_key_tree(self):
        self.assertEqual(self.code, 0, self.output[-3000:])
        self.assertEqual(list((self.site.folder / ".avatar-site").glob("sync-azure.*")), [])
        self.assertNotIn("sig=secret", self.output, "the SAS was printed")

    def test_copies_upload_with_headers_and_syncs_only_delete(self):
        for copy, sync in self.kinds():
            copy_arguments, sync_arguments = copy["arguments"], sync["arguments"]
            with self.subTest(regex=option(copy_arguments, "--include-regex")):
                self.assertEqual(option(copy_arguments, "--overwrite"), "ifSourceNewer")
                self.assertIn("--recursive", copy_arguments)
                self.assertTrue(copy_arguments[1].endswith("/*"), "copy the tree's contents, not the tree")
                self.assertEqual(copy_arguments[2], DESTINATION)
                self.assertTrue(option(copy_arguments, "--cache-control"))
                self.assertEqual(option(sync_arguments, "--delete-destination"), "true")
                self.assertEqual(option(sync_arguments, "--include-regex"), option(copy_arguments, "--include-regex"))
                self.assertEqual(sync_arguments[1], copy_arguments[1][:-2])
                self.assertEqual(sync["selected"], copy["selected"])
                self.assertIn("--log-level=ERROR", copy_arguments)
                self.assertIn("--log-level=ERROR", sync_arguments)

    def test_copies_upload_exactly_the_buckets_keys_with_their_types(self):
        expected = s3_sync_check.expected_objects(self.site)
        uploaded = {}
        for copy, _ in self.kinds():
            content_type = option(copy["arguments"], "--content-type")
            cache_control = option(copy["arguments"], "--cache-control")
            for key in copy["selected"]:
                self.assertNotIn(key, uploaded, f"{key} is uploaded twice")
                uploaded[key] = (content_type, cache_control)
        self.assertEqual(sorted(set(expected) - set(uploaded))[:10], [], "keys never uploaded")
        self.assertEqual(sorted(set(uploaded) - set(expected))[:10], [], "keys that should not be uploaded")
        for key, (_, content_type, policy) in expected.items():
            got_type, cache_control = uploaded[key]
            if content_type:
                self.assertEqual((got_type or "").split(";")[0], content_type, key)
            if policy == "data":
                self.assertLessEqual(support.cache_max_age(cache_control), 86400, key)
                self.assertNotIn("immutable", cache_control, key)
            elif policy == "page":
                self.assertEqual(cache_control, "no-cache", key)

    def test_every_key_falls_under_exactly_one_kind(self):
        regexes = [option(copy["arguments"], "--include-regex").split(";") for copy, _ in self.kinds()]
        for key in s3_sync_check.expected_objects(self.site):
            owners = [index for index, kind in enumerate(regexes) if any(re.search(r, key) for r in kind)]
            self.assertEqual(len(owners), 1, f"{key} falls under kinds {owners}: a sync could delete it")

    def test_failures_exit_non_zero(self):
        for failing in ("copy", "sync"):
            with self.subTest(failing=failing):
                code, output, _ = self.sync(fail=failing)
                self.assertNotEqual(code, 0, f"a failing azcopy {failing} went unnoticed")
                self.assertEqual(list((self.site.folder / ".avatar-site").glob("sync-azure.*")), [])
        code, output, _ = self.sync(path="/usr/bin:/bin")
        self.assertNotEqual(code, 0)
        self.assertIn("azcopy", output)
        code, _, calls = self.sync(destination="s3://not-azure")
        self.assertNotEqual(code, 0)
        self.assertEqual(calls, [])
        code, _, calls = self.sync("--include-pattern=*.jpg")
        self.assertNotEqual(code, 0, "an option that would change the scopes was accepted")


def main(argv=None):
    global SITE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True, help="a built site whose hosting/ the build wrote")
    args = parser.parse_args(argv)
    if not (pathlib.Path(args.site) / "hosting" / "sync-azure.sh").is_file():
        parser.error(f"{args.site}/hosting/sync-azure.sh is missing: build the site first")
    SITE = args.site
    return support.run_suite([AzureSyncTests], verbosity=2)


if __name__ == "__main__":
    sys.exit(main())
