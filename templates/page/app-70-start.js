// The directory page, part 7 (see app-10-directory.js): starting the page. It comes last, so
// start() runs once every part has put its functions on the namespace.

(function (site) {
  "use strict";

  const { $, readDirectory, search, buildIndexInBackground, applyFilters, setUpFilter, showFilterCounts } = site;
  const { setUpList, showResults, showResultCount, setUpSearch, views, navigate, closeView, route, anyManager } = site;

  // ---------------------------------------------------------------------------------------------
  // Start.

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
    site.siteTitle = document.title;
    try {
      site.directory = readDirectory(window.avatarSiteDirectory);
    } catch (error) {
      showLoadError(error.message);
      return;
    }
    site.roles = {
      name: site.directory.field("displayName"), title: site.directory.field("jobTitle"), department: site.directory.field("department"),
      office: site.directory.field("officeLocation"), mail: site.directory.field("mail"),
    };
    site.hasReportingLines = anyManager();
    document.querySelector('[data-nav="org"]').hidden = !site.hasReportingLines;
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
})(window.avatarSitePage = window.avatarSitePage || {});
