// Places on a map (Leaflet, vendored): Germany's outline, circle markers, tiles only when a tile URL
// is configured. The list under the map carries the same places and works without this. Markers are
// free orders (kind, distance) or carry their own `label`, `href` and `colour` (counseling centres).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("map");
    var source = document.getElementById("map-data");
    if (!element || !source || !window.L) { return; }
    var data = JSON.parse(source.textContent);
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false, fadeAnimation: false, zoomAnimation: false, markerZoomAnimation: false });
    if (data.tileUrl) { L.tileLayer(data.tileUrl, { attribution: data.attribution, maxZoom: 18 }).addTo(map); }
    fetch("/static/vendor/germany.geojson").then(function (r) { return r.json(); }).then(function (outline) {
      L.geoJSON(outline, { interactive: false, style: { color: "#4a4a4a", weight: 1, fillColor: "#eef3f8", fillOpacity: data.tileUrl ? 0 : 1 } })
        .addTo(map).bringToBack();
    });
    var markers = {};
    var bounds = [];
    data.markers.forEach(function (m) {
      var colour = m.colour || (m.kind === "one_time" ? "#1b6e2d" : "#b35900");
      var marker = L.circleMarker([m.lat, m.lon], { radius: 10, color: "#000", weight: 1, fillColor: colour, fillOpacity: 0.9 });
      var label = m.label || ((data.labels[m.kind] || m.kind) + ", " + data.labels.km.replace("{km}", m.distance.toFixed(1).replace(".", data.decimal)));
      var link = document.createElement("a");
      link.href = m.href || "#order-" + m.id;
      link.textContent = label;
      marker.bindPopup(link);
      marker.addTo(map);
      markers[m.id] = marker;
      bounds.push([m.lat, m.lon]);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 11 }); } else { map.setView([51.2, 10.4], 6); }
    Array.prototype.forEach.call(document.querySelectorAll(".show-on-map"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var marker = markers[button.getAttribute("data-marker") || button.getAttribute("data-order")];
        if (!marker) { return; }
        element.scrollIntoView({ block: "center" });
        map.setView(marker.getLatLng(), 11);
        marker.openPopup();
      });
    });
  });
}());
