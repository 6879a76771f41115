"""What every check of check_urls.py shares: the target it runs against, Graph's photo URL shapes,
and HostingTestCase with the assertions on an answer."""

import json
import unittest

import contract
import support
from support import JSON

ONE_DAY = 86400


class Target:
    """What the checks run against; set by check_urls.main()."""

    def __init__(self, base_url, site, prefixes, expect_aliases=True, expect_gravatar=True, cache_control=None):
        self.base_url = base_url.rstrip("/")
        self.cache_control = cache_control
        self.site = support.Site(site)
        self.prefixes = [""] + [p for p in prefixes if p]
        self.expect_aliases = expect_aliases
        self.expect_gravatar = expect_gravatar


TARGET = None


graph_shapes = contract.graph_shapes


class HostingTestCase(unittest.TestCase):
    maxDiff = 2000

    @classmethod
    def setUpClass(cls):
        if TARGET is None:
            raise unittest.SkipTest("run through main()")
        cls.target = TARGET
        cls.site = TARGET.site
        cls.photo_user = cls.site.first_user(placeholder=False)
        cls.placeholder_user = cls.site.first_user(placeholder=True)

    def get(self, path, method="GET", headers=None):
        return support.request(self.target.base_url, path, method, headers)

    def assertServes(self, path, expected_bytes, media_type, method="GET"):
        """A file answered as the file: status, type, bytes, ETag, CORS, a revalidating cache."""
        response = self.get(path, method)
        self.assertEqual(response.status, 200, f"{method} {path}: {response}")
        self.assertEqual(response.media_type, media_type, f"{method} {path}")
        if method == "HEAD":
            self.assertEqual(response.body, b"", f"HEAD {path} has a body")
            self.assertEqual(int(response.header("content-length")), len(expected_bytes), f"HEAD {path}")
        else:
            self.assertEqual(response.body, expected_bytes, f"{path}: the bytes differ from the file")
        self.assertTrue(response.header("etag"), f"{path}: no ETag")
        self.assertEqual(response.header("access-control-allow-origin"), "*", f"{path}: no CORS")
        self.assertRevalidates(response.header("cache-control"), path)
        if self.target.cache_control and not path.endswith((".html", "users.json")):
            self.assertEqual(response.header("cache-control"), self.target.cache_control, f"{path}: not hosting.cache_control")
        return response

    def assertRevalidates(self, cache_control, path):
        """Cached at most a day, then asked again: never immutable, never unstored."""
        directives = support.cache_directives(cache_control)
        max_age = support.cache_max_age(cache_control)
        self.assertIsNotNone(max_age, f"{path}: Cache-Control {cache_control!r} has no max-age")
        self.assertLessEqual(max_age, ONE_DAY, f"{path}: Cache-Control {cache_control!r}")
        self.assertNotIn("immutable", directives, f"{path}: Cache-Control {cache_control!r}")
        self.assertNotIn("no-store", directives, f"{path}: Cache-Control {cache_control!r}")

    def assertImageNotFound(self, path):
        response = self.get(path)
        self.assertEqual(response.status, 404, f"{path}: {response}")
        self.assertEqual(response.media_type, JSON, f"{path}")
        error = json.loads(response.body)["error"]
        self.assertEqual(error["code"], "ImageNotFound", path)
        self.assertTrue(error.get("message"), f"{path}: the error has no message")
        head = self.get(path, "HEAD")
        self.assertEqual(head.status, 404, f"HEAD {path}")

    def assertNotServed(self, path, secret=None):
        """Refused (404, or 400 for a request line the server rejects), leaking nothing."""
        response = self.get(path)
        self.assertIn(response.status, (400, 404), f"{path}: {response}")
        if secret is not None:
            self.assertNotIn(secret, response.body, f"{path}: the answer holds the file's bytes")
