/* 一张图: the city's districts coloured by the month's 完成序时进度计划 % or 红黑榜 score, and the
   projects as points coloured by card and sized by annual plan (ECharts over the boundary file).

   Two places use it:
   - the map page: the data in json_script "map-data" ({data, boundary, labels, api}); a click on a
     district filters the points and the list beside the map to it (and back), a click on a point
     opens the project;
   - the home page's panel (.city-map[data-src]): the same map, smaller and without the list, its
     data fetched from the map API; a click anywhere on it opens the map page.
   A drawn map says what it drew in data-districts / data-points (the browser tests read them). */
(function () {
  "use strict";

  if (!window.echarts) return;
  var F = window.keyprojFormat;
  var esc = F.html;
  var MAP = "keyproj-city";
  var CARD = { red: "#d9363e", yellow: "#e8a600", none: "#7d8896" };
  var NO_DATA = "#eef0f3";
  var boundaryPromise = {};

  function boundary(url) {
    if (!boundaryPromise[url]) {
      boundaryPromise[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("boundary " + r.status);
        return r.json();
      }).then(function (geo) {
        echarts.registerMap(MAP, geo);
        return geo;
      });
    }
    return boundaryPromise[url];
  }

  // A feature's GB/T 2260 code: its id, else a code among its properties.
  function featureCode(feature) {
    var p = feature.properties || {};
    return String(feature.id != null ? feature.id : (p.adcode || p.code || ""));
  }

  function number(value) {
    if (value === null || value === undefined || value === "") return null;
    var n = Number(value);
    return isFinite(n) ? n : null;
  }

  // The districts' colours: by rate, three bands around 100% (the month's plan met or not); by
  // score, light to dark (higher is better).
  function visualMap(by, labels, values) {
    if (by === "score") {
      var nums = values.filter(function (v) { return v !== null; });
      var lo = nums.length ? Math.floor(Math.min.apply(null, nums)) : 0;
      var hi = nums.length ? Math.ceil(Math.max.apply(null, nums)) : 100;
      if (hi <= lo) hi = lo + 1;
      return {
        type: "continuous", seriesIndex: 0, min: lo, max: hi, calculable: false, orient: "horizontal",
        left: 8, bottom: 4, itemHeight: 120, itemWidth: 10, text: [String(hi), String(lo)],
        inRange: { color: ["#e6eef8", "#8fb3dd", "#4a7fc0"] }, outOfRange: { color: NO_DATA },
        textStyle: { color: "#5f6b7a", fontSize: 11 },
      };
    }
    return {
      type: "piecewise", seriesIndex: 0, orient: "horizontal", left: 8, bottom: 4, itemWidth: 12, itemHeight: 10,
      textStyle: { color: "#5f6b7a", fontSize: 11 },
      // Behind the plan to date: red under 80%, yellow to 100%; on or ahead of it, two greens, so
      // that a district just on plan and one far ahead do not look alike.
      pieces: [
        { gte: 120, label: "≥120%", color: "#74c08f" },
        { gte: 100, lt: 120, label: "100–120%", color: "#c2e5cd" },
        { gte: 80, lt: 100, label: "80–100%", color: "#f3d37a" },
        { lt: 80, label: "<80%", color: "#ef9a84" },
      ],
      outOfRange: { color: NO_DATA },
    };
  }

  // A geometry's box with a margin, as ECharts frames a view: [[west, north], [east, south]].
  function box(geometry) {
    var xs = [], ys = [];
    (function walk(c) {
      if (typeof c[0] === "number") { xs.push(c[0]); ys.push(c[1]); return; }
      c.forEach(walk);
    })(geometry.coordinates);
    var w = Math.min.apply(null, xs), e = Math.max.apply(null, xs);
    var s = Math.min.apply(null, ys), n = Math.max.apply(null, ys);
    var mx = (e - w) * 0.08, my = (n - s) * 0.08;
    return [[w - mx, n + my], [e + mx, s - my]];
  }

  function pointSize(plan, largest) {
    var v = number(plan) || 0;
    return largest > 0 ? 5 + 17 * Math.sqrt(v / largest) : 7;
  }

  function draw(el, payload, options) {
    var data = payload.data;
    var labels = payload.labels;
    options = options || {};
    return boundary(payload.boundary).then(function (geo) {
      var names = {};
      geo.features.forEach(function (f) { names[featureCode(f)] = (f.properties || {}).name; });
      var districts = {};
      data.districts.forEach(function (d) { districts[d.code] = d; });
      var largest = Math.max.apply(null, [0].concat(data.points.map(function (p) { return number(p.annual_plan) || 0; })));
      var only = data.districts.length === 1 ? geo.features.filter(function (f) { return featureCode(f) === data.districts[0].code; }) : [];
      var frame = only.length ? box(only[0].geometry) : undefined;
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "canvas" });
      var state = { by: "schedule_rate", district: null };

      function codeOf(name) {
        return Object.keys(names).filter(function (c) { return names[c] === name; })[0];
      }

      function regions() {
        return Object.keys(names).map(function (code) {
          var d = districts[code];
          var value = d ? number(state.by === "score" ? d.score : d.schedule_rate) : null;
          var chosen = state.district === code;
          return {
            name: names[code], code: code, value: value === null ? NaN : value,
            itemStyle: chosen ? { borderColor: "#1f2933", borderWidth: 2.5 } : undefined,
          };
        });
      }

      function points() {
        return data.points.filter(function (p) { return !state.district || p.district === state.district; }).map(function (p) {
          var card = p.card || "none";
          return {
            name: p.name, value: [p.drawn[0], p.drawn[1], number(p.annual_plan)], url: p.url, card: p.card, district: p.district,
            symbolSize: pointSize(p.annual_plan, largest) * (options.panel ? 0.75 : 1), itemStyle: { color: CARD[card], borderColor: "#fff", borderWidth: 1 },
          };
        });
      }

      function tooltip(params) {
        if (params.seriesType === "scatter") {
          var p = params.data;
          var card = p.card === "red" ? labels.red : p.card === "yellow" ? labels.yellow : labels.none;
          return esc(p.name) + "<br>" + esc(names[p.district] || "") + " · " + esc(card) + "<br>" +
            esc(labels.annual_plan + labels.colon + F.num2(p.value[2]) + " " + labels.wan) +
            (options.panel ? "" : "<br><span style=\"color:#5f6b7a\">" + esc(labels.click_point) + "</span>");
        }
        var d = districts[(params.data && params.data.code) || codeOf(params.name)];
        if (!d) return esc(params.name) + "<br>" + esc(labels.no_data);
        var lines = [esc(d.name), esc(labels.schedule_rate + labels.colon + F.pct(d.schedule_rate))];
        if (d.score !== null) lines.push(esc(labels.score + labels.colon + F.num2(d.score) + " · " + labels.rank + " " + d.rank));
        if (!options.panel) lines.push("<span style=\"color:#5f6b7a\">" + esc(labels.click_district) + "</span>");
        return lines.join("<br>");
      }

      function render() {
        var regionData = regions();
        chart.setOption({
          animation: false,
          tooltip: { trigger: "item", confine: true, formatter: tooltip },
          visualMap: visualMap(state.by, labels, regionData.map(function (r) { return isNaN(r.value) ? null : r.value; })),
          geo: {
            map: MAP, roam: !options.panel, scaleLimit: { min: 1, max: 8 },
            // A user who sees one district only (its officer) gets the map framed on it.
            boundingCoords: frame,
            // The map keeps its own shape: leave room for the legend below it.
            top: 8, bottom: 32, left: 8, right: 8,
            label: { show: !options.small, color: "#1f2933", fontSize: 11 },
            itemStyle: { borderColor: "#ffffff", borderWidth: 1, areaColor: NO_DATA },
            // A neutral hover colour: ECharts' default yellow would read as one of the legend's bands.
            emphasis: { label: { show: true }, itemStyle: { areaColor: "#c9d3df", borderColor: "#1f2933", borderWidth: 1.5 } },
            tooltip: { show: true },
            select: { disabled: true },
            regions: regionData.filter(function (r) { return r.itemStyle; }).map(function (r) {
              return { name: r.name, itemStyle: r.itemStyle };
            }),
          },
          series: [
            { type: "map", geoIndex: 0, data: regionData },
            { type: "scatter", coordinateSystem: "geo", data: points(), cursor: "pointer", zlevel: 1, emphasis: { scale: 1.4 } },
          ],
        }, { replaceMerge: ["series", "visualMap"] });
        el.setAttribute("data-districts", String(geo.features.length));
        el.setAttribute("data-points", String(points().length));
        el.setAttribute("data-district", state.district || "");
        if (options.onFilter) options.onFilter(state.district, names[state.district]);
      }

      chart.on("click", function (params) {
        if (options.panel) {
          if (options.href) window.location.href = options.href;
          return;
        }
        if (params.seriesType === "scatter") {
          if (params.data && params.data.url) window.location.href = params.data.url;
          return;
        }
        var code = (params.data && params.data.code) || codeOf(params.name);
        if (code) {
          state.district = state.district === code ? null : code;
          render();
        }
      });

      render();
      window.addEventListener("resize", function () { chart.resize(); });
      return {
        chart: chart,
        colourBy: function (by) { state.by = by; render(); },
        filter: function (code) { state.district = code || null; render(); },
        names: names,
      };
    });
  }

  // The map page: the switch, the list beside the map, the district buttons.
  var source = document.getElementById("map-data");
  var el = document.getElementById("city-map");
  if (source && el) {
    var payload = JSON.parse(source.textContent);
    var list = document.getElementById("map-projects");
    var title = document.getElementById("map-list-title");
    var count = document.getElementById("map-list-count");
    var back = document.getElementById("map-back");
    var allTitle = title ? title.textContent : "";
    var shown = function (code, name) {
      var n = 0;
      if (list) {
        Array.prototype.forEach.call(list.children, function (li) {
          var keep = !code || li.getAttribute("data-district") === code;
          li.hidden = !keep;
          if (keep) n += 1;
        });
      }
      if (title) title.textContent = code ? (name || code) : allTitle;
      if (count) count.textContent = n + payload.labels.projects;
      if (back) back.hidden = !code;
      document.querySelectorAll("#map-districts [data-district]").forEach(function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-district") === code ? "true" : "false");
      });
    };
    draw(el, payload, { onFilter: shown }).then(function (map) {
      document.querySelectorAll("input[name=colour-by]").forEach(function (input) {
        input.addEventListener("change", function () { if (input.checked) map.colourBy(input.value); });
      });
      if (back) back.addEventListener("click", function () { map.filter(null); });
      document.querySelectorAll("#map-districts [data-district]").forEach(function (b) {
        b.addEventListener("click", function () {
          var code = b.getAttribute("data-district");
          map.filter(el.getAttribute("data-district") === code ? null : code);
        });
      });
    });
  }

  // The home page's panel: fetched, drawn small, a click opens the map page.
  document.querySelectorAll(".city-map[data-src]").forEach(function (panel) {
    var labelsNode = document.getElementById("map-labels");
    var labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
    fetch(panel.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("map " + r.status); return r.json(); })
      .then(function (data) {
        return draw(panel, { data: data, labels: labels, boundary: panel.getAttribute("data-boundary") },
          { panel: true, small: panel.clientWidth < 360, href: panel.getAttribute("data-href") });
      })
      .catch(function () { panel.setAttribute("data-failed", "1"); });
  });
})();
