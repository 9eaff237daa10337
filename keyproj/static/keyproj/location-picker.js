/* The project page's location block: a small map of the project's district (the whole city when the
   district is not in the boundary file) with the project's point. Whoever may set the point clicks
   the map: the point, in the boundary's coordinate system, is posted to the location endpoint, which
   stores it (WGS-84) or answers why not; the block shows either. Settings in json_script
   "location-data"; nothing inline. The map says what it holds in data-point ("lng,lat" as drawn). */
(function () {
  "use strict";

  var source = document.getElementById("location-data");
  var el = document.getElementById("location-map");
  if (!source || !el) return;
  var cfg = JSON.parse(source.textContent);
  var labels = cfg.labels;
  var status = document.getElementById("location-status");
  // The stored point among the project's facts (坐标), rewritten when a new one is stored.
  var now = document.querySelector("#project-point .point-text");
  var form = document.getElementById("location-form");
  var MAP = "keyproj-district-" + cfg.district;

  // ECharts may already be on the page (the months chart loads it); otherwise it is loaded once here.
  // Loading a second copy while the page's own is still on its way would replace window.echarts,
  // and the page's other charts would no longer be known to it: wait for the page to load first.
  function withEcharts(fn) {
    if (window.echarts) { fn(); return; }
    window.addEventListener("load", function () {
      if (window.echarts) { fn(); return; }
      var script = document.createElement("script");
      script.src = cfg.echarts;
      script.onload = fn;
      document.head.appendChild(script);
    });
  }

  function say(text, kind) {
    if (!status) return;
    status.textContent = text;
    status.className = "location-status" + (kind ? " " + kind : "");
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function csrf() {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // A geometry's box with a margin around it, as ECharts frames a view: [[west, north], [east, south]].
  function box(geometry) {
    var xs = [], ys = [];
    (function walk(c) {
      if (typeof c[0] === "number") { xs.push(c[0]); ys.push(c[1]); return; }
      c.forEach(walk);
    })(geometry.coordinates);
    var w = Math.min.apply(null, xs), e = Math.max.apply(null, xs);
    var s = Math.min.apply(null, ys), n = Math.max.apply(null, ys);
    var mx = (e - w) * 0.12, my = (n - s) * 0.12;
    return [[w - mx, n + my], [e + mx, s - my]];
  }

  function start(geo) {
    // The whole city is drawn, so that the sea and the neighbours show where a point may not go;
    // the view is framed on the project's district, which stands out from the others.
    var own = geo.features.filter(function (f) { return String(f.id) === String(cfg.district); });
    echarts.registerMap(MAP, geo);
    var frame = own.length ? box(own[0].geometry) : null;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var point = cfg.drawn;

    function draw() {
      chart.setOption({
        animation: false,
        backgroundColor: "#eef4fa",  // the sea
        geo: {
          map: MAP, roam: true, scaleLimit: { min: 0.5, max: 20 }, top: 8, bottom: 8, left: 8, right: 8,
          boundingCoords: frame || undefined,
          label: { show: true, color: "#5f6b7a", fontSize: 11 },
          itemStyle: { areaColor: "#e4e7eb", borderColor: "#aab3bf", borderWidth: 1 },
          regions: own.length ? [{
            name: (own[0].properties || {}).name,
            itemStyle: { areaColor: "#fdfdf8", borderColor: "#2f6fbf", borderWidth: 2 },
            label: { color: "#1c3f73", fontWeight: "bold" },
          }] : [],
          emphasis: { disabled: true },
          select: { disabled: true },
        },
        series: [{
          type: "scatter", coordinateSystem: "geo", symbol: "pin", symbolSize: 30,
          itemStyle: { color: "#d9363e" }, silent: true, name: labels.point,
          data: point ? [{ value: point }] : [],
        }],
      });
      el.setAttribute("data-point", point ? point.join(",") : "");
    }

    draw();
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
    if (!cfg.endpoint) return;
    el.style.cursor = "crosshair";

    // A click anywhere on the map (on land, in the sea) is a point: the server says whether it may stand.
    // A drag pans the map: only a click that did not move picks a point.
    var down = null;
    chart.getZr().on("mousedown", function (event) { down = [event.offsetX, event.offsetY]; });
    chart.getZr().on("click", function (event) {
      if (down && Math.hypot(event.offsetX - down[0], event.offsetY - down[1]) > 5) return;
      var at = chart.convertFromPixel({ geoIndex: 0 }, [event.offsetX, event.offsetY]);
      if (!at || !isFinite(at[0]) || !isFinite(at[1])) return;
      var lng = at[0].toFixed(6);
      var lat = at[1].toFixed(6);
      say(labels.saving, "");
      var body = new URLSearchParams({ lng: lng, lat: lat, crs: cfg.crs, version: String(cfg.version) });
      fetch(cfg.endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) {
            point = [Number(lng), Number(lat)];
            draw();
            var stored = { lng: answer.lng != null ? answer.lng : lng, lat: answer.lat != null ? answer.lat : lat };
            var text = fill(labels.saved, stored);
            say(text, "saved");
            if (answer.version != null) cfg.version = answer.version;
            if (now) now.textContent = stored.lng + ", " + stored.lat;
          } else {
            say(labels.refused + (answer.detail || answer.reason || answer.error || labels.failed), "refused");
          }
        });
      }).catch(function () { say(labels.failed, "refused"); });
    });
  }

  withEcharts(function () {
    fetch(cfg.boundary, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("boundary " + r.status); return r.json(); })
      .then(start)
      .catch(function () { el.setAttribute("data-failed", "1"); });
  });
})();
