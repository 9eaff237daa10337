/* The annual plan form: the months' sum checked while typing, and the even / back-loaded split.
   Labels and the split address come from #plan-edit-data (the page has no inline script). */
(function () {
  // The sum check here only helps while typing: the server checks again and decides.
  var form = document.getElementById("plan-form");
  if (!form) return;
  var annual = document.getElementById("f-investment");
  var months = Array.prototype.slice.call(form.querySelectorAll("input.month"));
  var out = document.getElementById("sum-check");
  var data = document.getElementById("plan-edit-data");
  if (!data) return;
  var labels = {
    ok: data.getAttribute("data-ok"),
    bad: data.getAttribute("data-bad"),
    invalid: data.getAttribute("data-invalid"),
    failed: data.getAttribute("data-failed")
  };
  function cents(text) {
    text = (text || "").trim().replace(/,/g, "");
    if (text === "") return 0;
    if (!/^\d+(\.\d{1,2})?$/.test(text)) return NaN;
    var parts = text.split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }
  function money(c) {
    var sign = c < 0 ? "-" : "";
    c = Math.abs(c);
    var whole = Math.floor(c / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + whole + "." + ("0" + (c % 100)).slice(-2);
  }
  function check() {
    var sum = 0;
    for (var i = 0; i < months.length; i++) sum += cents(months[i].value);
    var total = cents(annual.value);
    if (isNaN(sum) || isNaN(total)) { out.textContent = labels.invalid; out.className = "sum-check bad"; return; }
    if (sum === total) {
      out.textContent = labels.ok.replace("%(sum)s", money(sum));
      out.className = "sum-check ok";
    } else {
      out.textContent = labels.bad.replace("%(sum)s", money(sum)).replace("%(annual)s", money(total)).replace("%(diff)s", money(sum - total));
      out.className = "sum-check bad";
    }
  }
  form.addEventListener("input", check);
  form.querySelectorAll("button[data-profile]").forEach(function (button) {
    button.addEventListener("click", function () {
      var url = data.getAttribute("data-split-url") + "?profile=" + encodeURIComponent(button.dataset.profile) + "&annual=" + encodeURIComponent(annual.value);
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        if (data.error) { out.textContent = labels.failed + data.error; out.className = "sum-check bad"; return; }
        data.months.forEach(function (amount, i) { months[i].value = amount; });
        check();
      });
    });
  });
  check();
})();
