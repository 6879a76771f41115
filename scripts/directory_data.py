"""The reference implementation of the directory data script (docs/directory-data.md) and of the
search fold the page implements: `directory_script()` writes the bytes the Swift generator must
write, `read_directory_script()` and `decode_directory()` read them back, and `fold()` is the
search fold. Used by scripts/directory_fixture.py and Tests/Browser/test_directory_page.py.
Standard library only.
"""

import hashlib
import json
import pathlib
import re
import unicodedata

DATA_GLOBAL = "avatarSiteDirectory"
PHOTO_PATH = "users/{id}/photo.jpg"
PHOTOS_PATH = "users/{id}/photos/{size}.jpg"
# The site's rules as the Swift contract exports them (docs/site-contract.json): the user-id rule
# is read from there, never written here again.
CONTRACT = json.loads((pathlib.Path(__file__).resolve().parent.parent / "docs" / "site-contract.json").read_text())
ID_PATTERN = "^" + CONTRACT["id_pattern"] + "$"

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
    data = {"format": 1, "sizes": list(sizes), "photo": PHOTO_PATH, "photos": PHOTOS_PATH, "id_pattern": ID_PATTERN,
            "fields": list(fields)}
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
