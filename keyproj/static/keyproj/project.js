// The project page's chart: monthly plan and actual as bars, cumulative as lines (data from json_script).
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("project-chart");
    var source = document.getElementById("project-chart-data");
    if (!box || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var s = data.series, l = data.labels;
    var num = function (list) { return list.map(function (v) { return v === null ? null : Number(v); }); };
    var chart = window.echarts.init(box);
    chart.setOption({
      animation: false,
      color: ["#9db7d9", "#2f6fbf", "#b4441c", "#1d7a46"],
      tooltip: { trigger: "axis", valueFormatter: function (v) { var t = window.keyprojFormat.num2(v); return t === "—" ? t : t + " " + l.unit; } },
      legend: { top: 0 },
      grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: l.axis || l.unit, nameTextStyle: { align: "right" } },
      series: [
        { name: l.plan_month, type: "bar", data: num(s.plan_month) },
        { name: l.actual_month, type: "bar", data: num(s.actual_month) },
        { name: l.plan_to_date, type: "line", data: num(s.plan_to_date), symbolSize: 5 },
        { name: l.actual_to_date, type: "line", data: num(s.actual_to_date), symbolSize: 5, connectNulls: false }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
