"""Fake people for scripts/directory_fixture.py: an organisation with a CEO, 5–15 reports per
manager, names in many scripts."""

import uuid

from directory_data import fold
from fixture_names import LATIN_FAMILY, LATIN_GIVEN, NAME_CULTURES

ORGANISATIONS = {
    "Engineering": ["Platform Engineering", "Mobile Engineering", "Web Engineering", "Infrastructure",
                    "Security Engineering", "Data Engineering", "Quality Engineering"],
    "Sales": ["Sales EMEA", "Sales Americas", "Sales APAC", "Inside Sales", "Sales Operations"],
    "Marketing": ["Brand Marketing", "Product Marketing", "Communications", "Events"],
    "Finance": ["Accounting", "Financial Planning", "Procurement", "Tax"],
    "People": ["Recruiting", "People Operations", "Learning & Development"],
    "Customer Success": ["Support", "Customer Success", "Professional Services"],
    "Product": ["Product Management", "Design", "Research"],
    "Legal": ["Legal", "Compliance", "Privacy"],
    "Operations": ["Facilities", "IT", "Workplace"],
}
CONTRIBUTOR_TITLES = {
    "Engineering": ["Software Engineer", "Senior Software Engineer", "Staff Engineer", "Site Reliability Engineer",
                    "QA Engineer", "Security Analyst", "Data Engineer"],
    "Sales": ["Account Executive", "Sales Development Representative", "Sales Engineer", "Account Manager"],
    "Marketing": ["Marketing Specialist", "Content Writer", "Communications Specialist", "Event Coordinator"],
    "Finance": ["Accountant", "Financial Analyst", "Buyer", "Tax Specialist"],
    "People": ["Recruiter", "HR Business Partner", "Learning Specialist"],
    "Customer Success": ["Support Specialist", "Customer Success Manager", "Consultant"],
    "Product": ["Product Manager", "Product Designer", "UX Researcher"],
    "Legal": ["Counsel", "Paralegal", "Compliance Analyst"],
    "Operations": ["Facilities Coordinator", "IT Support Engineer", "Office Manager"],
}
MANAGER_TITLES = ["Chief Executive Officer", "Vice President", "Director", "Senior Manager", "Manager", "Team Lead"]
OFFICES = [("London", 12), ("New York", 12), ("São Paulo", 6), ("Łódź", 4), ("Kraków", 4), ("München", 6),
           ("Zürich", 4), ("Montréal", 4), ("Reykjavík", 1), ("İstanbul", 3), ("東京", 6), ("서울", 4),
           ("Dubai", 3), ("Tel Aviv", 3), ("Bengaluru", 8), ("Paris", 5), ("Madrid", 4), ("Remote", 10)]
# Named people the tests look for; the hostile ones must show as text and run nothing.
NAMED = [
    {"displayName": "José García", "officeLocation": "Madrid", "roman": "jose.garcia"},
    {"displayName": "Jürgen Müller", "officeLocation": "München", "roman": "jurgen.muller"},
    {"displayName": "Małgorzata Wróbel", "officeLocation": "Łódź", "roman": "malgorzata.wrobel"},
    {"displayName": "王伟", "officeLocation": "東京", "roman": "wang.wei"},
    {"displayName": "佐藤 翔", "officeLocation": "東京", "roman": "sato.sho"},
    {"displayName": "محمد العلي", "officeLocation": "Dubai", "roman": "mohammed.alali"},
    {"displayName": "דוד כהן", "officeLocation": "Tel Aviv", "roman": "david.cohen"},
    {"displayName": "<script>alert(1)</script>", "roman": "script"},
    {"displayName": "<img src=x onerror=alert(1)>", "jobTitle": "<b>Chief</b> \"Hacker\"", "roman": "img"},
    {"displayName": "\"><svg onload=alert(1)>", "officeLocation": "\"><img src=x onerror=alert(1)>", "roman": "svg"},
    {"displayName": "Mallory Mailto", "mail": "javascript:alert(1)"},
]


def make_people(count, rng, image_source):
    """count people in a reporting tree, plus a cycle of three and one whose manager is not in
    the directory, with the NAMED people among the individual contributors."""
    maker = PersonMaker(rng, image_source)
    tree_size = max(1, count - 6)
    people = [maker.person() for _ in range(tree_size)]
    depth = _assign_managers(people, rng)
    _assign_organisations(people, depth, rng)
    people.extend(_odd_reporting_lines(maker, count - tree_size))
    contributors = [p for p in people if p["_reports"] == 0 and "_odd" not in p]
    for named, person in zip(NAMED, rng.sample(contributors, min(len(NAMED), len(contributors)))):
        person.update({key: value for key, value in named.items() if key != "roman"})
        if "roman" in named:
            person["mail"] = maker.mail(named["roman"])
        person["placeholder"] = False
        person["_images"] = rng.choice(image_source.photo_sets)
    return people


