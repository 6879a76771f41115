#!/usr/bin/env python3
"""Checks every URL a hosted avatar site answers, against any server that serves one.

    check_urls.py --site DIR --base-url http://127.0.0.1:8080 [--prefix /v1.0]…

DIR is the built folder the server serves. Checked, for a photo user and a placeholder user:
Graph's five photo URLs (by id, by UPN and by mail alias, bare and under each prefix), the
plain files, content types, ETag and If-None-Match, Range, Cache-Control, HEAD, CORS, Graph's
ImageNotFound answer for a miss, that the build's own files are not served, that `..` and
encoded traversal read nothing outside the folder, and Gravatar's /avatar/{hash} sizes and
defaults. Exit code 0 when everything passed.
"""

import argparse
import json
import pathlib
import secrets
import sys
import unittest
import uuid

import support
import view_model
from support import HTML, JPEG, JSON

DEFAULT_PREFIXES = ["/v1.0", "/beta"]
ONE_DAY = 86400


class Target:
    """What the checks run against; set by main()."""

    def __init__(self, base_url, site, prefixes, expect_aliases=True, expect_gravatar=True, cache_control=None):
        self.base_url = base_url.rstrip("/")
        self.cache_control = cache_control
        self.site = support.Site(site)
        self.prefixes = [""] + [p for p in prefixes if p]
        self.expect_aliases = expect_aliases
        self.expect_gravatar = expect_gravatar


TARGET = None


def graph_shapes(size_names):
    """(URL tail, file in the user's folder, media type) for each of Graph's photo URLs."""
    shapes = [("photo", "photo.json", JSON), ("photo/$value", "photo.jpg", JPEG),
              ("photos", "photos.json", JSON)]
    for name in size_names:
        shapes.append((f"photos/{name}", f"photos/{name}.json", JSON))
        shapes.append((f"photos/{name}/$value", f"photos/{name}.jpg", JPEG))
    upper = size_names[0].upper()
    shapes.append((f"photos/{upper}", f"photos/{size_names[0]}.json", JSON))
    shapes.append((f"photos/{upper}/$value", f"photos/{size_names[0]}.jpg", JPEG))
    return shapes


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


