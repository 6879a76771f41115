"""check_urls.py's checks of Graph's photo URLs: by id, and by the UPN or mail alias."""

import uuid

from hosting_test_case import HostingTestCase, graph_shapes
from support import JPEG


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
