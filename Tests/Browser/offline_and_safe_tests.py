"""test_directory_page.py: the page works from the folder alone, runs nothing from the data, and
says so when its data script is missing."""

import json
import re
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

import page_test_case
from directory_model import reference
from page_test_case import PageTestCase


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
        self.assertIn((page_test_case.SITE / self.directory.data_script).as_uri(), urls)
        self.assertTrue(any("/photos/" in url for url in urls), "avatars were requested")
        root = page_test_case.SITE.resolve()
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
                self.assertTrue((page_test_case.SITE / url).is_file(), f"{url} does not exist")
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


class MissingDataTests(PageTestCase):

    def test_a_missing_data_script_is_reported_on_the_page(self):
        with tempfile.TemporaryDirectory(prefix="directory-without-data-") as folder:
            copy = Path(folder)
            shutil.copy(page_test_case.SITE / "index.html", copy / "index.html")
            shutil.copytree(page_test_case.SITE / "assets", copy / "assets")
            self.driver.get("about:blank")
            self.driver.get((copy / "index.html").as_uri())
            error = self.driver.find_element(By.ID, "load-error")
            self.wait_until(error.is_displayed, "the error message")
            self.assertIn("missing", error.text)
            self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "#results .row"))
