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
import base64
import hashlib
import json
import re
import shutil
import sys
import tempfile
import time
import unittest
from pathlib import Path
from urllib.parse import unquote, urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "scripts"))
import directory_fixture as reference  # noqa: E402  (the search fold and the data format)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE = HERE / "vendor" / "axe.min.js"
AXE_SHA256 = "84494fec757e4710dc751c8d7a636e457f4532f08f85c86dc9070133fbff53bc"
DESKTOP = (1366, 900)
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
MAX_DOM_NODES = 1500
WAIT_SECONDS = 20

SITE = None
SCREENSHOTS = None

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException, TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError as error:  # the suite must fail, not skip, without its tools
    raise SystemExit(f"selenium is not installed ({error}); run scripts/setup.sh") from error


# ---------------------------------------------------------------------------------------------
# A model of the site's data: what the page should show, computed independently of the page.

class Directory:
    def __init__(self, site):
        self.site = site
        html = (site / "index.html").read_text(encoding="utf-8")
        scripts = re.findall(r'<script src="([^"]+)"', html)
        data_scripts = [src for src in scripts if re.fullmatch(r"directory\.[0-9a-f]{16}\.js", src)]
        if len(data_scripts) != 1:
            raise AssertionError(f"index.html should load one directory.<hash>.js, found {scripts}")
        self.html = html
        self.data_script = data_scripts[0]
        data_bytes = (site / self.data_script).read_bytes()
        self.data_bytes = data_bytes
        self.raw = reference.read_directory_script(data_bytes)
        self.people = reference.decode_directory(self.raw)
        self.fields = self.raw["fields"]
        self.sizes = self.raw["sizes"]
        self.by_id = {person["id"]: person for person in self.people}
        self._keys = None
        self._org = None

    # -- search: the same rules as app.js --------------------------------------------------

    def keys(self):
        if self._keys is None:
            self._keys = []
            for person in self.people:
                name = reference.fold(person.get("displayName", ""))
                others = [reference.fold(person.get(field, "")) for field in self.fields if field != "displayName"]
                key = " " + name + "\x01" + "".join(" " + other for other in others if other)
                self._keys.append((key, len(name) + 1))
        return self._keys

    def tiers(self, query):
        """Each matching person's rank (0 best), in list order."""
        return [(tier, person) for tier, person in self._matches(query)]

    def _matches(self, query):
        folded = reference.fold(query)
        tokens = list(dict.fromkeys(folded.split()))
        needles = [token if reference.SUBSTRING_SCRIPTS.search(token) else " " + token for token in tokens]
        for person, (key, name_end) in zip(self.people, self.keys()):
            tier = self._tier(key, name_end, folded, needles)
            if tier is not None:
                yield tier, person

    def results(self, query="", filters=None):
        """Rows the page should list, in its order, and the counts each filter should show."""
        filters = filters or {}
        ranked = {0: [], 1: [], 2: [], 3: []}
        counts = {field: {} for field in ("department", "officeLocation")}
        for tier, person in self._matches(query):
            failed = [field for field, value in filters.items() if person.get(field) != value]
            for field in counts:
                if not [f for f in failed if f != field] and person.get(field):
                    counts[field][person[field]] = counts[field].get(person[field], 0) + 1
            if not failed:
                ranked[tier].append(person)
        return ranked[0] + ranked[1] + ranked[2] + ranked[3], counts

    @staticmethod
    def _tier(key, name_end, folded, needles):
        if not needles:
            return 0
        in_name = 0
        for needle in needles:
            at = key.find(needle)
            if at < 0:
                return None
            in_name += at < name_end
        if key.startswith(" " + folded):
            return 0
        return 1 if in_name == len(needles) else 2 if in_name else 3

    # -- reporting lines: managers as a forest, a loop cut at its member first in the list ----

    def org(self):
        if self._org is None:
            count = len(self.people)
            parent = [m if isinstance(m, int) and 0 <= m < count and m != row else -1
                      for row, m in enumerate(self.raw["manager"])]
            loops = {row for row, m in enumerate(self.raw["manager"]) if m == row}
            state = [0] * count
            for start in range(count):
                walk, row = [], start
                while row >= 0 and state[row] == 0:
                    state[row] = 1
                    walk.append(row)
                    row = parent[row]
                if row >= 0 and state[row] == 1:
                    cut = min(walk[walk.index(row):])
                    parent[cut] = -1
                    loops.add(cut)
                for seen in walk:
                    state[seen] = 2
            children = [[] for _ in range(count)]
            for row in range(count):
                if parent[row] >= 0:
                    children[parent[row]].append(row)
            self._org = {"parent": parent, "children": children, "loops": loops}
        return self._org

    def chain(self, row):
        parent = self.org()["parent"]
        chain = [row]
        while parent[chain[-1]] >= 0:
            chain.append(parent[chain[-1]])
        return list(reversed(chain))

    def has_reporting_lines(self):
        return any(m >= 0 for m in self.raw["manager"])

    # -- people the tests look for ------------------------------------------------------------

    def named(self, name):
        return next((p for p in self.people if p.get("displayName") == name), None)

    def hostile(self):
        return [p for p in self.people
                if re.search(r"[<>\"]|javascript:", p.get("displayName", "") + p.get("mail", ""))]

    def name_of(self, person):
        return person.get("displayName") or person.get("mail") or "(no name)"


