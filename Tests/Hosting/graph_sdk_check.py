#!/usr/bin/env python3
"""Reads a hosted avatar site with Microsoft's Graph SDK for Python, as an existing Graph client would.

    graph_sdk_check.py --base-url http://127.0.0.1:8080/v1.0 --site DIR

--base-url is the Graph root the SDK is given (where /users/{id}/photo is found). The SDK
sends a dummy bearer token and talks to nothing but that server. For 20 users (photo and
placeholder users both), the photo's metadata and bytes must equal the site's files; sizes
are read through /photos and /photos/{size}, a user by mail alias, and a missing user must
come back as the SDK's ODataError with Graph's ImageNotFound code.
"""

import argparse
import asyncio
import json
import sys
import unittest
import urllib.parse
import uuid

import support

try:
    from kiota_abstractions.api_error import APIError
    from kiota_abstractions.authentication import (AccessTokenProvider, AllowedHostsValidator,
                                                   BaseBearerTokenAuthenticationProvider)
    from msgraph import GraphRequestAdapter, GraphServiceClient
    from msgraph.generated.models.o_data_errors.o_data_error import ODataError
except ImportError as error:  # the check fails, never skips
    raise support.MissingTool(f"msgraph-sdk is not installed ({error}); scripts/setup.sh installs it "
                              "into .venv: run this with .venv/bin/python") from error

USERS_TO_READ = 20
BASE_URL = None
SITE = None


class DummyTokenProvider(AccessTokenProvider):
    """A token for the test server only; nothing here reaches Microsoft."""

    def __init__(self, host):
        self.validator = AllowedHostsValidator([host])

    async def get_authorization_token(self, uri, additional_authentication_context=None):
        return "dummy-token-for-a-static-avatar-site"

    def get_allowed_hosts_validator(self):
        return self.validator


def graph_client(base_url):
    host = urllib.parse.urlsplit(base_url).netloc
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(DummyTokenProvider(host)))
    adapter.base_url = base_url.rstrip("/")
    return GraphServiceClient(request_adapter=adapter)


class GraphSdkTests(unittest.IsolatedAsyncioTestCase):
    @classmethod
    def setUpClass(cls):
        if BASE_URL is None:
            raise unittest.SkipTest("run through main()")
        cls.site = support.Site(SITE)

    async def asyncSetUp(self):
        # The SDK's first import and client take seconds; not worth asyncio's debug warnings.
        asyncio.get_running_loop().slow_callback_duration = 60
        self.client = graph_client(BASE_URL)

    def users_to_read(self):
        placeholders = [u for u in self.site.users if u.get("placeholder")][:5]
        photos = [u for u in self.site.users if not u.get("placeholder")]
        chosen = placeholders + photos[:USERS_TO_READ - len(placeholders)]
        self.assertEqual(len(chosen), min(USERS_TO_READ, len(self.site.users)))
        self.assertTrue(placeholders, "the site has no placeholder user to read")
        return chosen

    def assertMetadata(self, photo, expected, where):
        self.assertEqual(photo.id, expected["id"], where)
        self.assertEqual(photo.width, expected["width"], where)
        self.assertEqual(photo.height, expected["height"], where)
        self.assertEqual(photo.additional_data.get("@odata.mediaEtag"), expected["@odata.mediaEtag"], where)

    async def test_photo_metadata_and_bytes_of_twenty_users(self):
        for user in self.users_to_read():
            with self.subTest(user=user["id"], placeholder=user.get("placeholder")):
                item = self.client.users.by_user_id(user["id"])
                photo = await item.photo.get()
                expected = json.loads(self.site.user_bytes(user["id"], "photo.json"))
                self.assertMetadata(photo, expected, f"{user['id']}/photo")
                content = await item.photo.content.get()
                self.assertEqual(content, self.site.user_bytes(user["id"], "photo.jpg"))

    async def test_every_size_through_photos(self):
        user = self.site.first_user(placeholder=False)
        item = self.client.users.by_user_id(user["id"])
        listing = await item.photos.get()
        expected = json.loads(self.site.user_bytes(user["id"], "photos.json"))["value"]
        self.assertEqual([p.id for p in listing.value], [e["id"] for e in expected])
        for name in self.site.size_names:
            with self.subTest(size=name):
                size = item.photos.by_profile_photo_id(name)
                metadata = json.loads(self.site.user_bytes(user["id"], f"photos/{name}.json"))
                self.assertMetadata(await size.get(), metadata, name)
                self.assertEqual(await size.content.get(), self.site.user_bytes(user["id"], f"photos/{name}.jpg"))

    async def test_a_user_by_mail_alias(self):
        if self.site.aliases() is None:
            self.skipTest("the site was built without aliases")
        user = self.site.first_user(placeholder=False)
        content = await self.client.users.by_user_id(user["mail"]).photo.content.get()
        self.assertEqual(content, self.site.user_bytes(user["id"], "photo.jpg"))

    async def test_a_missing_user_is_image_not_found(self):
        with self.assertRaises(APIError) as raised:
            await self.client.users.by_user_id(str(uuid.uuid4())).photo.content.get()
        self.assertEqual(raised.exception.response_status_code, 404)
        self.assertIsInstance(raised.exception, ODataError)
        self.assertEqual(raised.exception.error.code, "ImageNotFound")


def main(argv=None):
    global BASE_URL, SITE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="the Graph root, e.g. http://127.0.0.1:8080/v1.0")
    parser.add_argument("--site", required=True)
    args = parser.parse_args(argv)
    BASE_URL, SITE = args.base_url, args.site
    return support.run_suite([GraphSdkTests])


if __name__ == "__main__":
    sys.exit(main())
