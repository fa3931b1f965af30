/* The search page: load Pagefind's search box from this site, then search for ?q= if given.
   No inline script (the page's Content-Security-Policy forbids it) and no request elsewhere. */
(function () {
  "use strict";

  var box = document.getElementById("search");
  if (!box) {
    return;
  }
  var bundle = box.getAttribute("data-bundle");
  var needsJs = document.getElementById("search-needs-js");
  var broken = document.getElementById("search-broken");

  /* Say that search cannot work here (no index was built, or a file is missing). */
  function fail() {
    needsJs.hidden = true;
    broken.hidden = false;
  }

  /* Make the search box, and run the search the home page's form asked for. */
  function start() {
    if (typeof window.PagefindUI !== "function") {
      fail();
      return;
    }
    needsJs.hidden = true;
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: bundle,
      showImages: false,
      showSubResults: true,
      translations: {
        placeholder: "Council, town or words",
        zero_results: "Nothing found for [SEARCH_TERM]. Try fewer words, or the name of a town."
      }
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = bundle + "pagefind-ui.css";
  document.head.appendChild(css);

  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = start;
  script.onerror = fail;
  document.head.appendChild(script);
}());