# ---------------------------------------------------------------------------------------------
# The browser.

def require_browser():
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    if missing:
        raise RuntimeError(f"missing {', '.join(missing)}: install Debian's chromium and chromium-driver "
                           "(scripts/setup.sh); this suite does not skip without a browser")


def start_chromium(download_dir=None):
    require_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--force-device-scale-factor=1",
                     "--hide-scrollbars", "--lang=en-US", "--no-first-run", "--no-default-browser-check",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-default-apps", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    options.set_capability("unhandledPromptBehavior", "ignore")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(120)
    if download_dir:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


class PageTestCase(unittest.TestCase):
    """One Chromium for the class; every test starts from a fresh load of the page."""

    @classmethod
    def setUpClass(cls):
        cls.directory = DIRECTORY
        cls.downloads = Path(tempfile.mkdtemp(prefix="directory-downloads-"))
        cls.driver = start_chromium(cls.downloads)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        shutil.rmtree(cls.downloads, ignore_errors=True)

    def setUp(self):
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
        self.driver.set_window_size(*DESKTOP)

    # -- navigation and waiting -------------------------------------------------------------

    def url(self, fragment=""):
        return (SITE / "index.html").as_uri() + fragment

    def open_page(self, fragment=""):
        # about:blank first, so a change of fragment alone still loads the page afresh.
        self.driver.get("about:blank")
        self.driver.get(self.url(fragment))
        self.wait_until(lambda: self.js("return document.querySelectorAll('#results .row').length > 0 "
                                        "|| !document.getElementById('load-error').hidden"), "the first rows")
        self.assertTrue(self.js("return document.getElementById('load-error').hidden"),
                        self.js("return document.getElementById('load-error').textContent"))

    def wait_until(self, condition, what, timeout=WAIT_SECONDS):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(lambda _: condition())
        except TimeoutException:
            self.fail(f"timed out waiting for {what}")

    def js(self, script, *arguments):
        return self.driver.execute_script(script, *arguments)

    def click(self, element):
        # Centred first: at the edge of a scrolled view an element can sit under the sticky bar.
        self.js("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def keys(self, *keys):
        ActionChains(self.driver).send_keys(*keys).perform()

    # -- reading the page ---------------------------------------------------------------------

    def search(self, text):
        box = self.driver.find_element(By.ID, "search")
        # As a person does it: select what is there, then type over it (clear() sends no input event).
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(text if text else Keys.BACKSPACE)
        self.wait_until(lambda: self.js("return document.getElementById('search').value") == text, "the query")

    def result_total(self):
        return self.js("const rows = document.querySelectorAll('#results .row');"
                       "return rows.length ? Number(rows[0].getAttribute('aria-setsize')) : 0;")

    def shown_ids(self):
        """data-id of the rows in the DOM, in list order."""
        return self.js("""return [...document.querySelectorAll('#results .row')]
            .sort((a, b) => a.getAttribute('aria-posinset') - b.getAttribute('aria-posinset'))
            .map(row => [Number(row.getAttribute('aria-posinset')), row.dataset.id]);""")

    def assert_results(self, query, filters=None, expected=None):
        """The page's count and the first rows it shows are the model's."""
        if expected is None:
            expected, _ = self.directory.results(query, filters)
        self.wait_until(lambda: self.result_total() == len(expected) and self._first_rows_match(expected),
                        f"{len(expected)} results for {query!r} {filters or ''} "
                        f"(page shows {self.result_total()}: {self.shown_ids()[:5]})")
        count = self.js("return document.getElementById('result-count').textContent")
        self.assertIn(f"{len(expected):,}", count)
        return expected

    def _first_rows_match(self, expected):
        shown = self.shown_ids()
        if not expected:
            return not shown
        positions = {position: row_id for position, row_id in shown}
        first = [positions.get(position) for position in range(1, min(len(expected), 15) + 1)]
        return first == [person["id"] for person in expected[:15]]

    def person_view(self):
        return self.driver.find_element(By.CSS_SELECTOR, '[data-view="person"]')

    def hash(self):
        return self.js("return location.hash")

    def dom_nodes(self):
        return self.js("return document.getElementsByTagName('*').length")

    def screenshot(self, name):
        if SCREENSHOTS:
            self.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))

    def person_with(self, predicate, what):
        person = next((p for p in self.directory.people if predicate(p)), None)
        if person is None:
            self.skipTest(f"this directory has no {what}")
        return person


# ---------------------------------------------------------------------------------------------

