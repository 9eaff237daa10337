// The public pages' one chart: plan and actual to date, month by month (data from json_script).
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("public-chart");
    var source = document.getElementById("public-chart-data");
    if (!box || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var l = data.labels;
    var num = function (list) { return list.map(function (v) { return v === null ? null : Number(v); }); };
    var chart = window.echarts.init(box);
    chart.setOption({
      animation: false,
      color: ["#9db7d9", "#1d7a46"],
      tooltip: {
        trigger: "axis",
        valueFormatter: function (v) { var t = window.keyprojFormat.num2(v); return t === "—" ? t : t + " " + l.unit; }
      },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months, boundaryGap: false },
      // The unit is in the panel's heading: an axis name would collide with the legend on a phone.
      yAxis: { type: "value" },
      series: [
        { name: l.plan, type: "line", data: num(data.plan), symbolSize: 6, lineStyle: { width: 2, type: "dashed" } },
        { name: l.actual, type: "line", data: num(data.actual), symbolSize: 6, lineStyle: { width: 3 }, connectNulls: false }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
