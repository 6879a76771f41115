// The directory page, part 6 (see app-10-directory.js): a person's view and their vCard.

(function (site) {
  "use strict";

  const { PORTRAIT, SMALL_AVATAR, BATCH, numberFormat, $, cell, avatar, avatarAlt, element, labelOf } = site;
  const { personName, mailAddress, mailtoHref, rowOfId, showView, closeButton, personLink, orgLink } = site;
  const { orgStructure, reportsOf, chainTo } = site;

  // ---------------------------------------------------------------------------------------------
  // A person's view.

  function showPersonView(id) {
    const view = $("person-view");
    const row = rowOfId(id);
    view.replaceChildren();
    showView("person");
    if (row < 0) {
      view.append(element("div", { class: "detail-bar" }, closeButton()),
        element("h2", { id: "person-name", tabindex: "-1" }, "Not in the directory"),
        element("p", { class: "notice" }, "No one in this directory has that link. They may have left, or the link is incomplete."));
      $("person-name").focus();
      return;
    }
    const name = personName(row);
    document.title = `${name} – ${site.siteTitle}`;
    view.append(element("div", { class: "detail-bar" }, closeButton()), personCard(row));
    if (site.hasReportingLines) view.append(reportingLine(row), directReports(row));
    view.scrollTop = 0;
    $("person-name").focus({ preventScroll: true });
  }

  function personCard(row) {
    const mail = mailAddress(row);
    const title = cell(site.roles.title, row);
    const portrait = avatar(row, PORTRAIT, avatarAlt(row));
    portrait.classList.add("portrait");
    portrait.loading = "eager";
    portrait.sizes = `(max-width: 40rem) 160px, ${PORTRAIT}px`;
    const details = element("dl", { class: "fields" });
    site.directory.fields.forEach((field, index) => {
      if (index === site.roles.name || index === site.roles.title) return;
      const value = cell(index, row);
      if (!value) return;
      const shown = index === site.roles.mail && mail ? element("a", { href: mailtoHref(mail) }, value) : value;
      details.append(element("dt", null, labelOf(field)), element("dd", null, shown));
    });
    const actions = element("div", { class: "actions" });
    if (mail) actions.append(element("a", { class: "button primary", href: mailtoHref(mail) }, "Send email"));
    const download = element("button", { type: "button", class: "button" }, "Download contact card");
    download.addEventListener("click", () => downloadVCard(row));
    actions.append(download);
    if (site.hasReportingLines) actions.append(orgLink(row, "Show in org chart"));
    return element("div", { class: "person-card" },
      portrait,
      element("div", { class: "person-heading" },
        element("h2", { id: "person-name", tabindex: "-1" }, personName(row)),
        title ? element("p", { class: "person-title" }, title) : null),
      details,
      actions);
  }

  function reportingLine(row) {
    const chain = chainTo(row);
    const section = element("section", { class: "chain-section", "aria-labelledby": "chain-heading" },
      element("h3", { id: "chain-heading" }, "Reporting line"));
    const { loops } = orgStructure();
    if (chain.length === 1) {
      section.append(element("p", { class: "muted" }, loops[row]
        ? "Shown at the top: the managers listed for them lead back to them."
        : "Top of the organisation: no manager in the site.directory."));
      return section;
    }
    const ordered = element("ol", { class: "chain" });
    for (const at of chain) {
      const current = at === row;
      ordered.append(element("li", { "aria-current": current ? "true" : null, class: current ? "current" : null },
        avatar(at, SMALL_AVATAR, ""),
        element("span", { class: "chain-text" },
          current ? element("strong", null, personName(at)) : personLink(at),
          element("span", { class: "muted" }, cell(site.roles.title, at)))));
    }
    section.append(ordered);
    return section;
  }

  function directReports(row) {
    const reports = reportsOf(row);
    const section = element("section", { class: "reports-section", "aria-labelledby": "reports-heading" },
      element("h3", { id: "reports-heading" }, `Direct reports (${numberFormat.format(reports.length)})`));
    if (reports.length === 0) {
      section.append(element("p", { class: "muted" }, "None."));
      return section;
    }
    const items = element("ul", { class: "people-list" });
    for (const report of reports.subarray(0, BATCH)) {
      items.append(element("li", null, avatar(report, SMALL_AVATAR, ""),
        element("span", { class: "chain-text" }, personLink(report), element("span", { class: "muted" }, cell(site.roles.title, report)))));
    }
    section.append(items);
    if (reports.length > BATCH) section.append(element("p", null, orgLink(row, `Show all ${numberFormat.format(reports.length)} in the org chart`)));
    return section;
  }

  // ---------------------------------------------------------------------------------------------
  // vCard 3.0, made in the page and saved through a Blob URL.

  function vCardText(text) {
    return text.replace(/\\/g, "\\\\").replace(/\r\n|\r|\n/g, "\\n").replace(/,/g, "\\,").replace(/;/g, "\\;");
  }

  // Lines longer than 75 octets continue on the next line after a space (RFC 2426).
  function foldVCardLine(line) {
    const encoder = new TextEncoder();
    const parts = [];
    let current = "";
    let octets = 0;
    for (const character of line) {
      const size = encoder.encode(character).length;
      if (octets + size > (parts.length ? 74 : 75)) {
        parts.push(current);
        current = "";
        octets = 0;
      }
      current += character;
      octets += size;
    }
    parts.push(current);
    return parts.join("\r\n ");
  }

  function vCard(row) {
    const name = personName(row);
    const given = cell(site.directory.field("givenName"), row);
    const surname = cell(site.directory.field("surname"), row);
    const lines = ["BEGIN:VCARD", "VERSION:3.0", `FN:${vCardText(name)}`,
      given || surname ? `N:${vCardText(surname)};${vCardText(given)};;;` : `N:${vCardText(name)};;;;`];
    const title = cell(site.roles.title, row);
    const department = cell(site.roles.department, row);
    const mail = mailAddress(row);
    if (title) lines.push(`TITLE:${vCardText(title)}`);
    if (department) lines.push(`ORG:;${vCardText(department)}`);
    if (mail) lines.push(`EMAIL;TYPE=INTERNET:${vCardText(mail)}`);
    const notes = site.directory.fields
      .map((field, index) => [field, index])
      .filter(([, index]) => ![site.roles.name, site.roles.title, site.roles.department, site.roles.mail].includes(index) && cell(index, row))
      .map(([field, index]) => `${labelOf(field)}: ${cell(index, row)}`);
    if (notes.length) lines.push(`NOTE:${vCardText(notes.join("\n"))}`);
    lines.push(`UID:${vCardText(site.directory.id(row))}`, "END:VCARD");
    return lines.map(foldVCardLine).join("\r\n") + "\r\n";
  }

  function downloadVCard(row) {
    const blob = new Blob([vCard(row)], { type: "text/vcard;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = element("a", { href: url, download: vCardFileName(row) });
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function vCardFileName(row) {
    const base = personName(row).replace(/[^\p{L}\p{M}\p{N} ._-]+/gu, "").replace(/\s+/g, " ").trim().slice(0, 60);
    return `${base.replace(/^\.+/, "") || "contact"}.vcf`;
  }

  Object.assign(site, { showPersonView });
})(window.avatarSitePage = window.avatarSitePage || {});