class OfflineAndSafeTests(PageTestCase):

    def test_the_page_declares_a_strict_content_security_policy(self):
        html = self.directory.html
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        self.assertIsNotNone(policy, "index.html has no Content-Security-Policy")
        directives = dict((part.split()[0], part.split()[1:]) for part in policy.group(1).split(";") if part.strip())
        self.assertEqual(directives["default-src"], ["'none'"])
        self.assertEqual(directives["script-src"], ["'self'"])
        self.assertEqual(directives["style-src"], ["'self'"])
        self.assertNotIn("unsafe", policy.group(1))
        self.assertNotRegex(policy.group(1), r"https?:|\*")
        self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)", "no inline script")
        self.assertNotRegex(html, r"\sstyle=|<style", "no inline style")

    def test_no_request_leaves_the_site_folder(self):
        self.driver.get_log("performance")
        self.driver.get_log("browser")
        self.open_page()
        self.search("a")
        self.wait_until(lambda: self.result_total() > 0, "results")
        self.driver.find_element(By.CSS_SELECTOR, "#results .row").click()
        self.wait_until(lambda: self.person_view().is_displayed(), "the person view")
        self.wait_until(lambda: self.js("return [...document.images].every(i => i.complete)"), "images")
        self.driver.get(self.url("#org"))
        self.wait_until(lambda: self.driver.find_element(By.CSS_SELECTOR, '[data-view="org"]').is_displayed(), "org")
        toggles = self.driver.find_elements(By.CSS_SELECTOR, ".org-card .toggle")
        if toggles:
            self.click(toggles[0])
        time.sleep(0.5)
        urls = self.requested_urls()
        self.assertIn((SITE / self.directory.data_script).as_uri(), urls)
        self.assertTrue(any("/photos/" in url for url in urls), "avatars were requested")
        root = SITE.resolve()
        for url in urls:
            parsed = urlparse(url)
            self.assertEqual(parsed.scheme, "file", f"{url} leaves the folder")
            self.assertTrue(Path(unquote(parsed.path)).resolve().is_relative_to(root), f"{url} is outside {root}")
        errors = [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]
        self.assertEqual(errors, [], "console errors (a blocked request or a Content-Security-Policy violation)")

    def requested_urls(self):
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                if not url.startswith("about:"):
                    urls.append(url)
        return urls

    def test_every_avatar_is_a_file_of_the_data_sizes(self):
        self.open_page()
        self.wait_until(lambda: self.js("return [...document.querySelectorAll('#results img')].every(i => i.complete)"),
                        "avatars")
        images = self.js("""return [...document.querySelectorAll('#results .row')].map(row => {
            const img = row.querySelector('img');
            return {id: row.dataset.id, srcset: img.getAttribute('srcset'), src: img.getAttribute('src'),
                    loading: img.loading, width: img.getAttribute('width'), height: img.getAttribute('height'),
                    natural: img.naturalWidth, alt: img.getAttribute('alt')}; });""")
        self.assertTrue(images)
        sizes = set(self.directory.sizes)
        for image in images:
            self.assertEqual(image["loading"], "lazy")
            self.assertTrue(image["width"] and image["height"], "width and height are set")
            self.assertIsNotNone(image["alt"])
            candidates = [part.strip().split(" ") for part in image["srcset"].split(",")]
            for url, descriptor in candidates:
                match = re.fullmatch(rf"users/{re.escape(image['id'])}/photos/(\d+x\d+)\.jpg", url)
                self.assertIsNotNone(match, url)
                self.assertIn(match.group(1), sizes, f"{url} is not one of the data's sizes")
                self.assertEqual(descriptor, match.group(1).split("x")[0] + "w")
                self.assertTrue((SITE / url).is_file(), f"{url} does not exist")
            self.assertIn(image["src"], [url for url, _ in candidates])
        on_screen = self.js("""return [...document.querySelectorAll('#results img')].filter(i => {
            const r = i.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }).map(i => i.naturalWidth);""")
        self.assertTrue(on_screen and all(width > 0 for width in on_screen), "avatars in view are loaded")

    def test_hostile_values_show_as_text_and_run_nothing(self):
        hostile = self.directory.hostile()
        if not hostile:
            self.skipTest("this directory has no names or mail addresses with markup in them")
        for person in hostile:
            self.open_page(f"#person/{person['id']}")
            view = self.person_view()
            self.wait_until(view.is_displayed, "the person view")
            name = self.driver.find_element(By.ID, "person-name").get_attribute("textContent")
            self.assertEqual(name, self.directory.name_of(person))
            view_text = view.get_attribute("textContent")
            for field in self.directory.fields:
                if person.get(field) and field != "mail":
                    self.assertIn(person[field], view_text)
            links = self.js("return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
            for href in links:
                self.assertRegex(href, r"^(#|mailto:[^:]+@|blob:)", f"unexpected link {href}")
            if "javascript:" in person.get("mail", ""):
                self.assertIn(person["mail"], view_text, "the bad address is shown as text")
                self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, '[data-view="person"] a[href^="mailto:"]'))
            self.assert_nothing_injected()
        query = " ".join(reference.fold(hostile[0]["displayName"]).split()[:2])
        if query:
            self.open_page()
            self.search(query)
            self.assert_results(query)
            texts = self.js("return [...document.querySelectorAll('#results .row-name')].map(n => n.textContent)")
            self.assertIn(hostile[0]["displayName"], texts)
            self.assert_nothing_injected()
        options = self.js("return [...document.querySelectorAll('select option')].map(o => o.textContent)")
        for person in hostile:
            for field in ("department", "officeLocation"):
                if person.get(field):
                    self.assertTrue(any(text.startswith(person[field] + " (") for text in options))

    def assert_nothing_injected(self):
        try:
            alert = self.driver.switch_to.alert
            self.fail(f"an alert ran: {alert.text}")
        except NoAlertPresentException:
            pass
        found = self.js("""return {
            scripts: [...document.scripts].filter(s => !s.src).length,
            svg: document.querySelectorAll('svg').length,
            handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length,
            strayImages: [...document.images].filter(i => !i.classList.contains('avatar') && !i.classList.contains('logo')).length,
            bold: document.querySelectorAll('b').length};""")
        self.assertEqual(found, {"scripts": 0, "svg": 0, "handlers": 0, "strayImages": 0, "bold": 0})


