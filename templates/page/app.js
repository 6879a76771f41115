// The company directory page. It reads the directory from the classic script loaded before it
// (window.avatarSiteDirectory, see docs/directory-data.md), so it works from file:// with no
// network. Every value from the directory reaches the page as text (textContent) or as an
// attribute of a validated id; nothing is ever parsed as markup.
"use strict";

(() => {
  const LIST_AVATAR = 40;
  const PORTRAIT = 200;
  const SMALL_AVATAR = 32;
  const OVERSCAN_ROWS = 8;
  const BATCH = 50;
  const INDEX_SLICE_MS = 8;
  const SAFE_ID = /^(?!\.)(?!.*\.\.)[A-Za-z0-9._-]{1,128}$/;
  const SAFE_PATH_TEMPLATE = /^(?!.*\.\.)[A-Za-z0-9._{}/-]+$/;
  const SIZE = /^(\d{1,4})x(\d{1,4})$/;
  const LABELS = {
    displayName: "Name", jobTitle: "Job title", department: "Department", officeLocation: "Office",
    mail: "Email", mobilePhone: "Mobile", businessPhones: "Phone", companyName: "Company",
    employeeId: "Employee ID", userPrincipalName: "Sign-in name", givenName: "Given name", surname: "Surname",
    city: "City", country: "Country", state: "State", streetAddress: "Address", postalCode: "Postal code",
    preferredLanguage: "Language", employeeType: "Employee type", usageLocation: "Usage location",
  };
  const numberFormat = new Intl.NumberFormat("en");
  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------------------------------------
  // The directory: validated once, read through small accessors.

  // Reads only what the first rows need; ids, search keys and the org chart come when used.
  function readDirectory(raw) {
    if (!raw || raw.format !== 1 || !Array.isArray(raw.fields) || !Array.isArray(raw.columns)) {
      throw new Error("The directory data is missing or not in a format this page reads.");
    }
    const ids = readIds(raw);
    const count = ids.count;
    const columns = raw.columns.map((column) => readColumn(column, count));
    if (columns.length !== raw.fields.length || !lengthIs(raw.placeholder, count) || !lengthIs(raw.manager, count)) {
      throw new Error("The directory data is inconsistent.");
    }
    const fields = raw.fields.map(String);
    return {
      count, fields, columns,
      id: ids.id,
      safe: ids.safe, // null when every id is safe
      placeholder: raw.placeholder,
      manager: raw.manager,
      sizes: readSizes(raw.sizes),
      photo: pathTemplate(raw.photo, "users/{id}/photo.jpg"),
      photos: pathTemplate(raw.photos, "users/{id}/photos/{size}.jpg"),
      field: (name) => fields.indexOf(name),
    };
  }

  // Ids come as a list, or as GUIDs without their dashes in one string of hex digits.
  function readIds(raw) {
    if (Array.isArray(raw.ids)) {
      const safe = Uint8Array.from(raw.ids, (id) => (typeof id === "string" && SAFE_ID.test(id) ? 1 : 0));
      return { count: raw.ids.length, id: (row) => raw.ids[row], safe: safe.every(Boolean) ? null : safe };
    }
    const hex = raw.guids;
    if (typeof hex !== "string" || hex.length % 32 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
      throw new Error("The directory's ids are damaged.");
    }
    const made = new Array(hex.length / 32);
    const id = (row) => {
      if (made[row] === undefined) {
        const h = hex.substr(row * 32, 32);
        made[row] = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      }
      return made[row];
    };
    return { count: made.length, id, safe: null };
  }

  // A column is either one string per row, or distinct values and each row's index into them.
  function readColumn(column, count) {
    if (Array.isArray(column) && column.length === count) {
      return { cell: (row) => (typeof column[row] === "string" ? column[row] : ""), table: null };
    }
    if (column && Array.isArray(column.values) && lengthIs(column.rows, count)) {
      const values = column.values.map((value) => (typeof value === "string" ? value : ""));
      const rows = column.rows;
      for (let row = 0; row < count; row++) {
        const index = rows[row];
        if (!Number.isInteger(index) || index < 0 || index >= values.length) throw new Error("A column of the directory data is damaged.");
      }
      return { cell: (row) => values[rows[row]], table: { values, rows } };
    }
    throw new Error("A column of the directory data is damaged.");
  }

  function lengthIs(array, count) {
    return Array.isArray(array) && array.length === count;
  }

  function readSizes(sizes) {
    const parsed = [];
    for (const size of Array.isArray(sizes) ? sizes : []) {
      const match = SIZE.exec(size);
      if (match) parsed.push({ name: size, width: Number(match[1]), height: Number(match[2]) });
    }
    return parsed.sort((a, b) => a.width - b.width);
  }

  // A path template from the data must stay a relative path inside the folder.
  function pathTemplate(template, fallback) {
    return typeof template === "string" && SAFE_PATH_TEMPLATE.test(template) && !template.startsWith("/")
      ? template : fallback;
  }

  // ---------------------------------------------------------------------------------------------
  // The search fold: the same steps as fold() in scripts/directory_fixture.py.

  const STRIPPED_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]/g;
  const SPECIAL_LETTERS = { "ł": "l", "đ": "d", "ð": "d", "ø": "o", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l",
    "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ς": "σ" };
  const SPECIAL = /[łđðøħıŧŀßæœþς]/g;
  const APOSTROPHES = /['\u2019\u02bc]/g;
  const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;
  const NOT_ASCII_WORD = /[^a-z0-9]+/g;
  const NON_ASCII = /[^\x00-\x7f]/;
  // Scripts written without spaces between words: a token in them matches anywhere, not per word.
  const SUBSTRING_SCRIPTS = /[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|[\u{20000}-\u{3134f}]/u;

  function fold(text) {
    let folded = text.toLowerCase();
    if (NON_ASCII.test(folded)) {
      folded = folded.normalize("NFKD").replace(STRIPPED_MARKS, "")
        .replace(SPECIAL, (letter) => SPECIAL_LETTERS[letter]).normalize("NFC")
        .replace(APOSTROPHES, "").replace(NOT_WORD, " ");
    } else {
      folded = folded.replace(APOSTROPHES, "").replace(NOT_ASCII_WORD, " ");
    }
    return folded.trim();
  }

  // ---------------------------------------------------------------------------------------------
  // The page's model of the directory.

  let directory;
  let roles;

  function personName(row) {
    return cell(roles.name, row) || cell(roles.mail, row) || "(no name)";
  }

  function cell(fieldIndex, row) {
    return fieldIndex >= 0 ? directory.columns[fieldIndex].cell(row) : "";
  }

  // A mail address becomes a mailto: link only if it looks like one.
  function mailAddress(row) {
    const mail = cell(roles.mail, row).trim();
    return /^[^\s@<>()[\]\\,;:"']+@[^\s@<>()[\]\\,;:"']+\.[^\s@<>()[\]\\,;:"'.]+$/u.test(mail) ? mail : null;
  }

  function mailtoHref(mail) {
    return "mailto:" + encodeURIComponent(mail).replace(/%40/g, "@");
  }

  function imageUrl(row, size) {
    const id = directory.id(row);
    return size ? directory.photos.replace("{id}", id).replace("{size}", size.name) : directory.photo.replace("{id}", id);
  }

  // An avatar at cssSize pixels: the browser picks from the generated sizes by pixel density.
  function avatar(row, cssSize, alt) {
    const image = document.createElement("img");
    image.className = "avatar";
    image.alt = alt;
    image.width = cssSize;
    image.height = cssSize;
    image.loading = "lazy";
    image.decoding = "async";
    setAvatarSource(image, row, cssSize);
    return image;
  }

  function setAvatarSource(image, row, cssSize) {
    const sizes = directory.sizes;
    if (sizes.length === 0) {
      image.src = imageUrl(row, null);
      return;
    }
    const limit = sizes.findIndex((size) => size.width >= cssSize * 3);
    const candidates = limit < 0 ? sizes : sizes.slice(0, limit + 1);
    image.sizes = `${cssSize}px`;
    image.srcset = candidates.map((size) => `${imageUrl(row, size)} ${size.width}w`).join(", ");
    image.src = imageUrl(row, sizes.find((size) => size.width >= cssSize) || sizes[sizes.length - 1]);
  }

  function avatarAlt(row) {
    return directory.placeholder[row] ? `Initials of ${personName(row)}` : `Photo of ${personName(row)}`;
  }

  function labelOf(field) {
    return LABELS[field] || field.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
  }

  // Builds an element with text content only; attributes are set one by one, never as markup.
  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  let idToRow = null;

  function isSafe(row) {
    return directory.safe === null || directory.safe[row] === 1;
  }

  function rowOfId(id) {
    if (typeof id !== "string" || !SAFE_ID.test(id)) return -1;
    if (!idToRow) {
      idToRow = new Map();
      for (let row = 0; row < directory.count; row++) if (isSafe(row)) idToRow.set(directory.id(row), row);
    }
    return idToRow.has(id) ? idToRow.get(id) : -1;
  }

  // ---------------------------------------------------------------------------------------------
  // The search index: folded keys per row, built in slices after the first rows are shown.

  // Each row's key is " name words\u0001 other words": one scan per query word finds it in the
  // name (before nameEnds[row]) or in another field. The separator never occurs in folded text.
  const searchIndex = { keys: [], nameEnds: null, built: 0, foldedTables: null };

  function buildIndexUpTo(limit) {
    if (!searchIndex.foldedTables) {
      searchIndex.foldedTables = directory.columns.map((column) => column.table && column.table.values.map(fold));
      searchIndex.nameEnds = new Int32Array(directory.count);
    }
    const others = directory.fields.map((_, index) => index).filter((index) => index !== roles.name);
    const parts = [];
    for (let row = searchIndex.built; row < limit; row++) {
      const name = fold(cell(roles.name, row));
      parts.length = 0;
      parts.push("", name + "\u0001");
      for (const index of others) {
        const column = directory.columns[index];
        const folded = column.table ? searchIndex.foldedTables[index][column.table.rows[row]] : fold(column.cell(row));
        if (folded) parts.push(folded);
      }
      // join() makes a flat string, which indexOf() scans faster than a concatenation.
      searchIndex.keys[row] = parts.join(" ");
      searchIndex.nameEnds[row] = name.length + 1;
    }
    searchIndex.built = Math.max(searchIndex.built, limit);
  }

  function buildIndexInBackground() {
    const deadline = performance.now() + INDEX_SLICE_MS;
    while (searchIndex.built < directory.count && performance.now() < deadline) {
      buildIndexUpTo(Math.min(directory.count, searchIndex.built + 256));
    }
    if (searchIndex.built < directory.count) {
      setTimeout(buildIndexInBackground, 0);
    } else {
      // One search nobody sees, so the first keystroke does not pay for compiling the search loop.
      matchRows(parseQuery("e"), null);
      performance.mark("avatar-site:index-ready");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Searching and filtering.

  const search = {
    query: { text: "", tokens: [] },
    matched: null, // rows matching the query, in list order; null while the query is empty
    tiers: null, // each matched row's rank: 0 best
    filters: [], // {fieldIndex, select, codes, values, selected}
    results: new Int32Array(0),
    counts: [],
  };

  function parseQuery(text) {
    const folded = fold(text);
    const tokens = folded ? [...new Set(folded.split(" "))] : [];
    return { text: folded, tokens, needles: tokens.map((token) => (SUBSTRING_SCRIPTS.test(token) ? token : " " + token)) };
  }

  // Rows matching a longer query are a subset of the rows matching a query it extends.
  function refines(next, previous) {
    if (previous.tokens.length === 0 || next.tokens.length < previous.tokens.length) return false;
    return previous.tokens.every((token, index) => next.tokens[index].startsWith(token))
      && previous.needles.every((needle, index) => needle.startsWith(" ") === next.needles[index].startsWith(" "));
  }

  // Name matches first: the whole query starting the name, every word in the name, some, none.
  function matchRows(query, base) {
    const { keys, nameEnds } = searchIndex;
    const safe = directory.safe;
    const needles = query.needles;
    const start = " " + query.text;
    const length = base ? base.length : directory.count;
    const rows = new Int32Array(length);
    const tiers = new Uint8Array(length);
    let found = 0;
    for (let i = 0; i < length; i++) {
      const row = base ? base[i] : i;
      if (safe !== null && safe[row] !== 1) continue;
      const key = keys[row];
      const nameEnd = nameEnds[row];
      let inName = 0;
      let matches = true;
      for (let n = 0; n < needles.length; n++) {
        const at = key.indexOf(needles[n]);
        if (at < 0) { matches = false; break; }
        if (at < nameEnd) inName++;
      }
      if (!matches) continue;
      rows[found] = row;
      tiers[found] = key.startsWith(start) ? 0 : inName === needles.length ? 1 : inName > 0 ? 2 : 3;
      found++;
    }
    return { rows: rows.subarray(0, found), tiers: tiers.subarray(0, found) };
  }

  function runQuery(text) {
    const query = parseQuery(text);
    if (query.text === search.query.text) return;
    if (query.tokens.length === 0) {
      search.matched = null;
      search.tiers = null;
    } else {
      if (searchIndex.built < directory.count) buildIndexUpTo(directory.count);
      const base = refines(query, search.query) ? search.matched : null;
      const result = matchRows(query, base);
      search.matched = result.rows;
      search.tiers = result.tiers;
    }
    search.query = query;
  }

  // Applies the filters to the matched rows, ranks them, and counts each filter's values among
  // the rows the other filters let through.
  function applyFilters() {
    const { filters, matched, tiers } = search;
    const safe = directory.safe;
    const counts = filters.map((filter) => new Int32Array(filter.values.length));
    const length = matched ? matched.length : directory.count;
    const kept = new Int32Array(length);
    const keptTiers = new Uint8Array(length);
    const tierSizes = new Int32Array(4);
    let found = 0;
    for (let i = 0; i < length; i++) {
      const row = matched ? matched[i] : i;
      if (safe !== null && safe[row] !== 1) continue;
      let failed = -1;
      let failures = 0;
      for (let f = 0; f < filters.length; f++) {
        const filter = filters[f];
        if (filter.selected >= 0 && filter.codes[row] !== filter.selected) { failed = f; failures++; }
      }
      if (failures === 0) {
        for (let f = 0; f < filters.length; f++) if (filters[f].codes[row] >= 0) counts[f][filters[f].codes[row]]++;
        const tier = tiers ? tiers[i] : 0;
        kept[found] = row;
        keptTiers[found] = tier;
        tierSizes[tier]++;
        found++;
      } else if (failures === 1 && filters[failed].codes[row] >= 0) {
        counts[failed][filters[failed].codes[row]]++;
      }
    }
    search.results = rankByTier(kept, keptTiers, found, tierSizes);
    search.counts = counts;
  }

  // A stable counting sort: within a tier, rows keep the list order.
  function rankByTier(rows, tiers, length, tierSizes) {
    if (tierSizes[0] === length) return rows.subarray(0, length);
    const offsets = new Int32Array(4);
    for (let tier = 1; tier < 4; tier++) offsets[tier] = offsets[tier - 1] + tierSizes[tier - 1];
    const ranked = new Int32Array(length);
    for (let i = 0; i < length; i++) ranked[offsets[tiers[i]]++] = rows[i];
    return ranked;
  }

  // ---------------------------------------------------------------------------------------------
  // Filters: one <select> per field, each option showing its count.

  function setUpFilter(select) {
    const fieldIndex = directory.field(select.dataset.filter);
    const filter = { fieldIndex, select, codes: null, values: [], selected: -1, options: [] };
    if (fieldIndex < 0) {
      select.closest("label").hidden = true;
      filter.codes = new Int32Array(directory.count).fill(-1);
      return filter;
    }
    Object.assign(filter, filterCodes(directory.columns[fieldIndex]));
    const order = filter.values.map((_, code) => code).filter((code) => filter.values[code] !== "")
      .sort((a, b) => filter.values[a].localeCompare(filter.values[b], "en", { sensitivity: "base" }));
    for (const code of order) {
      const option = element("option", { value: String(code) });
      filter.options[code] = option;
      select.append(option);
    }
    select.addEventListener("change", () => {
      filter.selected = select.value === "" ? -1 : Number(select.value);
      refresh("filter");
    });
    select.disabled = false;
    return filter;
  }

  // Each row's value as a small number; empty values are -1 and counted nowhere.
  function filterCodes(column) {
    const count = directory.count;
    const codes = new Int32Array(count);
    if (column.table) {
      const empty = column.table.values.indexOf("");
      for (let row = 0; row < count; row++) codes[row] = column.table.rows[row] === empty ? -1 : column.table.rows[row];
      return { codes, values: column.table.values };
    }
    const values = [];
    const codeOf = new Map();
    for (let row = 0; row < count; row++) {
      const value = column.cell(row);
      let code = value ? codeOf.get(value) : -1;
      if (code === undefined) {
        code = values.length;
        codeOf.set(value, code);
        values.push(value);
      }
      codes[row] = code;
    }
    return { codes, values };
  }

  function showFilterCounts() {
    search.filters.forEach((filter, f) => {
      const counts = search.counts[f];
      filter.options.forEach((option, code) => {
        if (!option) return;
        const text = `${filter.values[code]} (${numberFormat.format(counts[code])})`;
        if (option.textContent !== text) option.textContent = text;
      });
    });
  }

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
    const title = cell(roles.title, row);
    const department = cell(roles.department, row);
    const office = cell(roles.office, row);
    // On a narrow list the department follows the title; wide, it has its own column.
    const subtitle = element("span", { class: "row-title" }, title || (department ? "" : office));
    if (department) subtitle.append(element("span", { class: title ? "inline-department" : "inline-department first" }, department));
    return element("div", { class: "row", role: "option", "data-id": directory.id(row) },
      avatar(row, LIST_AVATAR, ""),
      element("span", { class: "row-main" },
        element("span", { class: "row-name" }, personName(row)),
        subtitle),
      element("span", { class: "row-department" }, department),
      element("span", { class: "row-office" }, office),
      element("span", { class: "row-mail" }, cell(roles.mail, row)));
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
    openPerson(directory.id(search.results[list.active]));
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
      openPerson(directory.id(search.results[list.active]));
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
    const total = directory.count;
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
        openPerson(directory.id(search.results[0]));
      }
    });
    input.disabled = false;
  }

  // ---------------------------------------------------------------------------------------------
  // The reporting lines: managers as a forest, cycles broken, children listed once.

  let org = null;
  let hasReportingLines = false; // a directory without managers gets no org chart

  function anyManager() {
    for (let row = 0; row < directory.count; row++) if (directory.manager[row] >= 0) return true;
    return false;
  }

  function orgStructure() {
    if (org) return org;
    const count = directory.count;
    const parent = new Int32Array(count);
    const loops = new Uint8Array(count);
    for (let row = 0; row < count; row++) {
      const manager = directory.manager[row];
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
    for (let at = row; at >= 0 && chain.length <= directory.count; at = parent[at]) chain.push(at);
    return chain.reverse();
  }

  function tops() {
    const { parent } = orgStructure();
    const rows = [];
    for (let row = 0; row < directory.count; row++) if (parent[row] < 0 && isSafe(row)) rows.push(row);
    return rows.sort((a, b) => reportsOf(b).length - reportsOf(a).length || a - b);
  }

  // ---------------------------------------------------------------------------------------------
  // Views and the address: #person/{id}, #org, #org/{id}.

  const views = { current: "", depth: null, returnTo: null };

  function navigate(hash) {
    if (hash === views.current) return;
    const depth = views.current === "" ? 1 : Number.isInteger(views.depth) ? views.depth + 1 : null;
    history.pushState({ avatarSite: true, depth }, "", `#${hash}`);
    route();
  }

  function openPerson(id) {
    if (!views.current) views.returnTo = document.activeElement;
    navigate(`person/${id}`);
  }

  // Closing goes back past the views this page opened, so Back after it does not reopen them.
  function closeView() {
    const depth = history.state && history.state.avatarSite ? history.state.depth : null;
    if (Number.isInteger(depth) && depth > 0) {
      history.go(-depth);
    } else {
      history.replaceState(null, "", location.pathname + location.search);
      route();
    }
  }

  function route() {
    const hash = location.hash.replace(/^#/, "");
    if (hash === views.current) return;
    const wasOpen = views.current !== "";
    views.current = hash;
    views.depth = history.state && history.state.avatarSite ? history.state.depth : null;
    const [kind, ...rest] = hash.split("/");
    const id = safeDecode(rest.join("/"));
    if (kind === "person" && id) showPersonView(id);
    else if (kind === "org") showOrgView(id);
    else hideViews(wasOpen);
  }

  function safeDecode(text) {
    try {
      return decodeURIComponent(text);
    } catch {
      return "";
    }
  }

  function showView(name) {
    for (const view of document.querySelectorAll("section[data-view]")) view.hidden = view.dataset.view !== name;
    document.body.dataset.showing = name;
    for (const link of document.querySelectorAll("[data-nav]")) {
      if (link.dataset.nav === (name === "org" ? "org" : "list")) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
  }

  function hideViews(wasOpen) {
    showView("");
    document.title = siteTitle;
    if (!wasOpen) return;
    const back = views.returnTo;
    views.returnTo = null;
    const activeNode = list.rendered.get(search.results[list.active]);
    if (back && back.isConnected && back !== document.body) back.focus();
    else if (activeNode) activeNode.focus();
    else $("search").focus();
  }

  function closeButton() {
    const button = element("button", { type: "button", class: "close" }, "Close");
    button.addEventListener("click", closeView);
    return button;
  }

  function personLink(row) {
    const link = element("a", { href: `#person/${directory.id(row)}` }, personName(row));
    link.addEventListener("click", (event) => {
      event.preventDefault();
      openPerson(directory.id(row));
    });
    return link;
  }

  function orgLink(row, text) {
    const hash = row >= 0 ? `org/${directory.id(row)}` : "org";
    const link = element("a", { href: `#${hash}`, class: "button" }, text);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      if (!views.current) views.returnTo = document.activeElement;
      navigate(hash);
    });
    return link;
  }

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
    document.title = `${name} – ${siteTitle}`;
    view.append(element("div", { class: "detail-bar" }, closeButton()), personCard(row));
    if (hasReportingLines) view.append(reportingLine(row), directReports(row));
    view.scrollTop = 0;
    $("person-name").focus({ preventScroll: true });
  }

  function personCard(row) {
    const mail = mailAddress(row);
    const title = cell(roles.title, row);
    const portrait = avatar(row, PORTRAIT, avatarAlt(row));
    portrait.classList.add("portrait");
    portrait.loading = "eager";
    portrait.sizes = `(max-width: 40rem) 160px, ${PORTRAIT}px`;
    const details = element("dl", { class: "fields" });
    directory.fields.forEach((field, index) => {
      if (index === roles.name || index === roles.title) return;
      const value = cell(index, row);
      if (!value) return;
      const shown = index === roles.mail && mail ? element("a", { href: mailtoHref(mail) }, value) : value;
      details.append(element("dt", null, labelOf(field)), element("dd", null, shown));
    });
    const actions = element("div", { class: "actions" });
    if (mail) actions.append(element("a", { class: "button primary", href: mailtoHref(mail) }, "Send email"));
    const download = element("button", { type: "button", class: "button" }, "Download contact card");
    download.addEventListener("click", () => downloadVCard(row));
    actions.append(download);
    if (hasReportingLines) actions.append(orgLink(row, "Show in org chart"));
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
        : "Top of the organisation: no manager in the directory."));
      return section;
    }
    const ordered = element("ol", { class: "chain" });
    for (const at of chain) {
      const current = at === row;
      ordered.append(element("li", { "aria-current": current ? "true" : null, class: current ? "current" : null },
        avatar(at, SMALL_AVATAR, ""),
        element("span", { class: "chain-text" },
          current ? element("strong", null, personName(at)) : personLink(at),
          element("span", { class: "muted" }, cell(roles.title, at)))));
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
        element("span", { class: "chain-text" }, personLink(report), element("span", { class: "muted" }, cell(roles.title, report)))));
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
    const given = cell(directory.field("givenName"), row);
    const surname = cell(directory.field("surname"), row);
    const lines = ["BEGIN:VCARD", "VERSION:3.0", `FN:${vCardText(name)}`,
      given || surname ? `N:${vCardText(surname)};${vCardText(given)};;;` : `N:${vCardText(name)};;;;`];
    const title = cell(roles.title, row);
    const department = cell(roles.department, row);
    const mail = mailAddress(row);
    if (title) lines.push(`TITLE:${vCardText(title)}`);
    if (department) lines.push(`ORG:;${vCardText(department)}`);
    if (mail) lines.push(`EMAIL;TYPE=INTERNET:${vCardText(mail)}`);
    const notes = directory.fields
      .map((field, index) => [field, index])
      .filter(([, index]) => ![roles.name, roles.title, roles.department, roles.mail].includes(index) && cell(index, row))
      .map(([field, index]) => `${labelOf(field)}: ${cell(index, row)}`);
    if (notes.length) lines.push(`NOTE:${vCardText(notes.join("\n"))}`);
    lines.push(`UID:${vCardText(directory.id(row))}`, "END:VCARD");
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

  // ---------------------------------------------------------------------------------------------
  // The org chart: one level at a time, so a chart of any size stays small in the DOM.

  function showOrgView(id) {
    const view = $("org-view");
    const row = id ? rowOfId(id) : -1;
    view.replaceChildren();
    showView("org");
    document.title = `Org chart – ${siteTitle}`;
    const intro = row >= 0
      ? `Reporting line of ${personName(row)}. Expand a person to show their direct reports.`
      : id ? "No one in this directory has that link. Showing the top of the organisation."
        : "The top of the organisation. Expand a person to show their direct reports.";
    const tree = element("ul", { class: "org-tree" });
    view.append(element("div", { class: "detail-bar" }, element("h2", { id: "org-heading", tabindex: "-1" }, "Org chart"), closeButton()),
      element("p", { class: "muted org-intro" }, hasReportingLines ? intro : "This directory lists no managers, so it has no org chart."), tree);
    if (!hasReportingLines) {
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
        element("span", { class: "muted" }, [cell(roles.title, row), cell(roles.department, row)].filter(Boolean).join(" · "))));
    const node = element("li", { class: "org-node", "data-id": directory.id(row) }, card);
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
      const firstNew = parentList.querySelector(`:scope > li[data-id="${directory.id(next[0])}"] a`);
      if (firstNew) firstNew.focus();
    });
    parentList.append(item);
  }

  // ---------------------------------------------------------------------------------------------
  // Start.

  let siteTitle = document.title;

  function onGlobalKey(event) {
    if (event.key === "Escape" && views.current) {
      event.preventDefault();
      closeView();
    } else if (event.key === "/" && !/^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)) {
      event.preventDefault();
      $("search").focus();
    }
  }

  function setUpNavigation() {
    for (const link of document.querySelectorAll("[data-nav]")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        if (link.dataset.nav === "org") {
          if (views.current !== "org") {
            if (!views.current) views.returnTo = link;
            navigate("org");
          }
        } else if (views.current) {
          closeView();
        }
      });
    }
    window.addEventListener("popstate", route);
    window.addEventListener("hashchange", route);
    document.addEventListener("keydown", onGlobalKey);
  }

  function showLoadError(message) {
    const notice = $("load-error");
    notice.textContent = message;
    notice.hidden = false;
    $("result-count").textContent = "";
  }

  function start() {
    siteTitle = document.title;
    try {
      directory = readDirectory(window.avatarSiteDirectory);
    } catch (error) {
      showLoadError(error.message);
      return;
    }
    roles = {
      name: directory.field("displayName"), title: directory.field("jobTitle"), department: directory.field("department"),
      office: directory.field("officeLocation"), mail: directory.field("mail"),
    };
    hasReportingLines = anyManager();
    document.querySelector('[data-nav="org"]').hidden = !hasReportingLines;
    setUpList();
    search.filters = [...document.querySelectorAll("select[data-filter]")].map(setUpFilter);
    applyFilters();
    showResults();
    showFilterCounts();
    showResultCount();
    performance.mark("avatar-site:first-rows");
    setUpSearch();
    setUpNavigation();
    route();
    if (!views.current && matchMedia("(pointer: fine)").matches) $("search").focus();
    setTimeout(buildIndexInBackground, 0);
  }

  start();
})();
