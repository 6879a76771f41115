"""The site's contract as the Swift build exports it (docs/site-contract.json): the id rule,
Graph's photo URL shapes and the table of cases every host must answer alike. The checks read
these rules here rather than writing them again."""

import json
import pathlib
import re

PATH = pathlib.Path(__file__).resolve().parents[2] / "docs" / "site-contract.json"
CONTRACT = json.loads(PATH.read_text())
ID = re.compile("^" + CONTRACT["id_pattern"] + "$")
SHAPES = CONTRACT["graph_shapes"]
CASES = CONTRACT["cases"]


def graph_shapes(size_names):
    """(URL tail, file in the user's folder, media type) for each of Graph's photo URLs: those
    without a size, then each size's, then the first size's again as Graph's upper-case id (48X48)."""
    plain = [shape for shape in SHAPES if "{size}" not in shape["path"]]
    sized = [shape for shape in SHAPES if "{size}" in shape["path"]]
    shapes = [(shape["path"], shape["file"], shape["type"]) for shape in plain]
    for url_name, file_name in [(name, name) for name in size_names] + [(size_names[0].upper(), size_names[0])]:
        for shape in sized:
            shapes.append((shape["path"].replace("{size}", url_name), shape["file"].replace("{size}", file_name), shape["type"]))
    return shapes


def bindings(site, gravatar_hashes):
    """The values of the cases' variables for a built site (support.Site): its first photo user
    and placeholder user, their aliases and hashes, and its smallest size."""
    user = site.first_user(placeholder=False)
    placeholder = site.first_user(placeholder=True)
    aliases = site.aliases() or {}
    mail = next((alias for alias, user_id in aliases.items() if user_id == user["id"] and alias == (user.get("mail") or "").lower()), None)
    upn = next((alias for alias, user_id in aliases.items() if user_id == user["id"] and alias != mail), mail)
    md5, sha256 = gravatar_hashes(user.get("mail") or "")
    smallest = min(site.size_names, key=lambda name: int(name.split("x")[0]))
    known = {entry["id"] for entry in site.users}
    missing = next(f"missing-{n}" for n in range(len(known) + 1) if f"missing-{n}" not in known)
    return {"id": user["id"], "upn": upn, "mail": mail, "placeholder_id": placeholder["id"], "missing_id": missing,
            "size": smallest, "SIZE": smallest.upper(), "s": smallest.split("x")[0],
            "md5": md5, "sha256": sha256, "unknown_md5": "f" * 32}


def expand(text, values, prefix=""):
    text = text.replace("{prefix}", prefix)
    for name in sorted(values, key=len, reverse=True):
        if values[name] is not None:
            text = text.replace("{" + name + "}", values[name])
    return text


def cases(prefixes, values, aliases=True, gravatar=True, pages_only=False):
    """(target, case) for every case the site can answer, each prefix of a {prefix} case apart."""
    for case in CASES:
        needs = case.get("needs")
        if (needs == "aliases" and not aliases) or (needs == "gravatar" and not gravatar):
            continue
        if pages_only and not case["pages"]:
            continue
        for prefix in (prefixes if "{prefix}" in case["target"] else [""]):
            yield expand(case["target"], values, prefix), case
