// The small maps of the leave page: a dinas luar destination's circle. Each .leave-map holds
// its point in data attributes; rows swapped in by htmx (after a decision) get theirs too.
// Tiles only when the server names a tile server; otherwise the circle on a plain background.
(function () {
  "use strict";

  function draw(box) {
    if (box.dataset.drawn || typeof L === "undefined") return;
    var lat = parseFloat(box.dataset.lat), lon = parseFloat(box.dataset.lon);
    var radius = parseFloat(box.dataset.radius) || 1000;
    if (!isFinite(lat) || !isFinite(lon)) return;
    box.dataset.drawn = "1";  // once, however often htmx announces the row
    var map = L.map(box, { zoomControl: true, attributionControl: true, scrollWheelZoom: false });
    // The view first: a layer joins a map only once the map has one.
    map.fitBounds(L.latLng(lat, lon).toBounds(radius * 2).pad(0.3));
    if (box.dataset.tileUrl) {
      L.tileLayer(box.dataset.tileUrl, {
        maxZoom: 19, attribution: box.dataset.tileAttribution || "",
      }).addTo(map);
    } else {
      box.classList.add("no-tiles");
    }
    var circle = L.circle([lat, lon], {
      radius: radius, color: "#1f4e9c", weight: 2, fillOpacity: 0.12, className: "destination",
    }).addTo(map);
    L.circleMarker([lat, lon], { radius: 4, color: "#1f4e9c", fillOpacity: 1 }).addTo(map);
    if (box.dataset.name) circle.bindTooltip(box.dataset.name);
    box.dataset.ready = "1";
  }

  function drawAll(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".leave-map").forEach(draw);
    if (root.classList && root.classList.contains("leave-map")) draw(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
