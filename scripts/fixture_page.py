"""The page of scripts/directory_fixture.py: index.html rendered from templates/page/index.html,
and the assets under content-hashed names."""

import html
import re
from pathlib import Path

from directory_data import content_hash

REPOSITORY = Path(__file__).resolve().parent.parent
TEMPLATES = REPOSITORY / "templates" / "page"


def write_page(out, count, data_script, title="People", logo=None):
    assets = out / "assets"
    assets.mkdir(exist_ok=True)
    names = {}
    for name in ("app.css", "app.js"):
        # The tool's own app.css and app.js are kept as app-*.css and app-*.js parts, and ship as
        # them joined in name order.
        stem, extension = name.split(".")
        parts = sorted(TEMPLATES.glob(f"{stem}-*.{extension}"), key=lambda p: p.name)
        data = b"".join(part.read_bytes() for part in parts)
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
