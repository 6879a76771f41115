// The directory page, part 2 (see app-10-directory.js): the search index, searching, and the
// department and office filters.

(function (site) {
  "use strict";

  const { INDEX_SLICE_MS, SUBSTRING_SCRIPTS, numberFormat, fold, cell, element } = site;

  // ---------------------------------------------------------------------------------------------
  // The search index: folded keys per row, built in slices after the first rows are shown.

  // Each row's key is " name words\u0001 other words": one scan per query word finds it in the
  // name (before nameEnds[row]) or in another field. The separator never occurs in folded text.
  const searchIndex = { keys: [], nameEnds: null, built: 0, foldedTables: null };

  function buildIndexUpTo(limit) {
    if (!searchIndex.foldedTables) {
      searchIndex.foldedTables = site.directory.columns.map((column) => column.table && column.table.values.map(fold));
      searchIndex.nameEnds = new Int32Array(site.directory.count);
    }
    const others = site.directory.fields.map((_, index) => index).filter((index) => index !== site.roles.name);
    const parts = [];
    for (let row = searchIndex.built; row < limit; row++) {
      const name = fold(cell(site.roles.name, row));
      parts.length = 0;
      parts.push("", name + "\u0001");
      for (const index of others) {
        const column = site.directory.columns[index];
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
    while (searchIndex.built < site.directory.count && performance.now() < deadline) {
      buildIndexUpTo(Math.min(site.directory.count, searchIndex.built + 256));
    }
    if (searchIndex.built < site.directory.count) {
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
    const safe = site.directory.safe;
    const needles = query.needles;
    const start = " " + query.text;
    const length = base ? base.length : site.directory.count;
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
      if (searchIndex.built < site.directory.count) buildIndexUpTo(site.directory.count);
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
    const safe = site.directory.safe;
    const counts = filters.map((filter) => new Int32Array(filter.values.length));
    const length = matched ? matched.length : site.directory.count;
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
    const fieldIndex = site.directory.field(select.dataset.filter);
    const filter = { fieldIndex, select, codes: null, values: [], selected: -1, options: [] };
    if (fieldIndex < 0) {
      select.closest("label").hidden = true;
      filter.codes = new Int32Array(site.directory.count).fill(-1);
      return filter;
    }
    Object.assign(filter, filterCodes(site.directory.columns[fieldIndex]));
    const order = filter.values.map((_, code) => code).filter((code) => filter.values[code] !== "")
      .sort((a, b) => filter.values[a].localeCompare(filter.values[b], "en", { sensitivity: "base" }));
    for (const code of order) {
      const option = element("option", { value: String(code) });
      filter.options[code] = option;
      select.append(option);
    }
    select.addEventListener("change", () => {
      filter.selected = select.value === "" ? -1 : Number(select.value);
      site.refresh("filter");
    });
    select.disabled = false;
    return filter;
  }

  // Each row's value as a small number; empty values are -1 and counted nowhere.
  function filterCodes(column) {
    const count = site.directory.count;
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

  Object.assign(site, { search, buildIndexInBackground, runQuery, applyFilters, setUpFilter, showFilterCounts });
})(window.avatarSitePage = window.avatarSitePage || {});
