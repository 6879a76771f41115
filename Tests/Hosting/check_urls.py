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
import pathlib
import sys

import hosting_test_case
import support
from contract_case_checks import ContractCaseTests
from file_and_containment_checks import ContainmentTests, PlainFileTests
from gravatar_checks import GravatarTests
from graph_url_checks import AliasTests, GraphUrlTests
from hosting_test_case import Target

DEFAULT_PREFIXES = ["/v1.0", "/beta"]


def test_cases():
    return [ContractCaseTests, GraphUrlTests, AliasTests, PlainFileTests, ContainmentTests, GravatarTests]


def main(argv=None):
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
    hosting_test_case.TARGET = Target(args.base_url, args.site, args.prefix or DEFAULT_PREFIXES,
                                      expect_aliases=not args.no_aliases, expect_gravatar=not args.no_gravatar,
                                      cache_control=args.cache_control)
    return support.run_suite(test_cases(), verbosity=2 if args.verbose else 1)


if __name__ == "__main__":
    sys.exit(main())
