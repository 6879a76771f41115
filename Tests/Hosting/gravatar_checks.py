"""check_urls.py's checks of Gravatar's and Libravatar's /avatar/{hash} URLs."""

import uuid

import support
import view_model
from hosting_test_case import HostingTestCase
from support import JPEG


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
