#!/usr/bin/env python3
"""Builds a complete fake site folder for the directory page, as the Swift build lays it out.

The folder holds what the page needs and nothing from a real tenant:

    index.html                      rendered from templates/page/index.html
    assets/app.<hash>.css|js        templates/page/app.css and app.js under content-hashed names
    directory.<hash>.js             the directory data script (format: docs/directory-data.md)
    users.json                      as the build writes it
    users/{id}/photo.jpg            hard links to a few real JPEGs of a site the tool built
    users/{id}/photos/{W}x{H}.jpg   (copied once into .fixture-images/, so any filesystem works)

It is also the reference implementation of the data script: `directory_script()` (in
directory_data.py) writes the bytes the Swift generator must write, and `fold()` (there too) is
the search fold the page implements.

    scripts/directory_fixture.py --people 50000 --out /tmp/site --images output
    scripts/directory_fixture.py --from-site output --out /tmp/demo-page

`--images` is a site folder built by avatar-site (photos and placeholders are taken from it);
`--from-site` copies a built site as it is and only adds the page and its data script.
Standard library only.
"""

import argparse
import json
import os
import random
import shutil
import sys
from pathlib import Path

from directory_data import PHOTO_PATH, PHOTOS_PATH, directory_script, order_rows
from fixture_page import write_page
from fixture_people import make_people

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_FIELDS = ["displayName", "jobTitle", "department", "officeLocation", "mail"]


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
        users = index["value"]
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
