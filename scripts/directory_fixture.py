#!/usr/bin/env python3
"""Builds a complete fake site folder for the directory page, as the Swift build lays it out.

The folder holds what the page needs and nothing from a real tenant:

    index.html                      rendered from templates/page/index.html
    assets/app.<hash>.css|js        templates/page/app.css and app.js under content-hashed names
    directory.<hash>.js             the directory data script (format: docs/directory-data.md)
    users.json                      as the build writes it
    users/{id}/photo.jpg            hard links to a few real JPEGs of a site the tool built
    users/{id}/photos/{W}x{H}.jpg   (copied once into .fixture-images/, so any filesystem works)

It is also the reference implementation of the data script: `directory_script()` writes the
bytes the Swift generator must write, and `fold()` is the search fold the page implements.

    scripts/directory_fixture.py --people 50000 --out /tmp/site --images output
    scripts/directory_fixture.py --from-site output --out /tmp/demo-page

`--images` is a site folder built by avatar-site (photos and placeholders are taken from it);
`--from-site` copies a built site as it is and only adds the page and its data script.
Standard library only.
"""

import argparse
import hashlib
import html
import json
import os
import random
import re
import shutil
import sys
import unicodedata
import uuid
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
TEMPLATES = REPOSITORY / "templates" / "page"
DATA_GLOBAL = "avatarSiteDirectory"
DEFAULT_FIELDS = ["displayName", "jobTitle", "department", "officeLocation", "mail"]
PHOTO_PATH = "users/{id}/photo.jpg"
PHOTOS_PATH = "users/{id}/photos/{size}.jpg"
SAFE_ID = re.compile(r"^(?!\.)(?!.*\.\.)[A-Za-z0-9._-]{1,128}$")

# ---------------------------------------------------------------------------------------------
# The search fold (docs/directory-data.md, "Search fold"); app.js implements the same steps.

_STRIPPED_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # Latin, Greek, Cyrillic accents
    "\u0591-\u05c7"  # Hebrew points
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"  # Arabic harakat
)
# Letters with a stroke or ligatures that NFKD does not decompose.
_SPECIAL_LETTERS = {"ł": "l", "đ": "d", "ð": "d", "ø": "o", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l",
                    "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ς": "σ"}
_SPECIAL_PATTERN = re.compile("[" + "".join(_SPECIAL_LETTERS) + "]")
_APOSTROPHES = re.compile("['\u2019\u02bc]")
# Scripts written without spaces between words: a query token in them matches anywhere.
SUBSTRING_SCRIPTS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3005\u3007\u3021-\u3029"
    "\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0003134f]")


def fold(text):
    """Lower-cases, removes accents, and turns everything but letters, marks and digits into
    single spaces: 'José Müller-Łódź' -> 'jose muller lodz'."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = _STRIPPED_MARKS.sub("", text)
        text = _SPECIAL_PATTERN.sub(lambda match: _SPECIAL_LETTERS[match.group()], text)
        text = unicodedata.normalize("NFC", text)
    text = _APOSTROPHES.sub("", text)
    kept = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in text)
    return " ".join(kept.split())


# ---------------------------------------------------------------------------------------------
# The data script (docs/directory-data.md).

def content_hash(data):
    return hashlib.sha256(data).hexdigest()[:16]


def order_rows(people):
    """The order the list shows with nothing typed: by folded name, then by id."""
    return sorted(people, key=lambda person: (fold(person.get("displayName") or ""), person["id"]))


GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def directory_script(people, fields, sizes):
    """The bytes of directory.<hash>.js for people (dicts with id, the fields, placeholder and
    an optional manager id), in list order."""
    ids = [person["id"] for person in people]
    row_of = {person_id: row for row, person_id in enumerate(ids)}
    data = {"format": 1, "sizes": list(sizes), "photo": PHOTO_PATH, "photos": PHOTOS_PATH, "fields": list(fields)}
    if all(GUID.match(person_id) for person_id in ids):
        data["guids"] = "".join(person_id.replace("-", "") for person_id in ids)
    else:
        data["ids"] = ids
    data["columns"] = [_column([_string_or_empty(person.get(field)) for person in people]) for field in fields]
    data["placeholder"] = [1 if person.get("placeholder") else 0 for person in people]
    data["manager"] = [row_of.get(person.get("manager"), -1) for person in people]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return ("window." + DATA_GLOBAL + "=" + text + ";\n").encode("utf-8")


def _column(values):
    """A list of strings, or a table of its distinct values (in order of first appearance) and
    each row's index in it when there are few enough of them to be worth it."""
    distinct = {}
    for value in values:
        distinct.setdefault(value, len(distinct))
    if len(distinct) * 4 > len(values):
        return values
    return {"values": list(distinct), "rows": [distinct[value] for value in values]}