class PersonMaker:
    """Fake people with names in many scripts and unique mail addresses derived from them."""

    def __init__(self, rng, image_source):
        self.rng = rng
        self.images = image_source
        self.mails = set()
        self.weights = [weight for weight, *_ in NAME_CULTURES]

    def person(self):
        if self.rng.random() < 0.2:
            # A placeholder user gets a name with the initials its borrowed placeholder image shows.
            index = self.rng.randrange(len(self.images.placeholders))
            name = self._same_initials_name(self.images.placeholders[index].get("displayName") or "")
            roman = ".".join(fold(name).split())
            images, placeholder = self.images.placeholder_sets[index], True
        else:
            name, roman = self._name()
            images, placeholder = self.rng.choice(self.images.photo_sets), False
        return {"id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), "displayName": name,
                "mail": self.mail(roman), "placeholder": placeholder, "_images": images, "_reports": 0}

    def _name(self):
        _, pattern, given, family = self.rng.choices(NAME_CULTURES, self.weights)[0]
        (given_name, given_roman), (family_name, family_roman) = self.rng.choice(given), self.rng.choice(family)
        return pattern.format(given=given_name, family=family_name), f"{given_roman}.{family_roman}"

    def _same_initials_name(self, name):
        words = name.split()
        if len(words) != 2 or not all(word.isalpha() and word[0].isupper() for word in words):
            return name
        given = [g for g in LATIN_GIVEN if g[0] == words[0][0]] or [words[0]]
        family = [f for f in LATIN_FAMILY if f[0] == words[1][0]] or [words[1]]
        return f"{self.rng.choice(given)} {self.rng.choice(family)}"

    def mail(self, roman):
        local = "".join(c for c in roman.replace("'", "") if c.isascii() and (c.isalnum() or c == ".")).strip(".")
        if not any(c.isalnum() for c in local):
            local = "user"
        candidate, number = local, 1
        while candidate in self.mails:
            number += 1
            candidate = f"{local}{number}"
        self.mails.add(candidate)
        return f"{candidate}@contoso.example"


def _assign_managers(people, rng):
    """Breadth first from the CEO, 5–15 reports each; returns each person's depth."""
    depth = [0] * len(people)
    queue, next_person, head = [0], 1, 0
    while next_person < len(people):
        manager = queue[head]
        head += 1
        # The CEO's reports head one organisation each.
        reports = len(ORGANISATIONS) if manager == 0 else rng.randint(5, 15)
        for _ in range(reports):
            if next_person == len(people):
                break
            people[next_person]["manager"] = people[manager]["id"]
            people[manager]["_reports"] += 1
            depth[next_person] = depth[manager] + 1
            queue.append(next_person)
            next_person += 1
    return depth


def _assign_organisations(people, depth, rng):
    """Each vice president's subtree is one organisation, each director's one department; teams
    mostly sit in their manager's office."""
    by_id = {person["id"]: person for person in people}
    offices, weights = zip(*OFFICES)
    organisations = list(ORGANISATIONS)
    for index, person in enumerate(people):
        manager = by_id.get(person.get("manager"))
        level = depth[index]
        if level == 0:
            organisation, department = "Executive", "Executive Office"
        elif level == 1:
            organisation = organisations[(index - 1) % len(organisations)]
            department = organisation
        else:
            organisation = manager["_organisation"]
            department = rng.choice(ORGANISATIONS[organisation]) if level == 2 else manager["department"]
        person["_organisation"], person["department"] = organisation, department
        if manager and rng.random() < 0.7:
            person["officeLocation"] = manager["officeLocation"]
        else:
            person["officeLocation"] = rng.choices(offices, weights)[0]
        if person["_reports"]:
            title = MANAGER_TITLES[min(level, len(MANAGER_TITLES) - 1)]
            person["jobTitle"] = title if level == 0 else f"{title}, {department}"
        else:
            person["jobTitle"] = rng.choice(CONTRIBUTOR_TITLES.get(organisation, ["Assistant"]))


def _odd_reporting_lines(maker, count):
    """Three people who manage each other in a loop, and one (with two reports) whose manager id
    is not in the directory: the page must show each as a top and never loop."""
    odd = [maker.person() for _ in range(count)]
    for person in odd:
        person.update(_odd=True, department="Special Projects", officeLocation="Remote", jobTitle="Project Lead")
    if count >= 3:
        for index in range(3):
            odd[index]["manager"] = odd[(index + 1) % 3]["id"]
    if count >= 6:
        odd[3]["manager"] = str(uuid.UUID(int=maker.rng.getrandbits(128), version=4))
        odd[4]["manager"] = odd[5]["manager"] = odd[3]["id"]
    return odd