class GraphUrlTests(HostingTestCase):
    """GET /users/{id}/photo… as Graph answers it, from the files."""

    def test_every_shape_by_id_for_photo_and_placeholder_users(self):
        for user in (self.photo_user, self.placeholder_user):
            for prefix in self.target.prefixes:
                for tail, relative, media_type in graph_shapes(self.site.size_names):
                    path = f"{prefix}/users/{user['id']}/{tail}"
                    with self.subTest(path=path):
                        self.assertServes(path, self.site.user_bytes(user["id"], relative), media_type)

    def test_head_answers_headers_without_a_body(self):
        user_id = self.photo_user["id"]
        prefix = self.target.prefixes[-1]
        for tail, relative, media_type in graph_shapes(self.site.size_names)[:5]:
            path = f"{prefix}/users/{user_id}/{tail}"
            with self.subTest(path=path):
                self.assertServes(path, self.site.user_bytes(user_id, relative), media_type, method="HEAD")

    def test_if_none_match_answers_not_modified(self):
        user_id = self.photo_user["id"]
        for path in (f"/users/{user_id}/photo", f"/users/{user_id}/photo/$value",
                     f"/users/{user_id}/photos/{self.site.size_names[0]}.jpg"):
            with self.subTest(path=path):
                etag = self.get(path).header("etag")
                response = self.get(path, headers={"If-None-Match": etag})
                self.assertEqual(response.status, 304, f"{path} with If-None-Match {etag}")
                self.assertEqual(response.body, b"")
                changed = self.get(path, headers={"If-None-Match": '"something-else"'})
                self.assertEqual(changed.status, 200, f"{path} with another ETag")

    def test_range_answers_a_slice_of_the_file(self):
        user_id = self.photo_user["id"]
        path = f"/users/{user_id}/photo/$value"
        data = self.site.user_bytes(user_id, "photo.jpg")
        size = len(data)
        whole = self.get(path)
        self.assertEqual(whole.header("accept-ranges"), "bytes", f"{path}: {whole}")
        cases = (("bytes=0-9", 0, 9), (f"bytes={size - 5}-", size - 5, size - 1), ("bytes=-7", size - 7, size - 1))
        for spec, first, last in cases:
            for method in ("GET", "HEAD"):
                with self.subTest(range=spec, method=method):
                    response = self.get(path, method, headers={"Range": spec})
                    self.assertEqual(response.status, 206, f"{method} {path} with Range {spec}: {response}")
                    self.assertEqual(response.header("content-range"), f"bytes {first}-{last}/{size}")
                    self.assertEqual(int(response.header("content-length")), last - first + 1)
                    self.assertEqual(response.body, data[first:last + 1] if method == "GET" else b"")
                    self.assertEqual(response.header("etag"), whole.header("etag"))
        beyond = self.get(path, headers={"Range": f"bytes={size}-"})
        self.assertEqual(beyond.status, 416, f"{path} with a range past the end: {beyond}")
        self.assertEqual(beyond.header("content-range"), f"bytes */{size}")
        stale = self.get(path, headers={"Range": "bytes=0-9", "If-Range": '"something-else"'})
        self.assertEqual((stale.status, stale.body), (200, data), f"{path} with another If-Range")
        ignored = self.get(path, headers={"Range": "items=0-9"})
        self.assertEqual((ignored.status, ignored.body), (200, data), f"{path} with a Range of another unit")

    def test_dollar_value_may_come_percent_encoded(self):
        user_id = self.photo_user["id"]
        self.assertServes(f"/users/{user_id}/photo/%24value", self.site.user_bytes(user_id, "photo.jpg"), JPEG)

    def test_unknown_user_or_size_is_image_not_found(self):
        stranger = str(uuid.uuid4())
        user_id = self.photo_user["id"]
        for path in (f"/users/{stranger}/photo", f"/users/{stranger}/photo/$value",
                     f"/users/{stranger}/photos", f"/v1.0/users/{stranger}/photos/48x48/$value",
                     f"/users/{user_id}/photos/50x50", f"/users/{user_id}/photos/50x50/$value",
                     f"/users/{user_id}/photos/0x0", f"/users/nobody@nowhere.example/photo",
                     f"/users/{stranger}/photos/{self.site.size_names[0]}.jpg"):
            with self.subTest(path=path):
                self.assertImageNotFound(path)

    def test_browsers_may_ask_before_sending_authorization(self):
        path = f"/v1.0/users/{self.photo_user['id']}/photo/$value"
        response = self.get(path, "OPTIONS", {
            "Origin": "https://app.contoso.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        })
        self.assertIn(response.status, (200, 204), f"OPTIONS {path}: {response}")
        self.assertEqual(response.header("access-control-allow-origin"), "*")
        allowed = (response.header("access-control-allow-headers") or "").lower()
        self.assertIn("authorization", allowed, "Authorization must be named: * does not cover it")


class AliasTests(HostingTestCase):
    """The same URLs with the lower-cased userPrincipalName or mail in place of the id."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.aliases = cls.site.aliases()

    def setUp(self):
        if not self.target.expect_aliases:
            self.skipTest("--no-aliases: this site was built without output.aliases")
        self.assertIsNotNone(self.aliases, "the site has no hosting/aliases.map (build with output.aliases)")

    def mail_of(self, user):
        mail = (user.get("mail") or "").lower()
        self.assertTrue(mail, f"user {user['id']} has no public mail to check an alias with")
        self.assertEqual(self.aliases.get(mail), user["id"], f"aliases.map does not map {mail}")
        return mail

    def test_mail_alias_answers_every_shape(self):
        for user in (self.photo_user, self.placeholder_user):
            mail = self.mail_of(user)
            for prefix in self.target.prefixes:
                for tail, relative, media_type in graph_shapes(self.site.size_names):
                    path = f"{prefix}/users/{mail}/{tail}"
                    with self.subTest(path=path):
                        self.assertServes(path, self.site.user_bytes(user["id"], relative), media_type)

    def test_alias_is_matched_ignoring_case_and_escapes(self):
        user_id = self.photo_user["id"]
        mail = self.mail_of(self.photo_user)
        expected = self.site.user_bytes(user_id, "photo.jpg")
        for written in (mail.upper(), mail.replace("@", "%40"), mail.title()):
            with self.subTest(alias=written):
                self.assertServes(f"/v1.0/users/{written}/photo/$value", expected, JPEG)

    def test_upn_alias_answers_every_shape(self):
        mails = {(user.get("mail") or "").lower() for user in self.site.users}
        upns = [(alias, user_id) for alias, user_id in self.aliases.items() if alias not in mails]
        if not upns:
            # Where every userPrincipalName equals the mail, the mail alias is the UPN alias.
            upns = [(self.mail_of(self.photo_user), self.photo_user["id"])]
        alias, user_id = upns[0]
        escaped = alias.replace("#", "%23")
        for tail, relative, media_type in graph_shapes(self.site.size_names):
            path = f"/v1.0/users/{escaped}/{tail}"
            with self.subTest(path=path):
                self.assertServes(path, self.site.user_bytes(user_id, relative), media_type)

    def test_unknown_alias_is_image_not_found(self):
        self.assertImageNotFound("/v1.0/users/nobody.at.all@contoso.example/photo/$value")


class PlainFileTests(HostingTestCase):
    """The files themselves, by the paths users.json gives."""

    def test_user_files(self):
        for user in (self.photo_user, self.placeholder_user):
            relatives = ["photo.json", "photo.jpg", "photos.json"]
            for name in self.site.size_names:
                relatives += [f"photos/{name}.json", f"photos/{name}.jpg"]
            for relative in relatives:
                path = f"/users/{user['id']}/{relative}"
                media_type = JSON if relative.endswith(".json") else JPEG
                with self.subTest(path=path):
                    self.assertServes(path, self.site.user_bytes(user["id"], relative), media_type)

    def test_other_formats_when_the_site_has_them(self):
        """PNG beside a circle placeholder's JPEG, WebP with formats: [webp]."""
        types = {".png": "image/png", ".webp": "image/webp"}
        for user in (self.photo_user, self.placeholder_user):
            folder = self.site.folder / "users" / user["id"]
            for path in sorted(p for p in folder.rglob("*") if p.suffix in types):
                url = "/" + path.relative_to(self.site.folder).as_posix()
                with self.subTest(path=url):
                    self.assertServes(url, path.read_bytes(), types[path.suffix])

    def test_users_json(self):
        self.assertServes("/users.json", (self.site.folder / "users.json").read_bytes(), JSON)

    def test_directory_page_revalidates_every_time(self):
        page = self.site.folder / "index.html"
        self.assertTrue(page.is_file(), "the site has no index.html")
        for path in ("/", "/index.html"):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status, 200, f"{path}: {response}")
                self.assertEqual(response.media_type, HTML)
                self.assertEqual(response.body, page.read_bytes())
                cache_control = response.header("cache-control") or ""
                directives = support.cache_directives(cache_control)
                self.assertTrue("no-cache" in directives or support.cache_max_age(cache_control) == 0,
                                f"{path}: Cache-Control {cache_control!r} lets a stale page be shown")

    def test_page_assets_are_served(self):
        assets = [p for p in (self.site.folder / "assets").rglob("*") if p.is_file()] \
            if (self.site.folder / "assets").is_dir() else []
        assets += list(self.site.folder.glob("directory.*.js"))
        for asset in assets[:5]:
            path = "/" + asset.relative_to(self.site.folder).as_posix()
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status, 200, f"{path}: {response}")
                self.assertEqual(response.body, asset.read_bytes())
                self.assertIsNotNone(support.cache_max_age(response.header("cache-control")), path)