class SearchTests(PageTestCase):

    def test_first_rows_are_the_directory_in_list_order(self):
        self.open_page()
        self.assert_results("")
        self.assertEqual(self.js("return document.getElementById('result-count').textContent"),
                         f"{len(self.directory.people):,} people")

    def test_search_ignores_case_and_accents(self):
        probes = [q for q in ("jose", "muller", "lodz", "krakow", "zurich", "angstrom") if self.directory.results(q)[0]]
        if not probes:
            self.fail("the directory has none of José, Müller, Łódź, Kraków, Zürich, Ångström to search for")
        self.open_page()
        for query in probes:
            self.search(query)
            expected = self.assert_results(query)
            accented = {"jose": "JOSÉ", "muller": "Müller", "lodz": "ŁÓDŹ", "krakow": "Kraków",
                        "zurich": "Zürich", "angstrom": "Ångström"}[query]
            self.search(accented)
            self.assert_results(accented, expected=expected)
        if self.directory.named("Małgorzata Wróbel"):
            self.search("lodz")
            texts = self.js("return [...document.querySelectorAll('#results .row')].map(r => r.textContent)")
            self.assertTrue(any("Łódź" in text for text in texts))

    def test_search_matches_word_prefixes_and_ranks_names_first(self):
        person = self.person_with(lambda p: re.fullmatch(r"[A-Za-zÀ-ž]{3,} [A-Za-zÀ-ž]{3,}", p.get("displayName", "")),
                                  "two-word Latin name")
        given, family = person["displayName"].split()
        query = f"{family[:3]} {given[:2]}"
        self.open_page()
        self.search(query)
        expected = self.assert_results(query)
        self.assertIn(person["id"], [p["id"] for p in expected])
        # Words match from their start, not inside.
        infix = reference.fold(family)[1:4]
        words = self.directory.keys()[person["row"]][0].replace("\x01", " ").split()
        if not any(word.startswith(infix) for word in words):
            self.search(infix)
            expected = self.assert_results(infix)
            self.assertNotIn(person["id"], [p["id"] for p in expected])
        # Matches in the name come before matches in other fields.
        for query in ("a", "s", "m", "e"):
            tiers = [tier for tier, _ in self.directory.tiers(query)]
            if 0 in tiers and 3 in tiers:
                self.search(query)
                expected = self.assert_results(query)
                ranks = dict((person["id"], tier) for tier, person in self.directory.tiers(query))
                self.assertEqual(ranks[expected[0]["id"]], 0)
                # The end of the list: people who match only in another field, in list order.
                self.js("const r = document.getElementById('results'); r.scrollTop = r.scrollHeight;")
                self.wait_until(lambda: max(p for p, _ in self.shown_ids()) == len(expected), "the end of the list")
                tail = sorted(self.shown_ids())[-10:]
                self.assertEqual([row_id for _, row_id in tail], [p["id"] for p in expected[-len(tail):]])
                self.assertEqual({ranks[row_id] for _, row_id in tail}, {3})
                break
        else:
            self.fail("no query in a, s, m, e matches both names and only other fields")

    def test_search_finds_parts_of_names_in_scripts_without_spaces(self):
        cjk = [p for p in self.directory.people if reference.SUBSTRING_SCRIPTS.search(p.get("displayName", ""))]
        if not cjk:
            self.fail("the directory has no Chinese, Japanese or Korean names to search for")
        self.open_page()
        wanted = [self.directory.named("王伟"), self.directory.named("佐藤 翔")]
        samples = [p for p in wanted if p] or cjk[:2]
        for person in samples:
            name = person["displayName"].replace(" ", "")
            for query in dict.fromkeys([name[-1], name[:2]]):
                self.search(query)
                expected = self.assert_results(query)
                self.assertIn(person["id"], [p["id"] for p in expected])

    def test_filters_show_counts_and_narrow_the_results(self):
        query = "a"
        self.open_page()
        self.search(query)
        expected, counts = self.directory.results(query)
        self.assert_results(query, expected=expected)
        for field, select_id in (("department", "department"), ("officeLocation", "office")):
            if field not in self.directory.fields:
                continue
            shown = self.option_counts(select_id)
            self.assertEqual(shown, counts[field], f"{select_id} options show the matching people per value")
        department = max(counts["department"], key=counts["department"].get)
        self.choose("department", department)
        self.assert_results(query, {"department": department})
        _, narrowed = self.directory.results(query, {"department": department})
        self.assertEqual(self.option_counts("office"), narrowed["officeLocation"])
        office = max(narrowed["officeLocation"], key=narrowed["officeLocation"].get)
        self.choose("office", office)
        self.assert_results(query, {"department": department, "officeLocation": office})
        self.search("")
        self.assert_results("", {"department": department, "officeLocation": office})
        Select(self.driver.find_element(By.ID, "department")).select_by_value("")
        self.assert_results("", {"officeLocation": office})

    def option_counts(self, select_id):
        counts = {}
        for text in self.js(f"return [...document.querySelectorAll('#{select_id} option')].slice(1).map(o => o.textContent)"):
            match = re.fullmatch(r"(.*) \(([\d,]+)\)", text, flags=re.S)
            self.assertIsNotNone(match, f"option {text!r} shows its count")
            if match.group(2) != "0":
                counts[match.group(1)] = int(match.group(2).replace(",", ""))
        return counts

    def choose(self, select_id, value):
        select = Select(self.driver.find_element(By.ID, select_id))
        texts = [option.text for option in select.options]
        match = next(text for text in texts if text.startswith(value + " ("))
        select.select_by_visible_text(match)

    def test_only_rows_in_view_are_in_the_dom(self):
        self.open_page()
        total = len(self.directory.people)
        rows = self.js("return document.querySelectorAll('#results .row').length")
        self.assertLess(rows, 100)
        self.assertLessEqual(self.dom_nodes(), MAX_DOM_NODES)
        for fraction in (0.5, 1.0):
            self.js("const r = document.getElementById('results'); r.scrollTop = (r.scrollHeight - r.clientHeight) * arguments[0];",
                    fraction)
            self.wait_until(lambda: max(p for p, _ in self.shown_ids()) >= min(total, int(total * fraction)),
                            f"rows at {fraction:.0%} of the list")
            for position, row_id in self.shown_ids():
                self.assertEqual(row_id, self.directory.people[position - 1]["id"])
            self.assertLess(self.js("return document.querySelectorAll('#results .row').length"), 100)
            self.assertLessEqual(self.dom_nodes(), MAX_DOM_NODES)


