/* 代建管理 charts: the credit ranking (horizontal bars, the 约谈 firms in red), the grade
   distribution and a quarter's score bands. The data comes from the page (json_script "agents-chart-data"). */
(function () {
  "use strict";
  var source = document.getElementById("agents-chart-data");
  if (!source || !window.echarts) return;
  var F = window.keyprojFormat;
  var data = JSON.parse(source.textContent);
  var charts = [];
  var COLORS = ["#2e7d4f", "#5b9bd5", "#9fb4cf", "#c0392b"];

  function mount(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }

  if (data.ranking && data.ranking.names.length) {
    var totals = data.ranking.totals.map(Number);
    mount("chart-ranking", {
      grid: { left: 8, right: 40, top: 10, bottom: 10, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: F.num2 },
      // Totals lie close together: the axis starts just under the lowest, so their differences show.
      xAxis: { type: "value", name: data.labels.total, min: F.scaledMin(totals), max: 100 },
      yAxis: { type: "category", inverse: true, data: data.ranking.names, axisLabel: { width: 120, overflow: "truncate" } },
      series: [{
        type: "bar", name: data.labels.total,
        data: totals.map(function (v, i) { return { value: v, itemStyle: { color: data.ranking.flagged[i] ? "#c0392b" : "#3b6fb6" } }; }),
        label: { show: true, position: "right", formatter: function (p) { return F.num2(p.value); } }
      }]
    });
  }

  if (data.grades) {
    var names = Object.keys(data.grades);
    mount("chart-grades", {
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{
        type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"],
        data: names.map(function (n, i) { return { name: n, value: data.grades[n], itemStyle: { color: COLORS[i] } }; }),
        label: { formatter: "{b} {c}" }
      }]
    });
  }

  if (data.bands) {
    mount("chart-bands", {
      grid: { left: 8, right: 16, top: 20, bottom: 10, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.bands },
      yAxis: { type: "value", minInterval: 1, name: data.labels.count },
      series: [{ type: "bar", data: data.band_counts, itemStyle: { color: "#3b6fb6" }, label: { show: true, position: "top" } }]
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