class ContainmentTests(HostingTestCase):
    """Nothing but the site is served: not the build's files, not a byte outside the folder."""

    def test_build_files_are_not_served(self):
        folder = self.site.folder
        paths = ["/.avatar-site/", "/.avatar-site/state.json", "/.avatar-site/lock", "/build-report.json",
                 "/hosting/", "/hosting/nginx.conf", "/hosting/aliases.map", "/hosting/avatars.map",
                 "/hosting/sync-s3.sh", "/hosting/default-avatar/48x48.jpg", "/users/", "/users",
                 f"/users/{self.photo_user['id']}/", f"/users/{self.photo_user['id']}/photos/",
                 "/v1.0/build-report.json", "/v1.0/.avatar-site/state.json", "/%2eavatar-site/state.json",
                 "/users/../build-report.json", "/users/%2e%2e/hosting/aliases.map"]
        secrets_by_path = {"/.avatar-site/state.json": folder / ".avatar-site/state.json",
                           "/build-report.json": folder / "build-report.json",
                           "/hosting/aliases.map": folder / "hosting/aliases.map"}
        for path in paths:
            with self.subTest(path=path):
                secret_file = secrets_by_path.get(path)
                secret = secret_file.read_bytes()[:64] if secret_file and secret_file.is_file() else None
                self.assertNotServed(path, secret)

    def test_traversal_reads_nothing_outside_the_folder(self):
        token = secrets.token_hex(16)
        canary = f"avatar-site-canary-{token}"
        beside = self.site.folder.parent
        planted = [beside / f"{canary}.txt", beside / canary / "photo.json", beside / canary / "photo.jpg",
                   beside / canary / "photos" / "48x48.jpg"]
        try:
            for path in planted:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(token)
            for probe in traversal_probes(canary, self.photo_user["id"]):
                with self.subTest(probe=probe):
                    self.assertNotServed(probe, token.encode())
        finally:
            for path in planted:
                path.unlink(missing_ok=True)
            for folder in (beside / canary / "photos", beside / canary):
                if folder.is_dir():
                    folder.rmdir()


