/* 项目库: which of the register's columns show, and the filters folded on a phone.

   With no choice made, the least needed columns fold one at a time, in PRIORITY's order, until the
   table fits its box (so it reads at 1280 px without scrolling sideways, whatever the language).
   Ticking columns in "显示列" is a choice: it is kept in this browser for this user and wins over
   the fitting; "恢复默认" forgets it. The state lives in classes on #results, which htmx keeps
   while it swaps the table inside; without this script every column shows and the table scrolls. */
(function () {
  "use strict";
  var PRIORITY = ["code", "stage", "category", "responsible_unit", "annual_rate", "total_investment", "district"];
  var results = document.getElementById("results");
  if (!results) return;

  // On a phone the filters start folded, so the list is what one sees first.
  var filters = document.getElementById("filters-box");
  if (filters && window.matchMedia("(max-width: 760px)").matches) filters.open = false;

  function chooser() {
    return results.querySelector(".col-chooser");
  }
  function boxes() {
    var found = chooser();
    return found ? Array.prototype.slice.call(found.querySelectorAll('input[name="column"]')) : [];
  }
  function storeKey() {
    var found = chooser();
    return "keyproj.register.hidden-columns." + (found ? found.getAttribute("data-user") : "");
  }
  function stored() {
    try {
      var value = JSON.parse(window.localStorage.getItem(storeKey()) || "null");
      return Array.isArray(value) ? value : null;
    } catch (error) {
      return null; // storage off or spoilt: behave as if nothing was chosen
    }
  }
  function remember(hidden) {
    try {
      if (hidden) window.localStorage.setItem(storeKey(), JSON.stringify(hidden));
      else window.localStorage.removeItem(storeKey());
    } catch (error) {
      /* private mode: the choice lasts as long as the page */
    }
  }

  function show(hidden) {
    boxes().forEach(function (box) {
      results.classList.toggle("hide-" + box.value, hidden.indexOf(box.value) >= 0);
    });
  }
  function overflows() {
    var wrap = results.querySelector(".table-wrap");
    return Boolean(wrap) && wrap.scrollWidth > wrap.clientWidth + 1;
  }
  function fit() {
    var hidden = [];
    show(hidden);
    for (var i = 0; i < PRIORITY.length && overflows(); i++) {
      hidden.push(PRIORITY[i]);
      show(hidden);
    }
    return hidden;
  }

  function apply() {
    var found = chooser();
    if (!found) return;
    var chosen = stored();
    var hidden = chosen || fit();
    if (chosen) show(chosen);
    var all = boxes();
    all.forEach(function (box) {
      box.checked = hidden.indexOf(box.value) < 0;
    });
    var shown = all.filter(function (box) { return box.checked; }).length;
    found.querySelector(".col-count").textContent = " " + (shown + 1) + "/" + (all.length + 1);
    found.querySelector(".col-reset").disabled = !chosen;
    found.hidden = false;
  }

  results.addEventListener("change", function (event) {
    if (!event.target.matches('.col-chooser input[name="column"]')) return;
    var hidden = boxes()
      .filter(function (box) { return !box.checked; })
      .map(function (box) { return box.value; });
    remember(hidden);
    show(hidden);
    apply();
  });
  results.addEventListener("click", function (event) {
    if (!event.target.closest(".col-reset")) return;
    remember(null);
    apply();
  });
  // A new page of rows, another sort or filter: the new table gets the same columns (or a new fit).
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target === results) apply();
  });
  var resizing = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () {
      if (!stored()) apply();
    }, 150);
  });
  apply();
})();
