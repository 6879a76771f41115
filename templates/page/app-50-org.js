// The directory page, part 5 (see app-10-directory.js): the reporting lines and the org chart.

(function (site) {
  "use strict";

  const { LIST_AVATAR, BATCH, numberFormat, $, cell, avatar, element, personName, isSafe, rowOfId } = site;
  const { showView, closeButton, personLink } = site;

  // ---------------------------------------------------------------------------------------------
  // The reporting lines: managers as a forest, cycles broken, children listed once.

  let org = null;
  site.hasReportingLines = false; // a directory without managers gets no org chart

  function anyManager() {
    for (let row = 0; row < site.directory.count; row++) if (site.directory.manager[row] >= 0) return true;
    return false;
  }

  function orgStructure() {
    if (org) return org;
    const count = site.directory.count;
    const parent = new Int32Array(count);
    const loops = new Uint8Array(count);
    for (let row = 0; row < count; row++) {
      const manager = site.directory.manager[row];
      const valid = Number.isInteger(manager) && manager >= 0 && manager < count && isSafe(manager) && isSafe(row);
      parent[row] = valid && manager !== row ? manager : -1;
      if (manager === row) loops[row] = 1;
    }
    breakCycles(parent, loops);
    const childCount = new Int32Array(count + 1);
    for (let row = 0; row < count; row++) if (parent[row] >= 0) childCount[parent[row] + 1]++;
    for (let row = 0; row < count; row++) childCount[row + 1] += childCount[row];
    const offsets = childCount.slice();
    const children = new Int32Array(offsets[count]);
    const next = offsets.slice(0, count);
    for (let row = 0; row < count; row++) if (parent[row] >= 0) children[next[parent[row]]++] = row;
    org = { parent, loops, offsets, children };
    return org;
  }

  // A reporting line that comes back to itself is cut at the member first in the list, who then
  // shows as a top.
  function breakCycles(parent, loops) {
    const state = new Uint8Array(parent.length); // 0 unseen, 1 on the current walk, 2 done
    const walk = [];
    for (let start = 0; start < parent.length; start++) {
      if (state[start]) continue;
      walk.length = 0;
      let row = start;
      while (row >= 0 && state[row] === 0) {
        state[row] = 1;
        walk.push(row);
        row = parent[row];
      }
      if (row >= 0 && state[row] === 1) {
        let cut = row;
        for (let at = walk.indexOf(row); at < walk.length; at++) cut = Math.min(cut, walk[at]);
        parent[cut] = -1;
        loops[cut] = 1;
      }
      for (const seen of walk) state[seen] = 2;
    }
  }

  function reportsOf(row) {
    const { offsets, children } = orgStructure();
    return children.subarray(offsets[row], offsets[row + 1]);
  }

  // From the top of the organisation down to row.
  function chainTo(row) {
    const { parent } = orgStructure();
    const chain = [];
    for (let at = row; at >= 0 && chain.length <= site.directory.count; at = parent[at]) chain.push(at);
    return chain.reverse();
  }

  function tops() {
    const { parent } = orgStructure();
    const rows = [];
    for (let row = 0; row < site.directory.count; row++) if (parent[row] < 0 && isSafe(row)) rows.push(row);
    return rows.sort((a, b) => reportsOf(b).length - reportsOf(a).length || a - b);
  }

  // ---------------------------------------------------------------------------------------------
  // The org chart: one level at a time, so a chart of any size stays small in the DOM.

  function showOrgView(id) {
    const view = $("org-view");
    const row = id ? rowOfId(id) : -1;
    view.replaceChildren();
    showView("org");
    document.title = `Org chart – ${site.siteTitle}`;
    const intro = row >= 0
      ? `Reporting line of ${personName(row)}. Expand a person to show their direct reports.`
      : id ? "No one in this directory has that link. Showing the top of the organisation."
        : "The top of the organisation. Expand a person to show their direct reports.";
    const tree = element("ul", { class: "org-tree" });
    view.append(element("div", { class: "detail-bar" }, element("h2", { id: "org-heading", tabindex: "-1" }, "Org chart"), closeButton()),
      element("p", { class: "muted org-intro" }, site.hasReportingLines ? intro : "This directory lists no managers, so it has no org chart."), tree);
    if (!site.hasReportingLines) {
      $("org-heading").focus();
      return;
    }
    let target = null;
    if (row >= 0) {
      const path = chainTo(row);
      target = appendOrgNodes(tree, [path[0]], path, row);
    } else {
      appendInBatches(tree, tops(), [], -1);
    }
    if (target) {
      centreWithin(view, target);
      target.querySelector("a").focus({ preventScroll: true });
    } else {
      $("org-heading").focus();
    }
  }

  // scrollIntoView would also scroll the page's body; only the view itself should move.
  function centreWithin(container, target) {
    const offset = target.getBoundingClientRect().top - container.getBoundingClientRect().top;
    container.scrollTop += offset - (container.clientHeight - target.offsetHeight) / 2;
  }

  // Appends a node per row. path runs from a row of this level down to the target person: its
  // first row is expanded to show the next level, and so on. Returns the target's card if drawn.
  function appendOrgNodes(parentList, rows, path, targetRow) {
    let target = null;
    for (const row of rows) {
      const node = orgNode(row, targetRow);
      parentList.append(node);
      if (row === targetRow) target = node.querySelector(".org-card");
      if (path.length > 1 && row === path[0]) {
        const found = expandOrgNode(node, row, path.slice(1), targetRow);
        if (found) target = found;
      }
    }
    return target;
  }

  function orgNode(row, targetRow) {
    const reports = reportsOf(row).length;
    const childrenId = `org-children-${row}`;
    const card = element("div", { class: row === targetRow ? "org-card current" : "org-card", "aria-current": row === targetRow ? "true" : null },
      avatar(row, LIST_AVATAR, ""),
      element("span", { class: "org-text" },
        personLink(row),
        element("span", { class: "muted" }, [cell(site.roles.title, row), cell(site.roles.department, row)].filter(Boolean).join(" · "))));
    const node = element("li", { class: "org-node", "data-id": site.directory.id(row) }, card);
    if (reports > 0) {
      const toggle = element("button", { type: "button", class: "toggle", "aria-expanded": "false", "aria-controls": childrenId },
        `${numberFormat.format(reports)} ${reports === 1 ? "report" : "reports"}`);
      toggle.setAttribute("aria-label", `${numberFormat.format(reports)} direct ${reports === 1 ? "report" : "reports"} of ${personName(row)}`);
      toggle.addEventListener("click", () => toggleOrgNode(node, row));
      card.append(toggle);
    }
    return node;
  }

  function toggleOrgNode(node, row) {
    const toggle = node.querySelector(":scope > .org-card .toggle");
    const children = node.querySelector(":scope > .org-children");
    if (toggle.getAttribute("aria-expanded") === "true") {
      toggle.setAttribute("aria-expanded", "false");
      children.hidden = true;
    } else if (children) {
      toggle.setAttribute("aria-expanded", "true");
      children.hidden = false;
    } else {
      expandOrgNode(node, row, [], -1);
    }
  }

  function expandOrgNode(node, row, path, targetRow) {
    const children = element("ul", { class: "org-children", id: `org-children-${row}` });
    node.append(children);
    node.querySelector(":scope > .org-card .toggle").setAttribute("aria-expanded", "true");
    return appendInBatches(children, Array.from(reportsOf(row)), path, targetRow);
  }

  // Shows BATCH rows and a button for the next batch; the row on the path is always shown.
  function appendInBatches(parentList, rows, path, targetRow) {
    const onPath = path.length ? path[0] : -1;
    const first = rows.slice(0, BATCH);
    if (onPath >= 0 && !first.includes(onPath)) first.push(onPath);
    const target = appendOrgNodes(parentList, first, path, targetRow);
    const rest = rows.slice(BATCH).filter((row) => row !== onPath);
    if (rest.length) appendMoreButton(parentList, rest);
    return target;
  }

  function appendMoreButton(parentList, rest) {
    const button = element("button", { type: "button", class: "more" }, `Show ${numberFormat.format(Math.min(BATCH, rest.length))} more of ${numberFormat.format(rest.length)}`);
    const item = element("li", { class: "org-more" }, button);
    button.addEventListener("click", () => {
      item.remove();
      const next = rest.slice(0, BATCH);
      appendOrgNodes(parentList, next, [], -1);
      if (rest.length > BATCH) appendMoreButton(parentList, rest.slice(BATCH));
      const firstNew = parentList.querySelector(`:scope > li[data-id="${site.directory.id(next[0])}"] a`);
      if (firstNew) firstNew.focus();
    });
    parentList.append(item);
  }

  Object.assign(site, { anyManager, orgStructure, reportsOf, chainTo, showOrgView });
})(window.avatarSitePage = window.avatarSitePage || {});
