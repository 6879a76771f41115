"""The browser for test_directory_page.py: headless Chromium, and PageTestCase, which loads the
page afresh for every test and reads what it shows."""

import shutil
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE = HERE / "vendor" / "axe.min.js"
AXE_SHA256 = "84494fec757e4710dc751c8d7a636e457f4532f08f85c86dc9070133fbff53bc"
DESKTOP = (1366, 900)
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
MAX_DOM_NODES = 1500
WAIT_SECONDS = 20

# Set by test_directory_page.main().
SITE = None
SCREENSHOTS = None
DIRECTORY = None

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as error:  # the suite must fail, not skip, without its tools
    raise SystemExit(f"selenium is not installed ({error}); run scripts/setup.sh") from error


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
