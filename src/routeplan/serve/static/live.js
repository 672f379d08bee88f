// Managers' live page: the zones map of the week (coloured by progress) and a reload every
// N seconds while visible.
(function () {
  "use strict";
  var el = document.getElementById("live");
  var seconds = el ? parseInt(el.getAttribute("data-refresh"), 10) || 30 : 30;

  function tooltip(p, labels) {
    var box = document.createElement("div");
    var title = document.createElement("b"); title.textContent = p.zone; box.appendChild(title);
    var line = document.createElement("div");
    line.textContent = p.progress_pct === null ? labels.no_plan :
      labels.progress.replace("{done}", String(p.done)).replace("{planned}", String(p.planned)) +
      " (" + Math.round(p.progress_pct) + " %)";
    box.appendChild(line);
    return box;
  }
  function legend(box, rows) {
    var list = document.getElementById("zones-legend");
    rows.forEach(function (row) {
      var li = document.createElement("li");
      var swatch = document.createElement("span"); swatch.className = "swatch";
      swatch.style.background = row.colour;
      li.appendChild(swatch); li.appendChild(document.createTextNode(row.label));
      list.appendChild(li);
    });
  }
  function zonesMap() {
    var box = document.getElementById("zones-map");
    if (!box || !window.L) { if (box) { box.hidden = true; } return; }
    var labels = JSON.parse(box.getAttribute("data-labels"));
    legend(box, JSON.parse(box.getAttribute("data-legend")));
    var map = L.map(box, { zoomSnap: 0.5 });
    L.tileLayer(box.getAttribute("data-tiles"), {
      maxZoom: 19, attribution: box.getAttribute("data-attribution")
    }).addTo(map);
    fetch("/api/v1/weeks/" + box.getAttribute("data-week") + "/zones", {
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      var layer = L.geoJSON(data, {
        style: function (f) {
          return { color: "#37474f", weight: 1.5, fillColor: f.properties.colour,
                   fillOpacity: 0.6 };
        },
        onEachFeature: function (f, shape) {
          shape.bindTooltip(tooltip(f.properties, labels), { sticky: true });
          shape.on("add", function () {
            var path = shape.getElement && shape.getElement();
            if (path) { path.setAttribute("data-zone", f.properties.zone); }
          });
        }
      }).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [12, 12] }); }
      else { map.setView([0, 0], 1); }
      box.setAttribute("data-ready", String(data.features.length));
    }).catch(function () { box.setAttribute("data-ready", "error"); });
  }
  zonesMap();
  setInterval(function () {
    if (document.visibilityState === "visible" && navigator.onLine !== false) {
      window.location.reload();
    }
  }, seconds * 1000);
})();
