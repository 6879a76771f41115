"""test_directory_page.py: dark mode, a phone, printing, and the screenshots."""

import base64
import re

from selenium.webdriver.common.by import By

from page_test_case import PHONE, PageTestCase


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
