/* The header's navigation on a phone: the areas fold behind a menu button.
   Loaded in <head>, not deferred: the page is marked as scripted before the header is drawn, so the
   menu starts folded instead of folding after a flash. Without this script the areas wrap onto
   rows instead, so every one of them stays reachable. No inline script: everything is here. */
(function () {
  "use strict";
  document.documentElement.classList.add("js-nav");

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest(".nav-toggle") : null;
    if (button) {
      setOpen(button, button.getAttribute("aria-expanded") !== "true");
      return;
    }
    // A tap outside the open menu folds it again, as a phone's menus do.
    var open = document.querySelector('.nav-toggle[aria-expanded="true"]');
    if (open && !(target.closest && target.closest("#" + open.getAttribute("aria-controls")))) {
      setOpen(open, false);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector('.nav-toggle[aria-expanded="true"]');
    if (open) {
      setOpen(open, false);
      open.focus();
    }
  });
})();

/* Small behaviours that pages ask for with data-* attributes instead of inline handlers (the CSP
   allows no inline script): a <select data-autosubmit> sends its form when changed; a
   <button data-check-all="NAME"> ticks every checkbox named NAME. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("button[data-check-all]") : null;
    if (!button) return;
    var name = button.getAttribute("data-check-all");
    document.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
      if (box.name === name) box.checked = true;
    });
  });
})();
