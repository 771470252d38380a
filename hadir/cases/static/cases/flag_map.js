// The flag's fixes against the workplace geofence. Reads the data the page embeds
// (json_script "map-data"); tiles only when the server names a tile server, otherwise the
// fence and the points are drawn on a plain background.
(function () {
  "use strict";
  var box = document.getElementById("flag-map");
  var source = document.getElementById("map-data");
  if (!box || !source || typeof L === "undefined") return;
  var data = JSON.parse(source.textContent);
  var map = L.map(box, { zoomControl: true, attributionControl: true });
  var tiles = box.dataset.tileUrl;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: box.dataset.tileAttribution || "" }).addTo(map);
  } else {
    box.classList.add("no-tiles");
  }
  var layers = [];
  var bounds = L.latLngBounds([]);
  var colours = { accepted: "#1b7f3b", accepted_with_warnings: "#b26a00", rejected: "#b3261e" };
  // Frame the fixes and the fences they were judged against; another workplace of the
  // employee (a school 100 km away) is drawn but not framed.
  var framed = (data.fences || []).filter(function (item) {
    return item.used || !(data.points || []).length;
  });
  framed.forEach(function (item) {
    var f = item.geofence || {};
    if (f.type === "circle") bounds.extend(L.latLng(f.lat, f.lon).toBounds(f.radius_m * 2));
    if (f.type === "polygon" && f.ring) bounds.extend(L.latLngBounds(f.ring));
  });
  (data.points || []).forEach(function (p) { bounds.extend([p.lat, p.lon]); });
  if (bounds.isValid()) {
    map.fitBounds(bounds.pad(0.2), { maxZoom: 18 });
  } else {
    map.setView([-2.5, 118], 4);
  }
  (data.fences || []).forEach(function (item) {
    var fence = item.geofence || {};
    var shape = null;
    if (fence.type === "circle") {
      shape = L.circle([fence.lat, fence.lon], {
        radius: fence.radius_m, color: "#1f4e9c", weight: 2, fillOpacity: 0.08, className: "fence",
      });
    } else if (fence.type === "polygon" && fence.ring) {
      shape = L.polygon(fence.ring, {
        color: "#1f4e9c", weight: 2, fillOpacity: 0.08, className: "fence",
      });
    }
    if (shape) {
      shape.bindTooltip(item.name);
      shape.addTo(map);
      layers.push(shape);
    }
  });
  (data.points || []).forEach(function (p, index) {
    var colour = colours[p.outcome] || "#555";
    if (p.accuracy_m) {
      L.circle([p.lat, p.lon], {
        radius: p.accuracy_m, color: colour, weight: 1, dashArray: "3 3", fillOpacity: 0.05,
      }).addTo(map);
    }
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: 7, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 1,
      className: "fix fix-" + p.outcome,
    });
    marker.bindTooltip(String(index + 1) + ". " + p.kind + " " + p.at);
    marker.addTo(map);
    layers.push(marker);
  });
  box.dataset.ready = "1";
  box.dataset.points = String((data.points || []).length);
  box.dataset.fences = String((data.fences || []).length);
})();
