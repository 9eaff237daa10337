/* How charts write numbers: as the tables do (keyproj.core.money), whatever the browser's locale.
   Two places and thousands separators for money and scores (1,192.70; 91.80), the sign for
   percentages (108.20%), and an axis that starts just under the data for bars whose differences
   matter (ranking scores, credit totals), so that 95 and 105 do not look alike beside 0.
   Also html(): text made safe to put into a tooltip's HTML, for a chart whose formatter builds markup
   from names the users typed (a project, unit or district named <img onerror=…> shows as text).
   Loaded before each page's chart script; it only defines window.keyprojFormat. */
(function () {
  "use strict";

  function number(value) {
    if (value === null || value === undefined || value === "") return null;
    var n = Number(value);
    return isFinite(n) ? n : null;
  }

  // Half-up to two places, as Decimal rounds on the server (a bare toFixed rounds 1.005 down).
  function num2(value) {
    var n = number(value);
    if (n === null) return "—";
    var cents = Math.round((Math.abs(n) + Number.EPSILON) * 100);
    var whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var part = String(cents % 100);
    return (n < 0 && cents ? "-" : "") + whole + "." + (part.length < 2 ? "0" + part : part);
  }

  function pct(value) {
    var text = num2(value);
    return text === "—" ? text : text + "%";
  }

  // The value axis's start for bars compared with each other: a round number under the lowest
  // value, a quarter of the spread below it; never below 0 when every value is positive.
  function scaledMin(values) {
    var nums = (values || []).map(number).filter(function (n) { return n !== null; });
    if (!nums.length) return 0;
    var lo = Math.min.apply(null, nums);
    var hi = Math.max.apply(null, nums);
    var spread = hi - lo || Math.abs(hi) * 0.1 || 1;
    var step = Math.pow(10, Math.floor(Math.log(spread) / Math.LN10));
    var min = Math.floor((lo - spread / 4) / step) * step;
    return lo >= 0 && min < 0 ? 0 : min;
  }

  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function html(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return ENTITIES[c];
    });
  }

  window.keyprojFormat = { num2: num2, pct: pct, scaledMin: scaledMin, html: html };
})();
