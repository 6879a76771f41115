// The company directory page. It reads the directory from the classic script loaded before it
// (window.avatarSiteDirectory, see docs/directory-data.md), so it works from file:// with no
// network. Every value from the directory reaches the page as text (textContent) or as an
// attribute of a validated id; nothing is ever parsed as markup.
//
// The page's script is the files templates/page/app-*.js joined in name order, shipped as one
// assets/app.<hash>.js. Each part is a classic script (file:// pages cannot load modules) that
// wraps itself and shares what the others need on one object, window.avatarSitePage: a part
// takes the functions of the parts before it when it loads, reads those of later parts and the
// state start() sets (site.directory, site.roles, ...) through the object when it runs, and the
// last part calls start(). This part: reading the directory, the search fold, the page's model.

(function (site) {
  "use strict";

  const LIST_AVATAR = 40;
  const PORTRAIT = 200;
  const SMALL_AVATAR = 32;
  const OVERSCAN_ROWS = 8;
  const BATCH = 50;
  const INDEX_SLICE_MS = 8;
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
    // The id rule is part of the format: without it no id can be told safe.
    const safeId = raw ? idRule(raw.id_pattern) : null;
    if (!safeId || raw.format !== 1 || !Array.isArray(raw.fields) || !Array.isArray(raw.columns)) {
      throw new Error("The directory data is missing or not in a format this page reads.");
    }
    const ids = readIds(raw, safeId);
    const count = ids.count;
    const columns = raw.columns.map((column) => readColumn(column, count));
    if (columns.length !== raw.fields.length || !lengthIs(raw.placeholder, count) || !lengthIs(raw.manager, count)) {
      throw new Error("The directory data is inconsistent.");
    }
    const fields = raw.fields.map(String);
    return {
      count, fields, columns,
      id: ids.id,
      safeId, // the site's id rule: a row or a link whose id fails it is left out
      safe: ids.safe, // null when every id is safe
      placeholder: raw.placeholder,
      manager: raw.manager,
      sizes: readSizes(raw.sizes),
      photo: pathTemplate(raw.photo, "users/{id}/photo.jpg"),
      photos: pathTemplate(raw.photos, "users/{id}/photos/{size}.jpg"),
      field: (name) => fields.indexOf(name),
    };
  }

  // The site has one id rule, and the data carries it, so the page keeps no copy of its own
  // that could drift from the build's.
  function idRule(pattern) {
    if (typeof pattern !== "string") return null;
    try {
      return new RegExp(pattern);
    } catch {
      return null;
    }
  }

  // Ids come as a list, or as GUIDs without their dashes in one string of hex digits.
  function readIds(raw, safeId) {
    if (Array.isArray(raw.ids)) {
      const safe = Uint8Array.from(raw.ids, (id) => (typeof id === "string" && safeId.test(id) ? 1 : 0));
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
  // The page's model of the directory: start() sets site.directory (from readDirectory) and
  // site.roles (the index of each field the page gives a role, or -1).

  function personName(row) {
    return cell(site.roles.name, row) || cell(site.roles.mail, row) || "(no name)";
  }

  function cell(fieldIndex, row) {
    return fieldIndex >= 0 ? site.directory.columns[fieldIndex].cell(row) : "";
  }

  // A mail address becomes a mailto: link only if it looks like one.
  function mailAddress(row) {
    const mail = cell(site.roles.mail, row).trim();
    return /^[^\s@<>()[\]\\,;:"']+@[^\s@<>()[\]\\,;:"']+\.[^\s@<>()[\]\\,;:"'.]+$/u.test(mail) ? mail : null;
  }

  function mailtoHref(mail) {
    return "mailto:" + encodeURIComponent(mail).replace(/%40/g, "@");
  }

  function imageUrl(row, size) {
    const id = site.directory.id(row);
    return size ? site.directory.photos.replace("{id}", id).replace("{size}", size.name) : site.directory.photo.replace("{id}", id);
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
    const sizes = site.directory.sizes;
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
    return site.directory.placeholder[row] ? `Initials of ${personName(row)}` : `Photo of ${personName(row)}`;
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
    return site.directory.safe === null || site.directory.safe[row] === 1;
  }

  function rowOfId(id) {
    if (typeof id !== "string" || !site.directory.safeId.test(id)) return -1;
    if (!idToRow) {
      idToRow = new Map();
      for (let row = 0; row < site.directory.count; row++) if (isSafe(row)) idToRow.set(site.directory.id(row), row);
    }
    return idToRow.has(id) ? idToRow.get(id) : -1;
  }

  Object.assign(site, {
    LIST_AVATAR, PORTRAIT, SMALL_AVATAR, OVERSCAN_ROWS, BATCH, INDEX_SLICE_MS, numberFormat, $,
    readDirectory, fold, SUBSTRING_SCRIPTS,
    personName, cell, mailAddress, mailtoHref, avatar, avatarAlt, labelOf, element, isSafe, rowOfId,
  });
})(window.avatarSitePage = window.avatarSitePage || {});