class PersonAndOrgTests(PageTestCase):

    def test_opening_a_person_shows_their_card_and_sets_the_address(self):
        hostile = self.directory.hostile()
        person = self.person_with(lambda p: "@" in p.get("mail", "") and p.get("jobTitle") and p.get("displayName")
                                  and p not in hostile, "person with a name, a job title and a mail address")
        self.open_page()
        self.search(f"{person['displayName']} {person['mail'].split('@')[0]}")
        self.wait_until(lambda: person["id"] in [i for _, i in self.shown_ids()], "the person in the results")
        self.driver.find_element(By.CSS_SELECTOR, f'#results .row[data-id="{person["id"]}"]').click()
        view = self.person_view()
        self.wait_until(view.is_displayed, "the person view")
        self.assertEqual(self.hash(), f"#person/{person['id']}")
        self.assertEqual(self.driver.find_element(By.ID, "person-name").text, person["displayName"])
        self.assertIn(person["jobTitle"], view.text)
        mailto = [a.get_attribute("href") for a in view.find_elements(By.CSS_SELECTOR, 'a[href^="mailto:"]')]
        self.assertIn("mailto:" + person["mail"], mailto)
        portrait = view.find_element(By.CSS_SELECTOR, "img.portrait")
        self.assertTrue(portrait.get_attribute("alt").endswith(person["displayName"]))
        for candidate in portrait.get_attribute("srcset").split(","):
            url = candidate.strip().split(" ")[0]
            self.assertTrue((SITE / url).is_file(), url)
            self.assertIn(url.rsplit("/", 1)[1][:-4], self.directory.sizes)
        self.wait_until(lambda: portrait.get_attribute("naturalWidth") not in (None, "0"), "the portrait")
        self.screenshot("desktop-person")

    def test_a_deep_link_opens_the_person_directly(self):
        person = self.directory.people[len(self.directory.people) // 2]
        self.open_page(f"#person/{person['id']}")
        self.wait_until(self.person_view().is_displayed, "the person view")
        self.assertEqual(self.driver.find_element(By.ID, "person-name").get_attribute("textContent"),
                         self.directory.name_of(person))
        self.assertEqual(self.driver.title.split(" – ")[0], self.directory.name_of(person))
        for fragment in ("#person/not-a-known-id", "#person/..%2Fusers.json", "#person/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"):
            self.open_page(fragment)
            self.wait_until(self.person_view().is_displayed, "the person view")
            self.assertEqual(self.driver.find_element(By.ID, "person-name").text, "Not in the directory")
            self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, '[data-view="person"] img'))
        with self.assertRaises(NoAlertPresentException):
            self.driver.switch_to.alert.text

    def test_the_contact_card_downloads_as_a_vcard(self):
        person = self.person_with(lambda p: "@" in p.get("mail", "") and ":" not in p.get("mail", ""), "mail address")
        for old in self.downloads.glob("*"):
            old.unlink()
        self.open_page(f"#person/{person['id']}")
        self.wait_until(self.person_view().is_displayed, "the person view")
        self.driver.find_element(By.XPATH, '//button[normalize-space()="Download contact card"]').click()
        self.wait_until(lambda: list(self.downloads.glob("*.vcf")), "the .vcf download")
        card = next(self.downloads.glob("*.vcf")).read_bytes().decode("utf-8")
        self.assertTrue(card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n"))
        self.assertTrue(card.endswith("END:VCARD\r\n"))
        unfolded = card.replace("\r\n ", "")
        escaped = re.sub(r"([\\,;])", r"\\\1", person["displayName"])
        self.assertIn(f"\r\nFN:{escaped}\r\n", unfolded)
        self.assertIn(f"\r\nEMAIL;TYPE=INTERNET:{person['mail']}\r\n", unfolded)
        self.assertTrue(all(len(line.encode()) <= 75 for line in card.split("\r\n")))

    def test_the_person_view_shows_the_reporting_line_and_direct_reports(self):
        if not self.directory.has_reporting_lines():
            self.skipTest("this directory has no managers")
        org = self.directory.org()
        person = max((p for p in self.directory.people if org["children"][p["row"]]),
                     key=lambda p: (len(self.directory.chain(p["row"])), -p["row"]))
        chain = self.directory.chain(person["row"])
        reports = org["children"][person["row"]]
        self.open_page(f"#person/{person['id']}")
        self.wait_until(self.person_view().is_displayed, "the person view")
        shown_chain = self.js("return [...document.querySelectorAll('.chain li')].map(li => li.querySelector('a, strong').textContent)")
        self.assertEqual(shown_chain, [self.directory.name_of(self.directory.people[row]) for row in chain])
        heading = self.driver.find_element(By.ID, "reports-heading").text
        self.assertEqual(heading, f"Direct reports ({len(reports):,})")
        shown_reports = self.js("return [...document.querySelectorAll('.reports-section li a')].map(a => a.getAttribute('href'))")
        self.assertEqual(shown_reports, [f"#person/{self.directory.people[row]['id']}" for row in reports[:50]])
        manager = self.directory.people[chain[-2]]
        self.driver.find_element(By.CSS_SELECTOR, f'.chain a[href="#person/{manager["id"]}"]').click()
        self.wait_until(lambda: self.hash() == f"#person/{manager['id']}", "the manager's view")
        self.driver.back()
        self.wait_until(lambda: self.hash() == f"#person/{person['id']}", "back to the person")

    def test_the_org_chart_expands_one_level_at_a_time(self):
        if not self.directory.has_reporting_lines():
            self.skipTest("this directory has no managers")
        org = self.directory.org()
        person = max(self.directory.people, key=lambda p: (len(self.directory.chain(p["row"])), -p["row"]))
        chain = self.directory.chain(person["row"])
        self.open_page(f"#org/{person['id']}")
        view = self.driver.find_element(By.CSS_SELECTOR, '[data-view="org"]')
        self.wait_until(view.is_displayed, "the org chart")
        current = self.js("return document.querySelector('.org-card[aria-current=\"true\"]').closest('li').dataset.id")
        self.assertEqual(current, person["id"])
        expanded = self.js("""return [...document.querySelectorAll('.org-node')].filter(li =>
            li.querySelector(':scope > .org-card .toggle[aria-expanded="true"]')).map(li => li.dataset.id)""")
        self.assertEqual(expanded, [self.directory.people[row]["id"] for row in chain[:-1]])
        drawn = set(self.js("return [...document.querySelectorAll('.org-node')].map(li => li.dataset.id)"))
        expected = {self.directory.people[row]["id"] for row in chain}
        for row in chain[:-1]:
            expected |= {self.directory.people[child]["id"] for child in org["children"][row][:50]}
        self.assertEqual(drawn, expected)
        # Expanding a collapsed manager adds their reports, and nothing below them.
        collapsed = self.js("""return [...document.querySelectorAll('.org-node')].filter(li =>
            li.querySelector(':scope > .org-card .toggle[aria-expanded="false"]')).map(li => li.dataset.id)""")
        if not collapsed:
            self.skipTest("no collapsed manager is drawn on this reporting line")
        manager = self.directory.by_id[collapsed[0]]
        reports = org["children"][manager["row"]]
        toggle = self.driver.find_element(By.CSS_SELECTOR, f'li[data-id="{manager["id"]}"] > .org-card .toggle')
        self.assertIn(f"{len(reports):,} report", toggle.text)
        self.click(toggle)
        self.wait_until(lambda: toggle.get_attribute("aria-expanded") == "true", "the expansion")
        children = self.js("return [...document.querySelectorAll(arguments[0])].map(li => li.dataset.id)",
                           f'li[data-id="{manager["id"]}"] > .org-children > .org-node')
        self.assertEqual(children, [self.directory.people[row]["id"] for row in reports[:50]])
        self.assertFalse(self.driver.find_elements(
            By.CSS_SELECTOR, f'li[data-id="{manager["id"]}"] > .org-children .org-children'))
        self.click(toggle)
        self.wait_until(lambda: toggle.get_attribute("aria-expanded") == "false", "the collapse")
        self.assertLessEqual(self.dom_nodes(), MAX_DOM_NODES)
        self.screenshot("desktop-org")

    def test_without_managers_there_is_no_org_chart(self):
        if self.directory.has_reporting_lines():
            self.skipTest("this directory has managers")
        self.open_page(f"#person/{self.directory.people[0]['id']}")
        self.wait_until(self.person_view().is_displayed, "the person view")
        self.assertFalse(self.driver.find_element(By.CSS_SELECTOR, '[data-nav="org"]').is_displayed())
        self.assertNotIn("Reporting line", self.person_view().text)
        self.assertNotIn("org chart", self.person_view().text)

    def test_the_org_chart_lists_the_tops_and_stays_small(self):
        if not self.directory.has_reporting_lines():
            self.skipTest("this directory has no managers")
        org = self.directory.org()
        tops = [row for row, parent in enumerate(org["parent"]) if parent < 0]
        tops.sort(key=lambda row: (-len(org["children"][row]), row))
        self.open_page("#org")
        self.wait_until(self.driver.find_element(By.CSS_SELECTOR, '[data-view="org"]').is_displayed, "the org chart")
        shown = self.js("return [...document.querySelectorAll('.org-tree > .org-node')].map(li => li.dataset.id)")
        self.assertEqual(shown, [self.directory.people[row]["id"] for row in tops[:50]])
        self.assertLessEqual(self.dom_nodes(), MAX_DOM_NODES)

    def test_loops_in_the_reporting_lines_end_at_a_top(self):
        if not self.directory.has_reporting_lines():
            self.skipTest("this directory has no managers")
        org = self.directory.org()
        looped = sorted(org["loops"])
        if not looped:
            self.skipTest("this directory's reporting lines have no loop")
        cut = looped[0]
        members, row = [cut], self.directory.raw["manager"][cut]
        while row >= 0 and row not in members:
            members.append(row)
            row = self.directory.raw["manager"][row]
        for member in members:
            person = self.directory.people[member]
            self.open_page(f"#person/{person['id']}")
            self.wait_until(self.person_view().is_displayed, "the person view")
            chain = self.js("return [...document.querySelectorAll('.chain li')].map(li => li.querySelector('a, strong').textContent)")
            expected = [self.directory.name_of(self.directory.people[r]) for r in self.directory.chain(member)]
            self.assertEqual(chain or [self.directory.name_of(person)], expected)
            self.assertEqual(self.directory.chain(member)[0], cut, "every member's line ends at the cut")
            if member == cut:
                self.assertIn("Shown at the top", self.person_view().text)
        self.open_page("#org")
        self.wait_until(self.driver.find_element(By.CSS_SELECTOR, '[data-view="org"]').is_displayed, "the org chart")
        tops = self.js("return [...document.querySelectorAll('.org-tree > .org-node')].map(li => li.dataset.id)")
        self.assertIn(self.directory.people[cut]["id"], tops)


class KeyboardTests(PageTestCase):

    def test_arrows_move_through_the_results_and_enter_opens(self):
        self.open_page()
        query = "a"
        self.search(query)
        expected = self.assert_results(query)
        self.driver.find_element(By.ID, "search").send_keys(Keys.ARROW_DOWN)
        self.wait_until(lambda: self.focused_row() == expected[0]["id"], "focus on the first result")
        self.keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_UP)
        self.wait_until(lambda: self.focused_row() == expected[1]["id"], "focus on the second result")
        self.assertTrue(self.js("return document.activeElement.matches(':focus-visible')"))
        outline = self.js("const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]")
        self.assertNotEqual(outline[0], "none")
        self.assertGreaterEqual(outline[1], 2)
        self.keys(Keys.ENTER)
        self.wait_until(lambda: self.person_view().is_displayed(), "the person view")
        self.assertEqual(self.hash(), f"#person/{expected[1]['id']}")
        self.keys(Keys.ESCAPE)
        self.wait_until(lambda: not self.person_view().is_displayed() and self.hash() == "", "the view to close")
        self.wait_until(lambda: self.focused_row() == expected[1]["id"], "focus back on the row")
        self.keys(Keys.ENTER)
        self.wait_until(lambda: self.person_view().is_displayed(), "the person view again")
        self.driver.back()
        self.wait_until(lambda: not self.person_view().is_displayed() and self.hash() == "", "Back to close the view")
        self.keys(Keys.END)
        self.wait_until(lambda: self.focused_row() == expected[-1]["id"], "End to the last result")
        self.keys(Keys.HOME)
        self.wait_until(lambda: self.focused_row() == expected[0]["id"], "Home to the first result")
        self.keys(Keys.ARROW_UP)
        self.wait_until(lambda: self.js("return document.activeElement.id") == "search", "ArrowUp back to the search box")

    def test_escape_closes_a_deep_linked_view(self):
        person = self.directory.people[0]
        self.open_page(f"#person/{person['id']}")
        self.wait_until(self.person_view().is_displayed, "the person view")
        self.keys(Keys.ESCAPE)
        self.wait_until(lambda: not self.person_view().is_displayed() and self.hash() == "", "the view to close")
        self.assertEqual(self.driver.current_url, self.url())

    def focused_row(self):
        return self.js("const a = document.activeElement; return a && a.classList.contains('row') ? a.dataset.id : null")


