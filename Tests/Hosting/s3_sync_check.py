#!/usr/bin/env python3
"""Publishes a built site to a local S3 (moto) with hosting/sync-s3.sh and checks the bucket.

    s3_sync_check.py --site DIR

DIR is copied first (the script writes its key trees into the site's .avatar-site/, and the
check changes a user). moto_server runs on a free loopback port; the script gets only
AWS_ENDPOINT_URL, a region and dummy credentials. Checked: every file and every Graph-shaped
key is in the bucket with its content type and Cache-Control, Graph's keys hold the files'
bytes, a second run uploads nothing, a run after one user changed and one left uploads that
user's keys and users.json and deletes the other's keys and nothing else, failures exit
non-zero, and no key tree is left behind. The steps run in order, each on the last one's bucket.
"""

import argparse
import contextlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
import unittest
import urllib.parse

import contract
import support
from support import JPEG, JSON

BUCKET = "avatars"
PREFIX = "site"
SITE = None

# A file of a user's folder, and the tail of the Graph-shaped key that also holds it, from the
# contract's table of Graph's photo URLs.
GRAPH_KEYS = [
    (re.compile(re.escape(shape["file"]).replace(re.escape("{size}"), r"(\d+x\d+)")), shape["path"].replace("{size}", r"\1"))
    for shape in contract.SHAPES
]
CONTENT_TYPES = {".json": JSON, ".jpg": JPEG, ".png": "image/png", ".webp": "image/webp"}


def expected_objects(site):
    """Every key the bucket should hold: key → (local file, content type, cache policy)."""
    folder = site.folder
    objects = {"users.json": (folder / "users.json", JSON, "data")}
    if (folder / "index.html").is_file():
        objects["index.html"] = (folder / "index.html", "text/html", "page")
    assets = list((folder / "assets").rglob("*")) if (folder / "assets").is_dir() else []
    for path in assets + list(folder.glob("directory.*.js")):
        if path.is_file():
            objects[path.relative_to(folder).as_posix()] = (path, None, "asset")
    for user in sorted((folder / "users").iterdir()):
        for path in sorted(p for p in user.rglob("*") if p.is_file()):
            relative = path.relative_to(user).as_posix()
            content_type = CONTENT_TYPES[path.suffix]
            objects[f"users/{user.name}/{relative}"] = (path, content_type, "data")
            for pattern, graph_tail in GRAPH_KEYS:
                if pattern.fullmatch(relative):
                    objects[f"users/{user.name}/{pattern.sub(graph_tail, relative)}"] = (path, content_type, "data")
    return objects


class Moto:
    """moto_server on a free port, logging every request to a file we can count in."""

    def __init__(self, folder):
        self.port = support.free_port()
        self.log = folder / "moto.log"
        self.command = [support.require_tool("moto_server", support.VENV_BIN), "-H", "127.0.0.1", "-p", str(self.port)]

    def requests_since(self, offset):
        """(method, key) of each object request logged after offset."""
        text = self.log.read_text(errors="replace")[offset:]
        found = []
        for method, path in re.findall(r'"(PUT|DELETE|POST) (/[^ ]*) HTTP', text):
            bucket_path = urllib.parse.urlsplit(path)
            parts = bucket_path.path.split("/", 2)
            if len(parts) == 3 and parts[2]:
                found.append((method, urllib.parse.unquote(parts[2])))
            elif method == "POST" and "delete" in bucket_path.query:
                found.append(("DELETE-BATCH", ""))
        return found

    def log_size(self):
        return len(self.log.read_text(errors="replace"))


