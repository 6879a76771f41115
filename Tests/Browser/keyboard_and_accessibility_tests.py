"""test_directory_page.py: keyboard use, and axe-core's checks in every view."""

import hashlib
import json

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from page_test_case import AXE, AXE_SHA256, PHONE, PageTestCase


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
