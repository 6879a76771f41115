"""test_directory_page.py: search, its ranking, the filters and the rows in the DOM."""

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from directory_model import reference
from page_test_case import MAX_DOM_NODES, PageTestCase


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
