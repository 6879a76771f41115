"""check_urls.py's checks of the plain files, and that nothing outside the site is served."""

import secrets

import support
from hosting_test_case import HostingTestCase
from support import HTML, JPEG, JSON


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
