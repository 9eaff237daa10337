// The project page's earned-value S-curve: PV, EV and AC as cumulative lines (data from json_script).
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("earned-value-chart");
    var source = document.getElementById("earned-value-data");
    if (!box || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var s = data.series, l = data.labels;
    var num = function (list) { return list.map(function (v) { return v === null ? null : Number(v); }); };
    var chart = window.echarts.init(box);
    chart.setOption({
      animation: false,
      color: ["#2f6fbf", "#1d7a46", "#b4441c"],
      tooltip: { trigger: "axis", valueFormatter: function (v) { var t = window.keyprojFormat ? window.keyprojFormat.num2(v) : String(v); return t === "—" ? t : t + " " + l.unit; } },
      legend: { top: 0 },
      grid: { left: 8, right: 12, top: 52, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: l.axis || l.unit, nameTextStyle: { align: "right" }, scale: true },
      series: [
        { name: l.pv, type: "line", data: num(s.pv), symbolSize: 5, smooth: true },
        { name: l.ev, type: "line", data: num(s.ev), symbolSize: 5, connectNulls: false },
        { name: l.ac, type: "line", data: num(s.ac), symbolSize: 5, connectNulls: false }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  // A second copy of ECharts would replace window.echarts and orphan the page's other charts: use the
  // page's own, and load one only when the page has none.
  var me = document.currentScript;
  function start() {
    if (window.echarts || !me || !me.dataset.echarts) { draw(); return; }
    var script = document.createElement("script");
    script.src = me.dataset.echarts;
    script.onload = draw;
    document.head.appendChild(script);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
