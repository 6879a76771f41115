// The directory page, part 4 (see app-10-directory.js): the views over the list and the
// address that opens them, and the links between them.

(function (site) {
  "use strict";

  const { $, element, personName, search, list } = site;

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
    if (kind === "person" && id) site.showPersonView(id);
    else if (kind === "org") site.showOrgView(id);
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
    document.title = site.siteTitle;
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
    const link = element("a", { href: `#person/${site.directory.id(row)}` }, personName(row));
    link.addEventListener("click", (event) => {
      event.preventDefault();
      openPerson(site.directory.id(row));
    });
    return link;
  }

  function orgLink(row, text) {
    const hash = row >= 0 ? `org/${site.directory.id(row)}` : "org";
    const link = element("a", { href: `#${hash}`, class: "button" }, text);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      if (!views.current) views.returnTo = document.activeElement;
      navigate(hash);
    });
    return link;
  }

  Object.assign(site, { views, navigate, openPerson, closeView, route, showView, closeButton, personLink, orgLink });
})(window.avatarSitePage = window.avatarSitePage || {});