class AccessibilityTests(PageTestCase):

    @classmethod
    def setUpClass(cls):
        source = AXE.read_bytes()
        digest = hashlib.sha256(source).hexdigest()
        if digest != AXE_SHA256:
            raise AssertionError(f"{AXE} has SHA-256 {digest}, not the vendored {AXE_SHA256}")
        cls.axe_source = source.decode("utf-8")
        super().setUpClass()

    def axe_violations(self, state):
        self.js(self.axe_source)
        version = self.js("return axe.version")
        self.assertGreaterEqual(tuple(int(p) for p in version.split(".")[:2]), (4, 10))
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)),"
            " e => done(JSON.stringify({error: String(e)})));")
        violations = json.loads(result)
        self.assertIsInstance(violations, list, violations)
        return [f"{state}: {v['id']} ({v['impact']}): {v['help']} — "
                + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                            for node in v["nodes"][:3])
                for v in violations if v["impact"] in ("serious", "critical")]

    def test_axe_finds_nothing_serious_in_any_view(self):
        problems = []
        person = self.directory.people[0]
        for scheme in ("light", "dark"):
            self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                        {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
            self.open_page()
            problems += self.axe_violations(f"{scheme} list")
            self.search("a")
            self.wait_until(lambda: self.result_total() > 0, "results")
            problems += self.axe_violations(f"{scheme} search")
            self.search("zzzzqqq")
            self.wait_until(lambda: self.driver.find_element(By.ID, "no-results").is_displayed(), "no results")
            problems += self.axe_violations(f"{scheme} no results")
            self.open_page(f"#person/{person['id']}")
            self.wait_until(self.person_view().is_displayed, "the person view")
            problems += self.axe_violations(f"{scheme} person")
            self.open_page("#org")
            self.wait_until(self.driver.find_element(By.CSS_SELECTOR, '[data-view="org"]').is_displayed, "org")
            toggles = self.driver.find_elements(By.CSS_SELECTOR, ".org-card .toggle")
            if toggles:
                self.click(toggles[0])
            problems += self.axe_violations(f"{scheme} org chart")
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
        self.open_page(f"#person/{person['id']}")
        self.wait_until(self.person_view().is_displayed, "the person view")
        problems += self.axe_violations("phone person")
        self.assertEqual(problems, [])

    def test_controls_have_labels_and_images_have_alt_text(self):
        self.open_page(f"#person/{self.directory.people[0]['id']}")
        self.wait_until(self.person_view().is_displayed, "the person view")
        labels = self.js("""return [...document.querySelectorAll('input, select')].map(c =>
            c.labels && c.labels.length ? c.labels[0].textContent.trim() : '')""")
        self.assertTrue(all(labels), labels)
        self.assertFalse(self.js("return [...document.images].filter(i => !i.hasAttribute('alt')).length"))
        self.assertTrue(self.js("return document.querySelector('img.portrait').alt.length > 0"))


class MissingDataTests(PageTestCase):

    def test_a_missing_data_script_is_reported_on_the_page(self):
        with tempfile.TemporaryDirectory(prefix="directory-without-data-") as folder:
            copy = Path(folder)
            shutil.copy(SITE / "index.html", copy / "index.html")
            shutil.copytree(SITE / "assets", copy / "assets")
            self.driver.get("about:blank")
            self.driver.get((copy / "index.html").as_uri())
            error = self.driver.find_element(By.ID, "load-error")
            self.wait_until(error.is_displayed, "the error message")
            self.assertIn("missing", error.text)
            self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "#results .row"))


