#!/usr/bin/env python3
"""The directory page, driven in headless Chromium over file:// against a built site folder.

    .venv/bin/python Tests/Browser/test_directory_page.py --site DIR [--screenshots DIR] [unittest options]

DIR is a folder built by avatar-site, or by scripts/directory_fixture.py. What the page shows is
checked against a model of the same data computed here (search fold, ranking, filters, reporting
lines), so the suite works for any directory. Checks that need something the directory does not
have (reporting lines, a loop in them, hostile names) are reported as skipped with the reason.
Chromium and chromedriver are required: without them the suite fails, it never skips.
"""

import argparse
import sys
import unittest
from pathlib import Path

import page_test_case  # first: it fails the suite, with a hint, when selenium is missing
from directory_model import Directory
from page_test_case import require_browser

# The checks, by subject; unittest.main() runs every TestCase named here.
from keyboard_and_accessibility_tests import AccessibilityTests, KeyboardTests  # noqa: F401
from layout_tests import LayoutTests  # noqa: F401
from offline_and_safe_tests import MissingDataTests, OfflineAndSafeTests  # noqa: F401
from person_and_org_tests import PersonAndOrgTests  # noqa: F401
from search_tests import SearchTests  # noqa: F401


def main():
    parser = argparse.ArgumentParser(description="Tests the directory page of a built site in headless Chromium.")
    parser.add_argument("--site", required=True, type=Path, help="the site folder (holds index.html)")
    parser.add_argument("--screenshots", type=Path, help="save screenshots here")
    args, rest = parser.parse_known_args()
    page_test_case.SITE = args.site.resolve()
    if not (page_test_case.SITE / "index.html").is_file():
        parser.error(f"{page_test_case.SITE} has no index.html")
    if args.screenshots:
        page_test_case.SCREENSHOTS = args.screenshots.resolve()
        page_test_case.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    require_browser()
    page_test_case.DIRECTORY = Directory(page_test_case.SITE)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
