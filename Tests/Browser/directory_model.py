"""A model of the site's data for test_directory_page.py: what the page should show, computed
independently of the page (search fold, ranking, filters, reporting lines)."""

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "scripts"))
import directory_data as reference  # noqa: E402  (the search fold and the data format)


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