def read_directory_script(data):
    """The JSON object inside a data script's bytes."""
    text = data.decode("utf-8")
    prefix = "window." + DATA_GLOBAL + "="
    if not text.startswith(prefix) or not text.endswith(";\n"):
        raise ValueError("not a directory data script")
    return json.loads(text[len(prefix):-2])


def decode_directory(data):
    """The people of a data script's object, in list order: dicts with id, row, the fields,
    placeholder and manager (a row or -1)."""
    if "guids" in data:
        hex_ids = data["guids"]
        ids = [f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
               for h in (hex_ids[i:i + 32] for i in range(0, len(hex_ids), 32))]
    else:
        ids = data["ids"]
    columns = [column if isinstance(column, list) else [column["values"][i] for i in column["rows"]]
               for column in data["columns"]]
    people = []
    for row, person_id in enumerate(ids):
        person = {"id": person_id, "row": row, "placeholder": bool(data["placeholder"][row]),
                  "manager": data["manager"][row]}
        person.update((field, column[row]) for field, column in zip(data["fields"], columns))
        people.append(person)
    return people


def _string_or_empty(value):
    """A field's text: a list of strings (businessPhones) is joined, anything else is empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    return ""


# ---------------------------------------------------------------------------------------------
# The page: index.html rendered from the template, assets under content-hashed names.

def write_page(out, count, data_script, title="People", logo=None):
    assets = out / "assets"
    assets.mkdir(exist_ok=True)
    names = {}
    for name in ("app.css", "app.js"):
        data = (TEMPLATES / name).read_bytes()
        stem, extension = name.split(".")
        hashed = f"{stem}.{content_hash(data)}.{extension}"
        (assets / hashed).write_bytes(data)
        names[extension] = "assets/" + hashed
    data_name = f"directory.{content_hash(data_script)}.js"
    (out / data_name).write_bytes(data_script)
    logo_name = None
    if logo:
        data = Path(logo).read_bytes()
        logo_name = f"assets/logo.{content_hash(data)}{Path(logo).suffix.lower()}"
        (out / logo_name).write_bytes(data)
    variables = {"title": title, "logo": logo_name, "stylesheet": names["css"], "script": names["js"],
                 "data_script": data_name, "count": str(count)}
    template = (TEMPLATES / "index.html").read_text(encoding="utf-8")
    (out / "index.html").write_text(render_template(template, variables), encoding="utf-8")


def render_template(template, variables):
    """The subset of Mustache the page's template uses: {{name}} (HTML-escaped), and
    {{#name}}…{{/name}} / {{^name}}…{{/name}} sections over a value that is set or not."""
    def section(match):
        inverted, name, body = match.group(1) == "^", match.group(2), match.group(3)
        return body if bool(variables.get(name)) != inverted else ""
    text = re.sub(r"\{\{([#^])(\w+)\}\}(.*?)\{\{/\2\}\}", section, template, flags=re.S)

    def value(match):
        name = match.group(1)
        if name not in variables:
            raise KeyError(f"the template uses {{{{{name}}}}}, which is not a page variable")
        return html.escape(variables[name] or "", quote=True)
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", value, text)


# ---------------------------------------------------------------------------------------------
# Image files: every size of every user, hard links to a few real JPEGs.

class ImageSource:
    """A few users of a site the tool built, copied into the fixture once, so every fake user's
    files can be hard links on the same filesystem."""

    def __init__(self, site, out, sizes, photos=12):
        index = json.loads((site / "users.json").read_text(encoding="utf-8"))
        self.sizes = sizes or index["sizes"]
        missing = set(self.sizes) - set(index["sizes"])
        if missing:
            raise SystemExit(f"{site} has no images of size {', '.join(sorted(missing))}")
        users = [user for user in index["value"] if SAFE_ID.match(user["id"])]
        photo_users = [user for user in users if not user["placeholder"]][:photos]
        self.placeholders = [user for user in users if user["placeholder"]]
        self.photo_sets = [self._copy(site, out, user, f"p{n}") for n, user in enumerate(photo_users)]
        self.placeholder_sets = [self._copy(site, out, user, f"i{n}") for n, user in enumerate(self.placeholders)]
        if not self.photo_sets or not self.placeholder_sets:
            raise SystemExit(f"{site} needs users with photos and users with placeholders")

    def _copy(self, site, out, user, name):
        folder = out / ".fixture-images" / name
        (folder / "photos").mkdir(parents=True)
        source = site / "users" / user["id"]
        shutil.copyfile(source / "photo.jpg", folder / "photo.jpg")
        for size in self.sizes:
            shutil.copyfile(source / "photos" / f"{size}.jpg", folder / "photos" / f"{size}.jpg")
        return folder

    def link(self, out, person_id, image_set):
        folder = out / "users" / person_id
        (folder / "photos").mkdir(parents=True)
        os.link(image_set / "photo.jpg", folder / "photo.jpg")
        for size in self.sizes:
            os.link(image_set / "photos" / f"{size}.jpg", folder / "photos" / f"{size}.jpg")


# ---------------------------------------------------------------------------------------------
# Fake people: an organisation with a CEO, 5–15 reports per manager, names in many scripts.

# Per culture: given names, family names, and how a full name is written. Names outside Latin
# script come with the romanisation a mail address would use.
CULTURES = {
    "en": (30, "{given} {family}",
           "Oliver Emma Liam Ava Noah Sophia Jack Grace Henry Chloe James Isla William Olivia Thomas Amelia "
           "George Mia Harry Emily Charlie Ella Oscar Lily Leo Freya Alfie Poppy Archie Ruby Daniel Evie "
           "Samuel Hannah Joshua Sarah Benjamin Lucy Matthew Megan",
           "Smith Walker Hughes Clarke Taylor Brown Wilson O'Brien Johnson Jones Williams Davies Evans Thomas "
           "Roberts Wright Robinson Thompson White Edwards Green Hall Wood Harris Lewis Martin Jackson Clark "
           "Turner Hill Scott Cooper Morris Ward Moore King Watson Baker Harrison Morgan Patel Young Allen "
           "Mitchell Bell Kelly Parker Cook Bailey Collins Murphy Stewart Richardson Cox Howard Gray Ross "
           "McAllister Fitzgerald"),
    "es": (10, "{given} {family}",
           "José María Lucía Álvaro Inés Sofía Jesús Begoña Íñigo Ramón Martín Paula Hugo Valentina Mateo "
           "Carmen Andrés Elena Sebastián Julia",
           "García Núñez Ibáñez Martínez Peña Gómez Rodríguez Muñoz Fernández López Sánchez Pérez Díaz "
           "Hernández Jiménez Ruiz Álvarez Romero Navarro Torres Domínguez Vázquez Ramos Castaño"),
    "de": (7, "{given} {family}",
           "Jürgen Björn Jörg Käthe Günther Lena Maximilian Sören Anna Lukas Jonas Mia Felix Hannah Paul",
           "Müller Schäfer Größe Weiß Köhler Bäcker Schröder Schmidt Schneider Fischer Meyer Wagner Becker "
           "Hoffmann Schulz Krüger Hartmann Lange Werner Jäger"),
    "fr": (6, "{given} {family}",
           "François Zoë Hélène Loïc Amélie Gaëlle Jérôme Renée Noël Camille Léa Théo Chloé Mathis Élodie",
           "Lefèvre Dubois Girard Bérénger Château Mercier Moreau Laurent Lefebvre Roux Fournier Lambert "
           "Bonnet Dupont Rousseau"),
    "pl": (5, "{given} {family}",
           "Łukasz Małgorzata Paweł Zofia Wojciech Agnieszka Michał Żaneta Katarzyna Piotr Krzysztof Joanna",
           "Wróbel Żółć Kowalczyk Wiśniewska Dąbrowski Łukasiewicz Nowak Kowalski Wójcik Kamiński Lewandowski "
           "Zieliński Szymański Woźniak Kozłowski"),
    "nordic": (3, "{given} {family}",
               "Åsa Søren Bjørn Ævar Sigríður Þór Eiður Märta Ingrid Linnéa",
               "Ångström Nørgaard Ødegård Jónsdóttir Þórsson Lindqvist Sjöberg Håkansson Bråten Dahl"),
    "tr": (3, "{given} {family}", "Çağla Işıl Gökhan Şule Ömer İlker Elif Barış",
           "Yıldız Öztürk Çelik Şahin Doğan Kılıç Aydın Özdemir"),
    "vi": (2, "{family} {given}", "Hương Đức Thảo Quỳnh Phương Minh Lan Tuấn", "Nguyễn Trần Lê Phạm Hoàng Vũ"),
    "in": (10, "{given} {family}",
           "Priya Aarav Ananya Rohan Diya Vihaan Aditya Kavya Arjun Ishaan Saanvi Riya Vivaan Meera Siddharth",
           "Patel Reddy Iyer Sharma Gupta Nair Menon Rao Singh Kumar Joshi Desai Mehta Banerjee Pillai"),
    "el": (2, "{given} {family}", "Γιώργος:giorgos Ελένη:eleni Δημήτρης:dimitris Κατερίνα:katerina Νίκος:nikos",
           "Παπαδόπουλος:papadopoulos Νικολάου:nikolaou Γεωργίου:georgiou Οικονόμου:oikonomou"),
    "ru": (4, "{given} {family}",
           "Алексей:aleksei Мария:maria Иван:ivan Екатерина:ekaterina Дмитрий:dmitrii Ольга:olga Сергей:sergei",
           "Смирнов:smirnov Иванов:ivanov Кузнецов:kuznetsov Попов:popov Соколов:sokolov Волков:volkov"),
    "zh": (8, "{family}{given}",
           "伟:wei 娜:na 敏:min 洋:yang 静:jing 磊:lei 芳:fang 军:jun 勇:yong 艳:yan 杰:jie 涛:tao 明:ming "
           "超:chao 秀英:xiuying 志强:zhiqiang 丽娟:lijuan 建华:jianhua",
           "王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou 徐:xu 孙:sun"),
    "ja": (4, "{family} {given}",
           "翔:sho 結衣:yui 陽菜:hina 蓮:ren 大翔:hiroto 美咲:misaki 健太:kenta 花子:hanako 悠真:yuma",
           "佐藤:sato 鈴木:suzuki 高橋:takahashi 田中:tanaka 渡辺:watanabe 伊藤:ito 山本:yamamoto "
           "中村:nakamura 小林:kobayashi 加藤:kato"),
    "ko": (3, "{family}{given}",
           "민준:minjun 서연:seoyeon 지호:jiho 하은:haeun 도윤:doyun 서윤:seoyun 예준:yejun 지우:jiwoo",
           "김:kim 이:lee 박:park 정:jung 최:choi 강:kang 조:cho 윤:yoon"),
    "ar": (3, "{given} {family}",
           "محمد:mohammed فاطمة:fatima أحمد:ahmed مريم:maryam علي:ali نور:nour يوسف:youssef ليلى:layla",
           "العلي:alali حسن:hassan الخطيب:alkhatib الزهراء:alzahra الحسيني:alhusseini المصري:almasri"),
    "he": (2, "{given} {family}", "דוד:david שרה:sarah יונתן:yonatan משה:moshe רחל:rachel נועה:noa",
           "כהן:cohen לוי:levi מזרחי:mizrahi פרץ:peretz ביטון:biton אברהם:avraham"),
    "hi": (1, "{given} {family}", "प्रिया:priya अर्जुन:arjun अनन्या:ananya राहुल:rahul",
           "शर्मा:sharma वर्मा:verma गुप्ता:gupta सिंह:singh"),
    "th": (1, "{given} {family}", "สมชาย:somchai สมหญิง:somying อนันต์:anan", "ใจดี:jaidee ศรีสุข:srisuk"),
}


def _names(words):
    """'Γιώργος:giorgos José' -> [('Γιώργος', 'giorgos'), ('José', 'jose')]."""
    pairs = []
    for word in words.split():
        native, _, roman = word.partition(":")
        pairs.append((native, roman or ".".join(fold(native).split())))
    return pairs


# Compound family names, so a large directory has about as many distinct names as a real one.
COMPOUND_FAMILIES = {
    "en": ("Ash Brad Crow Fair Hol Lang Mar Red Stan Whit Black Rad Brom Cal Dun Els Hart Kent Ox Wen",
           "ford ley ton wood field by well more ham worth brook dale wick bury stead"),
    "de": ("Berg Stein Ro Wald Lin Ho Sonn Eich Feld Kirch Bach Hagen Alt Brand Grün",
           "mann er berg hoff feld hauser bach eder inger meier"),
    "nordic": ("Berg Lind Sjö Ek Holm Strand Dal Ny Ås Fors", "ström qvist gren berg lund dahl sson stedt"),
    "es": ("Villa Monte Valde Castel Mira Torre Fuente Riba", "nueva verde blanco flores alta mar sol real"),
}


def _family_names(culture, family):
    if culture not in COMPOUND_FAMILIES:
        return family
    heads, tails = (words.split() for words in COMPOUND_FAMILIES[culture])
    return family + " " + " ".join(head + tail for head in heads for tail in tails)


NAME_CULTURES = [(weight, pattern, _names(given), _names(_family_names(culture, family)))
                 for culture, (weight, pattern, given, family) in CULTURES.items()]
LATIN_GIVEN = [native for key in ("en", "es", "de", "fr", "pl", "nordic", "tr", "in")
               for native, _ in _names(CULTURES[key][2])]
LATIN_FAMILY = [native for key in ("en", "es", "de", "fr", "pl", "nordic", "tr", "in")
                for native, _ in _names(CULTURES[key][3])]
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


# ---------------------------------------------------------------------------------------------
# Writing the folder.

def write_fake_site(out, count, seed, image_site, sizes, title, logo):
    rng = random.Random(seed)
    images = ImageSource(image_site, out, sizes)
    people = order_rows(make_people(count, rng, images))
    for person in people:
        images.link(out, person["id"], person["_images"])
    public = [{key: value for key, value in person.items() if not key.startswith("_")} for person in people]
    _write_users_json(out, public, images.sizes)
    write_page(out, len(public), directory_script(public, DEFAULT_FIELDS, images.sizes), title, logo)


def write_page_for_built_site(site, out, title, logo):
    """Copies a site the tool built (hard links where possible) and adds the page to it."""
    index = json.loads((site / "users.json").read_text(encoding="utf-8"))
    shutil.copytree(site / "users", out / "users", copy_function=_link_or_copy)
    shutil.copyfile(site / "users.json", out / "users.json")
    people = order_rows(index["value"])
    known = {"id", "photo", "photos", "placeholder", "manager"}
    fields = list(DEFAULT_FIELDS) + sorted({key for person in people for key in person} - known - set(DEFAULT_FIELDS))
    write_page(out, len(people), directory_script(people, fields, index["sizes"]), title, logo)


def _link_or_copy(source, destination):
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _write_users_json(out, people, sizes):
    value = []
    for person in sorted(people, key=lambda p: p["id"]):
        entry = {key: person[key] for key in DEFAULT_FIELDS if key in person}
        entry.update(id=person["id"], placeholder=person["placeholder"],
                     photo=PHOTO_PATH.replace("{id}", person["id"]),
                     photos=PHOTOS_PATH.replace("{id}", person["id"]))
        value.append(entry)
    text = json.dumps({"sizes": sizes, "value": value}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (out / "users.json").write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="the folder to write (must not exist, or --force)")
    parser.add_argument("--people", type=int, default=2000, help="how many people (default 2000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--images", type=Path, default=REPOSITORY / "output",
                        help="a site avatar-site built, to take JPEGs from (default: output/)")
    parser.add_argument("--sizes", help="comma-separated subset of the image site's sizes, e.g. 64x64,240x240")
    parser.add_argument("--from-site", type=Path, help="copy this built site and add the page, instead of fake people")
    parser.add_argument("--title", default="People")
    parser.add_argument("--logo", help="an image to show beside the title")
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    args = parser.parse_args()

    if args.out.exists():
        if not args.force:
            parser.error(f"{args.out} exists (use --force to replace it)")
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    if args.from_site:
        write_page_for_built_site(args.from_site, args.out, args.title, args.logo)
    else:
        if not (args.images / "users.json").is_file():
            parser.error(f"{args.images} is not a built site: run avatar-site build first, or pass --images")
        sizes = args.sizes.split(",") if args.sizes else None
        write_fake_site(args.out, args.people, args.seed, args.images, sizes, args.title, args.logo)
    print(args.out / "index.html")


if __name__ == "__main__":
    sys.exit(main())