def traversal_probes(canary, user_id):
    up = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "..%2f..", "%2e%2e%2f%2e%2e", "..%5c..", "%252e%252e",
          "..%252f..", "..;", "..%00"]
    probes = []
    for step in up:
        probes += [f"/{step}/{canary}.txt", f"/users/{step}/{step}/{canary}.txt",
                   f"/users/{step}/{step}/{canary}/photo", f"/users/{step}%2f{step}%2f{canary}/photo/$value",
                   f"/v1.0/users/{step}/{step}/{step}/{canary}/photos/48x48/$value",
                   f"/users/{user_id}/photos/{step}/{step}/{step}/{canary}.txt",
                   f"/avatar/{step}%2f{step}%2f{canary}", f"/assets/{step}/{step}/{canary}.txt"]
    probes += [f"//{canary}.txt", f"/users//{canary}/photo", f"/users/{canary}/photo",
               f"/users/..%2f{canary}/photo/$value", f"/users/%2e%2e%2f{canary}/photos/48x48/$value",
               f"/.%2e/{canary}.txt", f"/users/{user_id}/../../../{canary}.txt",
               # An alias without its trailing slash lets "/assets../x" out of the folder.
               f"/assets../{canary}.txt", f"/users../{canary}.txt", f"/avatar../{canary}.txt",
               f"/hosting../{canary}.txt"]
    return probes