class S3SyncTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if SITE is None:
            raise unittest.SkipTest("run through main()")
        cls.stack = contextlib.ExitStack()
        cls.addClassCleanup(cls.stack.close)
        scratch = cls.stack.enter_context(support.temporary_folder("avatar-site-s3-"))
        cls.scratch = scratch
        subprocess.run(["cp", "-a", str(pathlib.Path(SITE).resolve()), str(scratch / "site")], check=True)
        cls.site = support.Site(scratch / "site")
        cls.aws = support.require_tool("aws", support.VENV_BIN)
        support.require_tool("perl")
        cls.moto = Moto(scratch)
        log = open(cls.moto.log, "w")
        cls.stack.callback(log.close)
        cls.stack.enter_context(support.running(cls.moto.command, cls.moto.port, stdout=log, stderr=log))
        cls.env = cls.aws_environment(scratch)
        subprocess.run([cls.aws, "s3", "mb", f"s3://{BUCKET}"], env=cls.env, check=True, capture_output=True)
        cls.first_run = cls.sync()

    @classmethod
    def aws_environment(cls, scratch):
        env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
        env.update({
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{cls.moto.port}",
            "AWS_ACCESS_KEY_ID": "avatar-site-test", "AWS_SECRET_ACCESS_KEY": "avatar-site-test",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(scratch / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(scratch / "no-aws-credentials"),
            "PATH": f"{pathlib.Path(cls.aws).parent}:{env.get('PATH', '/usr/bin:/bin')}",
        })
        return env

    @classmethod
    def sync(cls, env=None, destination=f"s3://{BUCKET}/{PREFIX}"):
        """Runs the script from another directory; returns (exit code, output, requests made)."""
        offset = cls.moto.log_size()
        result = subprocess.run([str(cls.site.hosting / "sync-s3.sh"), destination], cwd=cls.scratch,
                                env=env or cls.env, capture_output=True, text=True, timeout=600)
        time.sleep(0.2)  # the server's log line may trail its answer
        return result.returncode, result.stdout + result.stderr, cls.moto.requests_since(offset)

    def bucket(self):
        import boto3  # the AWS CLI's own dependency, in .venv
        return boto3.client("s3", endpoint_url=self.env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                            aws_access_key_id="avatar-site-test", aws_secret_access_key="avatar-site-test")

    def bucket_keys(self):
        keys = set()
        for page in self.bucket().get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            keys |= {item["Key"] for item in page.get("Contents", [])}
        return keys

    def assertKeysMatchSite(self):
        expected = {f"{PREFIX}/{key}" for key in expected_objects(self.site)}
        actual = self.bucket_keys()
        self.assertEqual(sorted(expected - actual)[:10], [], "keys missing from the bucket")
        self.assertEqual(sorted(actual - expected)[:10], [], "keys the site does not have")

    def test_0_the_key_linker_compiles(self):
        """link-keys.pl as the build wrote it: its table of Graph's keys is filled from the contract."""
        result = subprocess.run(["perl", "-c", str(self.site.hosting / "link-keys.pl")], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_1_first_run_publishes_every_file_and_graph_key(self):
        code, output, _ = self.first_run
        self.assertEqual(code, 0, output[-3000:])
        self.assertKeysMatchSite()
        for key in self.bucket_keys():
            self.assertFalse(re.search(r"(^|/)(\.avatar-site|hosting)/|build-report\.json", key), key)

    def test_2_content_type_cache_control_and_bytes_per_kind(self):
        objects = expected_objects(self.site)
        sampled = {self.site.first_user(False)["id"], self.site.first_user(True)["id"]}
        data_policies = set()
        s3 = self.bucket()
        for key, (path, content_type, policy) in sorted(objects.items()):
            if key.startswith("users/") and key.split("/")[1] not in sampled:
                continue
            with self.subTest(key=key):
                head = s3.head_object(Bucket=BUCKET, Key=f"{PREFIX}/{key}")
                if content_type:
                    self.assertEqual(head["ContentType"].split(";")[0], content_type)
                cache_control = head.get("CacheControl", "")
                if policy == "data":
                    data_policies.add(cache_control)
                    self.assertIsNotNone(support.cache_max_age(cache_control), cache_control)
                    self.assertLessEqual(support.cache_max_age(cache_control), 86400, cache_control)
                    self.assertNotIn("immutable", cache_control)
                elif policy == "page":
                    self.assertIn("no-cache", cache_control)
                body = s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{key}")["Body"].read()
                self.assertEqual(body, path.read_bytes())
        self.assertEqual(len(data_policies), 1, f"photos and metadata differ in Cache-Control: {data_policies}")

    def test_3_a_second_run_uploads_nothing(self):
        code, output, requests = self.sync()
        self.assertEqual(code, 0, output[-3000:])
        self.assertEqual(requests, [], "a run with nothing changed wrote to the bucket")
        self.assertNotIn("upload:", output)

    def test_4_only_a_changed_users_keys_are_uploaded_and_a_departed_users_removed(self):
        users = [u for u in self.site.users if not u.get("placeholder")]
        changed, departed, donor = users[1]["id"], users[2]["id"], users[3]["id"]
        before = {k for k in expected_objects(self.site) if k.startswith(f"users/{departed}/")}
        replace_user_folder(self.site, changed, donor)
        remove_user(self.site, departed)

        code, output, requests = self.sync()
        self.assertEqual(code, 0, output[-3000:])
        uploaded = {key for method, key in requests if method == "PUT"}
        deleted = {key for method, key in requests if method == "DELETE"}
        changed_keys = {f"{PREFIX}/{k}" for k in expected_objects(self.site) if k.startswith(f"users/{changed}/")}
        self.assertEqual(uploaded, changed_keys | {f"{PREFIX}/users.json"})
        self.assertEqual(deleted, {f"{PREFIX}/{k}" for k in before})
        self.assertKeysMatchSite()
        s3 = self.bucket()
        for key in (f"users/{changed}/photo/$value", f"users/{changed}/photos/48x48", f"users/{changed}/photos"):
            path = expected_objects(self.site)[key][0]
            body = s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{key}")["Body"].read()
            self.assertEqual(body, path.read_bytes(), key)

    def test_5_failures_exit_non_zero(self):
        code, output, _ = self.sync(destination="s3://no-such-bucket-here/site")
        self.assertNotEqual(code, 0, "a sync to a missing bucket succeeded")
        without_aws = dict(self.env, PATH="/usr/bin:/bin")
        code, output, _ = self.sync(env=without_aws)
        self.assertNotEqual(code, 0)
        self.assertIn("aws", output)
        code, output, _ = self.sync(destination="https://not-a-bucket")
        self.assertNotEqual(code, 0)

    def test_6_no_key_tree_is_left_behind(self):
        leftovers = list((self.site.folder / ".avatar-site").glob("sync-s3.*"))
        self.assertEqual(leftovers, [])


def replace_user_folder(site, user_id, donor_id):
    """What a build does for a new photo: a new folder, new files, swapped in whole."""
    folder = site.folder / "users" / user_id
    fresh = site.folder / "users" / f".{user_id}.new"
    shutil.copytree(site.folder / "users" / donor_id, fresh, copy_function=shutil.copyfile)
    shutil.rmtree(folder)
    fresh.rename(folder)


def remove_user(site, user_id):
    index_path = site.folder / "users.json"
    index = json.loads(index_path.read_text())
    index["value"] = [u for u in index["value"] if u["id"] != user_id]
    index_path.write_text(json.dumps(index, separators=(",", ":"), sort_keys=True))
    shutil.rmtree(site.folder / "users" / user_id)
    site.users = index["value"]


def main(argv=None):
    global SITE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True, help="a built site whose hosting/ the build wrote")
    args = parser.parse_args(argv)
    if not (pathlib.Path(args.site) / "hosting" / "sync-s3.sh").is_file():
        parser.error(f"{args.site}/hosting/sync-s3.sh is missing: build the site first")
    SITE = args.site
    return support.run_suite([S3SyncTests], verbosity=2)


if __name__ == "__main__":
    sys.exit(main())
