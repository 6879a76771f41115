"""test_directory_page.py: the person view, the contact card, reporting lines and the org chart."""

import re

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

import page_test_case
from page_test_case import MAX_DOM_NODES, PageTestCase


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
            self.assertTrue((page_test_case.SITE / url).is_file(), url)
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