class GravatarTests(HostingTestCase):
    """/avatar/{md5|sha256}[.jpg|.png]?s=N|size=N&d=404|mp, as Gravatar and Libravatar answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hashes = cls.site.avatar_hashes()

    def setUp(self):
        if not self.target.expect_gravatar:
            self.skipTest("--no-gravatar: this site was built without avatars.map")
        self.assertIsNotNone(self.hashes, "the site has no hosting/avatars.map")

    def hashes_of(self, user):
        found = sorted(h for h, user_id in self.hashes.items() if user_id == user["id"])
        self.assertEqual(sorted(map(len, found)), [32, 64], f"avatars.map lacks md5 or sha256 of {user['id']}")
        if user.get("mail"):
            self.assertEqual(sorted(found), sorted(support.gravatar_hashes(user["mail"])),
                             "the hashes are not of the trimmed, lower-cased mail")
        return found

    def expected_image(self, user_id, s):
        side = view_model.size_for_gravatar(self.site.sides, s)
        return self.site.user_bytes(user_id, f"photos/{side}x{side}.jpg")

    def test_sizes_for_both_hashes_of_photo_and_placeholder_users(self):
        asked = sorted({1, 48, 80, 200, 2048, 4096} | self.boundaries())
        for user in (self.photo_user, self.placeholder_user):
            for avatar_hash in self.hashes_of(user):
                for s in asked:
                    path = f"/avatar/{avatar_hash}?s={s}"
                    with self.subTest(path=path):
                        self.assertServes(path, self.expected_image(user["id"], s), JPEG)

    def boundaries(self):
        """The first and last s= each size answers, and the first past the largest."""
        numbers = set()
        for size in view_model.sizes_view(self.site.sides):
            numbers |= {size["min_s"], size["max_s"], size["max_s"] + 1}
        return numbers

    def test_size_parameter_suffix_case_and_defaults(self):
        user_id = self.photo_user["id"]
        md5, sha256 = self.hashes_of(self.photo_user)
        cases = {
            f"/avatar/{md5}": 80, f"/avatar/{md5}.jpg": 80, f"/avatar/{sha256}.jpg?s=48": 48,
            f"/avatar/{md5.upper()}?s=200": 200, f"/avatar/{md5}?size=200": 200,
            f"/avatar/{sha256}?size=48": 48, f"/avatar/{md5}?s=48&size=200": 48,
            f"/avatar/{md5}?s=0": 80, f"/avatar/{md5}?s=abc": 80, f"/avatar/{md5}?s=-5": 80,
            f"/avatar/{md5}?s=048": 48, f"/avatar/{md5}?d=404&s=64": 64, f"/avatar/{md5}?r=g&d=mp": 80,
            f"/avatar/{md5}.png?s=360&d=404&reset_cache=x1": 360, f"/avatar/{sha256}.jpeg?s=96": 96,
            f"/avatar/{md5}?rating=PG&size=24&default=mm": 24,
        }
        for path, s in cases.items():
            with self.subTest(path=path):
                self.assertServes(path, self.expected_image(user_id, s), JPEG)

    def test_unknown_hash_answers_silhouette_or_404(self):
        unknown_md5, unknown_sha256 = support.gravatar_hashes(f"nobody-{uuid.uuid4()}@nowhere.example")
        default_avatar = self.site.hosting / "default-avatar"
        for path, s in ((f"/avatar/{unknown_md5}", 80), (f"/avatar/{unknown_md5}?d=mp&s=48", 48),
                        (f"/avatar/{unknown_sha256}.jpg?d=identicon&s=2048", 2048),
                        (f"/avatar/{unknown_md5}?default=mm&size=200", 200)):
            side = view_model.size_for_gravatar(self.site.sides, s)
            with self.subTest(path=path):
                self.assertServes(path, (default_avatar / f"{side}x{side}.jpg").read_bytes(), JPEG)
        for path in (f"/avatar/{unknown_md5}?d=404", f"/avatar/{unknown_sha256}.jpg?s=48&d=404",
                     f"/avatar/{unknown_md5}?default=404"):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status, 404, f"{path}: {response}")

    def test_malformed_hashes_are_not_found(self):
        md5, _ = self.hashes_of(self.photo_user)
        for path in (f"/avatar/{md5[:-1]}", f"/avatar/{md5}0", f"/avatar/{md5}.gif", f"/avatar/{md5}.jpg.txt", "/avatar/",
                     f"/avatar/{md5}/x", f"/avatar/{'g' * 32}"):
            with self.subTest(path=path):
                self.assertEqual(self.get(path).status, 404, path)


def test_cases():
    return [GraphUrlTests, AliasTests, PlainFileTests, ContainmentTests, GravatarTests]


def main(argv=None):
    global TARGET
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True, help="the folder the server serves")
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8080")
    parser.add_argument("--prefix", action="append", help="a Graph version prefix the server answers "
                        "(repeatable; default /v1.0 and /beta; the bare root is always checked)")
    parser.add_argument("--no-aliases", action="store_true", help="the site was built without aliases")
    parser.add_argument("--no-gravatar", action="store_true", help="the site was built without avatars.map")
    parser.add_argument("--cache-control", help="the site's hosting.cache_control, which photos and their metadata must carry")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not (pathlib.Path(args.site) / "users.json").is_file():
        parser.error(f"{args.site} is not a built site (no users.json)")
    TARGET = Target(args.base_url, args.site, args.prefix or DEFAULT_PREFIXES,
                    expect_aliases=not args.no_aliases, expect_gravatar=not args.no_gravatar, cache_control=args.cache_control)
    return support.run_suite(test_cases(), verbosity=2 if args.verbose else 1)


if __name__ == "__main__":
    sys.exit(main())
