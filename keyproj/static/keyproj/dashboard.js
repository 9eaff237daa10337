/* The dashboard's charts (ECharts). The data comes from the page (json_script "dashboard-data");
   nothing is fetched. Clicking a bar opens the project register filtered to it. The instances
   are found with echarts.getInstanceByDom(container), as the browser tests do. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) return;
  var F = window.keyprojFormat;
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var css = getComputedStyle(document.documentElement);
  var color = function (name, fallback) { return (css.getPropertyValue(name) || "").trim() || fallback; };
  var PLAN = "#9fb4cf";
  var ACTUAL = color("--accent", "#2f6fbf");
  var MUTED = color("--muted", "#5f6b7a");
  var LINE = color("--line", "#d9dee5");
  var charts = [];

  function yi(value) { return F.num2(value); }

  // The tooltip is HTML: every name in it (a district's, a unit's, a series') is escaped first, so a
  // name typed as markup shows as text. p.marker is ECharts' own coloured dot.
  var esc = F.html;
  function tooltip(params) {
    var lines = [esc(params[0].axisValueLabel)];
    params.forEach(function (p) {
      if (p.value != null) lines.push(p.marker + esc(p.seriesName) + esc(labels.colon) + esc(yi(p.value)) + " " + esc(labels.yi));
    });
    return lines.join("<br>");
  }

  function mount(id, option) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  var baseAxis = {
    axisLine: { lineStyle: { color: LINE } },
    axisTick: { show: false },
    axisLabel: { color: MUTED },
  };
  var valueAxis = {
    type: "value",
    name: labels.axis || labels.yi,
    nameTextStyle: { color: MUTED, align: "right" },
    axisLabel: { color: MUTED },
    splitLine: { lineStyle: { color: LINE, type: "dashed" } },
  };

  // The year's curve: plan to date for every month, actual to date up to the chosen month.
  var trend = data.trend;
  mount("chart-trend", {
    animation: false,
    color: [PLAN, ACTUAL],
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: MUTED } },
    tooltip: { trigger: "axis", formatter: tooltip },
    xAxis: Object.assign({ type: "category", data: trend.months, boundaryGap: false }, baseAxis),
    yAxis: valueAxis,
    series: [
      { name: labels.plan_to_date, type: "line", data: trend.plan, symbolSize: 6, lineStyle: { width: 2, type: "dashed" } },
      {
        name: labels.actual_to_date, type: "line", data: trend.actual, symbolSize: 7, lineStyle: { width: 3 },
        areaStyle: { opacity: 0.08 },
        markLine: {
          silent: true, symbol: "none", label: { show: false },
          lineStyle: { color: MUTED, type: "dotted" },
          data: [{ xAxis: trend.chosen }],
        },
      },
    ],
  });

  // A breakdown: plan to date against actual, one pair of bars a row; a click opens its projects.
  function bars(id, series, horizontal) {
    var names = { type: "category", data: series.names, triggerEvent: true };
    if (horizontal) {
      names.inverse = true;  // the list's own order, top to bottom
      names.axisLabel = { color: MUTED, width: 96, overflow: "truncate" };
    } else {
      // Every name shown, wrapped to its share of the width rather than overlapping its neighbours.
      var box = document.getElementById(id);
      var share = box ? (box.clientWidth - 60) / Math.max(1, series.names.length) : 80;
      names.axisLabel = { color: MUTED, interval: 0, width: Math.max(40, share - 6), overflow: "break" };
    }
    names = Object.assign({}, baseAxis, names);
    var chart = mount(id, {
      animation: false,
      color: [PLAN, ACTUAL],
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: { color: MUTED } },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (params) {
          var i = params[0].dataIndex;
          var rate = series.rate[i];
          return tooltip(params) + "<br>" + esc(labels.rate + labels.colon + F.pct(rate)) +
            "<br><span style=\"color:" + esc(MUTED) + "\">" + esc(labels.click) + "</span>";
        },
      },
      xAxis: horizontal ? valueAxis : names,
      yAxis: horizontal ? names : valueAxis,
      series: [
        { name: labels.plan, type: "bar", data: series.plan, barMaxWidth: 22, cursor: "pointer" },
        { name: labels.actual, type: "bar", data: series.actual, barMaxWidth: 22, cursor: "pointer" },
      ],
    });
    if (!chart) return;
    function open(i) {
      var url = series.urls[i];
      if (url) window.location.href = url;
    }
    // A click anywhere in a row's band counts, not only on a bar: short bars are hard to hit,
    // and the middle of a pair of bars is the gap between them.
    chart.getZr().on("click", function (event) {
      var point = [event.offsetX, event.offsetY];
      if (!chart.containPixel({ gridIndex: 0 }, point)) return;
      var at = chart.convertFromPixel({ gridIndex: 0 }, point);
      open(horizontal ? at[1] : at[0]);
    });
    chart.getZr().on("mousemove", function (event) {
      var inside = chart.containPixel({ gridIndex: 0 }, [event.offsetX, event.offsetY]);
      chart.getZr().setCursorStyle(inside ? "pointer" : "default");
    });
    // A name on the axis opens its projects too.
    chart.on("click", { componentType: horizontal ? "yAxis" : "xAxis" }, function (event) {
      open(series.names.indexOf(event.value));
    });
  }

  var b = data.breakdowns;
  bars("chart-district", b.district, false);
  bars("chart-category", b.category, false);
  // Units are many and their names long: horizontal bars, as tall as the list needs.
  var unitBox = document.getElementById("chart-unit");
  if (unitBox) unitBox.style.minHeight = Math.max(260, 70 + b.responsible_unit.names.length * 26) + "px";
  bars("chart-unit", b.responsible_unit, true);

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  });
})();
