/* The ranking page's two charts: this month's scores, and each organisation's rank at every
   close of the year. The data comes from the page (json_script "ranking-data"). */
(function () {
  "use strict";
  var source = document.getElementById("ranking-data");
  if (!source || !window.echarts) return;
  var F = window.keyprojFormat;
  var data = JSON.parse(source.textContent);
  var BOARD = { red: "#c0392b", black: "#2b2f36", "": "#9fb4cf" };
  var charts = [];

  function mount(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }

  mount("chart-scores", {
    grid: { left: 8, right: 24, top: 10, bottom: 10, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: F.num2 },
    // Scores lie close together: the axis starts just under the lowest, so their differences show.
    xAxis: { type: "value", name: data.labels.score, min: F.scaledMin(data.scores) },
    yAxis: { type: "category", inverse: true, data: data.names, axisLabel: { width: 110, overflow: "truncate" } },
    series: [{
      type: "bar", name: data.labels.score,
      data: data.scores.map(function (v, i) { return { value: v, itemStyle: { color: BOARD[data.boards[i]] } }; }),
      label: { show: true, position: "right", formatter: function (p) { return F.num2(p.value); } }
    }]
  });

  mount("chart-history", {
    grid: { left: 8, right: 24, top: 30, bottom: 10, containLabel: true },
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", inverse: true, minInterval: 1, min: 1, name: data.labels.rank },
    series: data.history.map(function (s) { return { type: "line", name: s.name, data: s.ranks, connectNulls: true }; })
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
