#!/usr/bin/env python3
"""Checks the files a site gives Netlify, Cloudflare Pages and GitLab Pages, and the folder to deploy.

    pages_check.py --site DIR

_redirects and _headers must stay within Cloudflare Pages' limits (100 dynamic redirects,
counting every rule from the first dynamic one on, 2,000 static; 100 header rules; 1,000
characters a rule). Their rules are then applied the way these hosts apply them (first match
wins; `:name` matches one path segment, `*` anything) to Graph's URLs for a photo and a
placeholder user, bare and under each prefix: each must be rewritten (200) to the file that
answers it. hosting/prepare-pages.sh must write a folder with the site's files, these rule
files at its root, and none of the build's own files.
"""

import argparse
import pathlib
import re
import subprocess
import sys
import unittest

import contract
import support

SITE = None
CLOUDFLARE_DYNAMIC_REDIRECTS = 100
CLOUDFLARE_STATIC_REDIRECTS = 2000
CLOUDFLARE_HEADER_RULES = 100
CLOUDFLARE_RULE_LENGTH = 1000


class Redirect:
    def __init__(self, source, destination, status):
        self.source, self.destination, self.status = source, destination, status
        pattern = "(?P<splat>.*)".join(re.escape(part) for part in source.split("*"))
        pattern = re.sub(r":([A-Za-z]\w*)", r"(?P<\1>[^/]+)", pattern)
        self.pattern = re.compile(f"^{pattern}$")

    @property
    def dynamic(self):
        return "*" in self.source or re.search(r":[A-Za-z]", self.source) is not None

    def apply(self, path):
        match = self.pattern.match(path)
        if not match:
            return None
        destination = self.destination
        for name, value in sorted(match.groupdict().items(), key=lambda item: -len(item[0])):
            destination = destination.replace(f":{name}", value)
        return destination


def read_redirects(path):
    rules = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 3:
            raise AssertionError(f"{path.name}:{number}: expected 'source destination status': {line!r}")
        rules.append((number, line, Redirect(fields[0], fields[1], int(fields[2]))))
    return rules


def read_header_rules(path):
    """{path pattern: [(header, value)]}, in order; indented lines are a rule's headers."""
    rules = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        else:
            name, separator, value = line.strip().partition(":")
            if not separator or not rules:
                raise AssertionError(f"{path.name}:{number}: not a header line: {line!r}")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def first_rewrite(rules, path):
    for _, _, rule in rules:
        destination = rule.apply(path)
        if destination is not None:
            return rule.status, destination
    return None


class PagesTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if SITE is None:
            raise unittest.SkipTest("run through main()")
        cls.site = support.Site(SITE)
        cls.redirects = read_redirects(cls.site.hosting / "_redirects")
        cls.headers = read_header_rules(cls.site.hosting / "_headers")
        # The prefixes the build rendered, bare root included: each has its /…/users/* headers.
        cls.prefixes = [pattern[:-len("/users/*")] for pattern, _ in cls.headers if pattern.endswith("/users/*")]

    def test_redirects_fit_cloudflare_pages(self):
        first_dynamic = next((i for i, (_, _, rule) in enumerate(self.redirects) if rule.dynamic), len(self.redirects))
        dynamic = len(self.redirects) - first_dynamic
        print(f"\n_redirects: {first_dynamic} static and {dynamic} dynamic rules "
              f"(Cloudflare Pages: {CLOUDFLARE_STATIC_REDIRECTS} and {CLOUDFLARE_DYNAMIC_REDIRECTS})", file=sys.stderr)
        self.assertLessEqual(dynamic, CLOUDFLARE_DYNAMIC_REDIRECTS)
        self.assertLessEqual(first_dynamic, CLOUDFLARE_STATIC_REDIRECTS)
        for number, line, rule in self.redirects:
            self.assertLessEqual(len(line), CLOUDFLARE_RULE_LENGTH, f"_redirects:{number}")
            self.assertEqual(rule.status, 200, f"_redirects:{number}: a rewrite keeps the URL")

    def test_headers_fit_cloudflare_pages(self):
        print(f"\n_headers: {len(self.headers)} rules (Cloudflare Pages: {CLOUDFLARE_HEADER_RULES})", file=sys.stderr)
        self.assertLessEqual(len(self.headers), CLOUDFLARE_HEADER_RULES)
        patterns = [pattern for pattern, _ in self.headers]
        self.assertEqual(len(patterns), len(set(patterns)), "a path with two rules gets its headers twice")

    def test_graph_urls_are_rewritten_to_their_files(self):
        self.assertIn("", self.prefixes, "the bare root has no rules")
        for user in (self.site.first_user(False), self.site.first_user(True)):
            for prefix in self.prefixes:
                for tail, relative, _ in contract.graph_shapes(self.site.size_names):
                    path = f"{prefix}/users/{user['id']}/{tail}"
                    with self.subTest(path=path):
                        rewrite = first_rewrite(self.redirects, path)
                        self.assertIsNotNone(rewrite, f"no rule answers {path}")
                        self.assertEqual(rewrite, (200, f"/users/{user['id']}/{relative}"))
                        self.assertTrue(self.site.user_file(user["id"], relative).is_file())

    def test_the_contract_cases_a_static_host_answers(self):
        """The contract's cases for ids (docs/site-contract.json), through the rules as a host
        applies them: the first rewrite, else the path itself, answers if the file exists."""
        values = contract.bindings(self.site, support.gravatar_hashes)
        checked = 0
        for target, case in contract.cases(self.prefixes, values, pages_only=True):
            with self.subTest(target=target):
                rewrite = first_rewrite(self.redirects, target)
                path = (rewrite[1] if rewrite else target).lstrip("/")
                status = 200 if (self.site.folder / path).is_file() else 404
                self.assertEqual(status, case["status"], f"{target} -> {path}")
                if case.get("file"):
                    self.assertEqual(path, contract.expand(case["file"], values), target)
                checked += 1
        self.assertGreater(checked, 0)

    def test_plain_files_are_left_alone(self):
        """Cloudflare applies a matching rule even where a file exists: no rule may match one."""
        paths = ["/users.json", "/index.html"]
        for user in (self.site.first_user(False), self.site.first_user(True)):
            folder = self.site.folder / "users" / user["id"]
            paths += ["/" + p.relative_to(self.site.folder).as_posix() for p in folder.rglob("*") if p.is_file()]
        for path in paths:
            with self.subTest(path=path):
                self.assertIsNone(first_rewrite(self.redirects, path))

    def test_photos_revalidate_and_the_page_is_always_asked_for(self):
        rules = dict(self.headers)
        for prefix in self.prefixes:
            values = dict(rules[f"{prefix}/users/*"])
            self.assertLessEqual(support.cache_max_age(values["Cache-Control"]), 86400)
            self.assertNotIn("immutable", values["Cache-Control"])
            self.assertEqual(values["Access-Control-Allow-Origin"], "*")
        self.assertEqual(dict(rules["/"])["Cache-Control"], "no-cache")
        self.assertEqual(dict(rules["/index.html"])["Cache-Control"], "no-cache")

    def test_prepare_pages_writes_a_clean_folder(self):
        with support.temporary_folder("avatar-site-pages-") as scratch:
            publish = scratch / "public"
            (publish / "stale").mkdir(parents=True)
            result = subprocess.run([str(self.site.hosting / "prepare-pages.sh"), str(publish)],
                                    cwd=scratch, capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stderr)
            names = {p.name for p in publish.iterdir()}
            self.assertTrue({"users.json", "users", "_redirects", "_headers", "404.html", ".nojekyll"} <= names, names)
            self.assertFalse(names & {".avatar-site", "build-report.json", "hosting", "stale"}, names)
            user_id = self.site.first_user(False)["id"]
            self.assertEqual((publish / "users" / user_id / "photo.jpg").read_bytes(),
                             self.site.user_bytes(user_id, "photo.jpg"))
            self.assertEqual((publish / "_redirects").read_bytes(), (self.site.hosting / "_redirects").read_bytes())
            refused = subprocess.run([str(self.site.hosting / "prepare-pages.sh"), str(self.site.folder.parent)],
                                     capture_output=True, text=True)
            self.assertNotEqual(refused.returncode, 0, "it agreed to empty the folder that holds the site")
            self.assertTrue((self.site.folder / "users.json").is_file())


def main(argv=None):
    global SITE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True, help="a built site whose hosting/ the build wrote")
    args = parser.parse_args(argv)
    for name in ("_redirects", "_headers", "prepare-pages.sh"):
        if not (pathlib.Path(args.site) / "hosting" / name).is_file():
            parser.error(f"{args.site}/hosting/{name} is missing: build the site first")
    SITE = args.site
    return support.run_suite([PagesTests], verbosity=2)


if __name__ == "__main__":
    sys.exit(main())
