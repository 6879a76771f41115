// The directory page, part 3 (see app-10-directory.js): the result list, the search box and the
// result count.

(function (site) {
  "use strict";

  const { LIST_AVATAR, OVERSCAN_ROWS, numberFormat, $, cell, avatar, element, personName } = site;
  const { search, runQuery, applyFilters, showFilterCounts } = site;

  // ---------------------------------------------------------------------------------------------
  // The result list: only the rows in view (and the focused one) are in the DOM.

  const list = {
    container: null,
    spacer: null,
    rowHeight: 60,
    rendered: new Map(), // person row -> element
    active: 0, // position of the row that takes the keyboard focus
    scheduled: false,
  };

  function setUpList() {
    list.container = $("results");
    list.spacer = $("results-spacer");
    readRowHeight();
    list.container.addEventListener("scroll", scheduleListRender, { passive: true });
    list.container.addEventListener("click", onListClick);
    list.container.addEventListener("keydown", onListKey);
    // A phone held sideways can cross the breakpoint where rows change height.
    window.addEventListener("resize", () => {
      readRowHeight();
      list.spacer.style.height = `${search.results.length * list.rowHeight}px`;
      renderList();
    });
  }

  function readRowHeight() {
    const value = parseFloat(getComputedStyle(list.container).getPropertyValue("--row-height"));
    list.rowHeight = value > 0 ? value : 60;
  }

  function scheduleListRender() {
    if (list.scheduled) return;
    list.scheduled = true;
    requestAnimationFrame(() => { list.scheduled = false; renderList(); });
  }

  function showResults() {
    list.active = 0;
    list.spacer.style.height = `${search.results.length * list.rowHeight}px`;
    if (list.container.scrollTop !== 0) list.container.scrollTop = 0;
    renderList();
  }

  function renderList() {
    const results = search.results;
    const { container, rowHeight } = list;
    const first = Math.max(0, Math.floor(container.scrollTop / rowHeight) - OVERSCAN_ROWS);
    const last = Math.min(results.length, Math.ceil((container.scrollTop + container.clientHeight) / rowHeight) + OVERSCAN_ROWS);
    const wanted = new Map();
    for (let position = first; position < last; position++) wanted.set(results[position], position);
    if (list.active < results.length) wanted.set(results[list.active], list.active);
    for (const [row, node] of list.rendered) {
      if (!wanted.has(row)) { node.remove(); list.rendered.delete(row); }
    }
    for (const [row, position] of wanted) {
      let node = list.rendered.get(row);
      if (!node) {
        node = resultRow(row);
        list.rendered.set(row, node);
        container.append(node);
      }
      placeRow(node, position, results.length);
    }
  }

  function placeRow(node, position, total) {
    const active = position === list.active;
    node.style.transform = `translateY(${position * list.rowHeight}px)`;
    node.style.order = String(position); // printed in list order
    node.setAttribute("aria-posinset", String(position + 1));
    node.setAttribute("aria-setsize", String(total));
    node.setAttribute("aria-selected", active ? "true" : "false");
    node.tabIndex = active ? 0 : -1;
    node.dataset.position = String(position);
  }

  function resultRow(row) {
    const title = cell(site.roles.title, row);
    const department = cell(site.roles.department, row);
    const office = cell(site.roles.office, row);
    // On a narrow list the department follows the title; wide, it has its own column.
    const subtitle = element("span", { class: "row-title" }, title || (department ? "" : office));
    if (department) subtitle.append(element("span", { class: title ? "inline-department" : "inline-department first" }, department));
    return element("div", { class: "row", role: "option", "data-id": site.directory.id(row) },
      avatar(row, LIST_AVATAR, ""),
      element("span", { class: "row-main" },
        element("span", { class: "row-name" }, personName(row)),
        subtitle),
      element("span", { class: "row-department" }, department),
      element("span", { class: "row-office" }, office),
      element("span", { class: "row-mail" }, cell(site.roles.mail, row)));
  }

  function focusPosition(position) {
    const total = search.results.length;
    if (total === 0) return;
    list.active = Math.max(0, Math.min(total - 1, position));
    const { container, rowHeight } = list;
    const top = list.active * rowHeight;
    if (top < container.scrollTop) container.scrollTop = top;
    else if (top + rowHeight > container.scrollTop + container.clientHeight) container.scrollTop = top + rowHeight - container.clientHeight;
    renderList();
    const node = list.rendered.get(search.results[list.active]);
    if (node) node.focus({ preventScroll: true });
  }

  function onListClick(event) {
    const node = event.target.closest(".row");
    if (!node) return;
    list.active = Number(node.dataset.position);
    renderList();
    site.openPerson(site.directory.id(search.results[list.active]));
  }

  function onListKey(event) {
    const node = event.target.closest(".row");
    if (!node || event.altKey || event.ctrlKey || event.metaKey) return;
    const page = Math.max(1, Math.floor(list.container.clientHeight / list.rowHeight) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) {
      if (event.key === "ArrowUp" && list.active === 0) $("search").focus();
      else focusPosition(list.active + moves[event.key]);
    } else if (event.key === "Home") {
      focusPosition(0);
    } else if (event.key === "End") {
      focusPosition(search.results.length - 1);
    } else if (event.key === "Enter" || event.key === " ") {
      site.openPerson(site.directory.id(search.results[list.active]));
    } else if (event.key.length === 1) {
      // Typing on the list goes on in the search box.
      $("search").focus();
      return;
    } else {
      return;
    }
    event.preventDefault();
  }

  // ---------------------------------------------------------------------------------------------
  // Search box, filters and the result count.

  let announceTimer = 0;

  function refresh(cause) {
    const started = performance.now();
    if (cause === "query") runQuery($("search").value);
    applyFilters();
    showResults();
    showFilterCounts();
    showResultCount();
    performance.clearMeasures("avatar-site:search");
    performance.measure("avatar-site:search", { start: started });
  }

  function showResultCount() {
    const shown = search.results.length;
    const total = site.directory.count;
    const text = shown === total && !search.query.tokens.length
      ? `${numberFormat.format(total)} people`
      : `${numberFormat.format(shown)} of ${numberFormat.format(total)} people`;
    $("result-count").textContent = text;
    const empty = $("no-results");
    empty.hidden = shown > 0;
    if (shown === 0) empty.textContent = "No one matches. Check the spelling, or clear the department and office filters.";
    clearTimeout(announceTimer);
    // Announced once typing pauses, not on every keystroke.
    announceTimer = setTimeout(() => { $("result-announcement").textContent = text; }, 700);
  }

  function setUpSearch() {
    const input = $("search");
    input.addEventListener("input", () => refresh("query"));
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && search.results.length) {
        event.preventDefault();
        focusPosition(0);
      } else if (event.key === "Enter" && search.results.length) {
        event.preventDefault();
        list.active = 0;
        site.openPerson(site.directory.id(search.results[0]));
      }
    });
    input.disabled = false;
  }

  Object.assign(site, { list, setUpList, showResults, showResultCount, refresh, setUpSearch });
})(window.avatarSitePage = window.avatarSitePage || {});