class LayoutTests(PageTestCase):

    def test_dark_mode_follows_the_system(self):
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                    {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        self.open_page()
        background = self.js("return getComputedStyle(document.body).backgroundColor")
        self.assertLess(luminance(background), 0.1, background)
        self.screenshot("dark-list")
        self.open_page(f"#person/{self.directory.people[0]['id']}")
        self.wait_until(self.person_view().is_displayed, "the person view")
        self.screenshot("dark-person")

    def test_a_phone_shows_the_person_over_the_list(self):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
        self.open_page()
        self.assertLessEqual(self.js("return document.documentElement.scrollWidth"), PHONE["width"])
        self.screenshot("phone-list")
        self.driver.find_element(By.CSS_SELECTOR, "#results .row").click()
        self.wait_until(self.person_view().is_displayed, "the person view")
        box = self.js("return document.querySelector('[data-view=\"person\"]').getBoundingClientRect().toJSON()")
        self.assertEqual((box["left"], box["top"], box["width"]), (0, 0, PHONE["width"]))
        self.assertTrue(self.driver.find_element(By.CSS_SELECTOR, '[data-view="person"] .close').is_displayed())
        self.assertLessEqual(self.js("return document.documentElement.scrollWidth"), PHONE["width"])
        self.screenshot("phone-person")

    def test_printing_shows_the_person_without_controls(self):
        self.open_page(f"#person/{self.directory.people[0]['id']}")
        self.wait_until(self.person_view().is_displayed, "the person view")
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        hidden = self.js("""return ['search', 'department', 'results'].map(id =>
            document.getElementById(id).getBoundingClientRect().height === 0)""")
        self.assertEqual(hidden, [True, True, True])
        self.assertTrue(self.person_view().is_displayed())
        self.screenshot("print-person")
        pages = self.pdf_pages()
        self.assertLessEqual(pages, 3)
        self.open_page()
        self.assertLessEqual(self.pdf_pages(), 5, "the list prints what is shown, not the whole directory")

    def pdf_pages(self):
        pdf = base64.b64decode(self.driver.execute_cdp_cmd("Page.printToPDF", {})["data"])
        return len(re.findall(rb"/Type\s*/Page[^s]", pdf))

    def test_screenshots_of_the_list(self):
        self.open_page()
        self.screenshot("desktop-list")
        query = next((q for q in ("jose", "mül", "a") if self.directory.results(q)[0]), "a")
        self.search(query)
        self.assert_results(query)
        self.screenshot("desktop-search")


def luminance(css_color):
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css_color)[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


DIRECTORY = None


def main():
    global SITE, SCREENSHOTS, DIRECTORY
    parser = argparse.ArgumentParser(description="Tests the directory page of a built site in headless Chromium.")
    parser.add_argument("--site", required=True, type=Path, help="the site folder (holds index.html)")
    parser.add_argument("--screenshots", type=Path, help="save screenshots here")
    args, rest = parser.parse_known_args()
    SITE = args.site.resolve()
    if not (SITE / "index.html").is_file():
        parser.error(f"{SITE} has no index.html")
    if args.screenshots:
        SCREENSHOTS = args.screenshots.resolve()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    require_browser()
    DIRECTORY = Directory(SITE)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
