// Story / entity map: country outlines from the vendored world-atlas TopoJSON, no tile server.
// Data comes from <script type="application/json" id="map-data"> (escaped by the server's |tojson);
// every name is shown as text (textContent), never as HTML.
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("map");
    var dataEl = document.getElementById("map-data");
    if (!el || !dataEl || !window.L || !window.topojson) return;
    var data = JSON.parse(dataEl.textContent);
    var places = data.places || [];
    var shaded = {};
    places.forEach(function (p) { if (p.country) shaded[p.country] = true; });
    var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 10, attributionControl: true, zoomSnap: 0.25 });
    map.attributionControl.setPrefix("");
    map.attributionControl.addAttribution("Outlines: Natural Earth via world-atlas");
    el.setAttribute("data-markers", "0");
    fetch(data.atlas, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (topo) {
        var countries = topojson.feature(topo, topo.objects.countries);
        L.geoJSON(countries, {
          interactive: false,
          style: function (f) {
            var on = shaded[f.id];
            return { color: "#5b6b7f", weight: 0.6, fillColor: on ? "#f2b84b" : "#e9eef3", fillOpacity: on ? 0.75 : 1 };
          },
        }).addTo(map);
      })
      .catch(function () { el.classList.add("map-no-outlines"); })
      .finally(function () { el.setAttribute("data-outlines", "1"); });
    var max = 1;
    places.forEach(function (p) { max = Math.max(max, p.documents || 1); });
    var markers = [];
    places.forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], {
        radius: 5 + 9 * Math.sqrt((p.documents || 1) / max),
        color: "#7a2e0e", weight: 1.5, fillColor: "#c0461b", fillOpacity: 0.8,
        className: "place-marker",
      });
      var label = document.createElement("span");
      label.textContent = p.name + " · " + (p.documents || 0) + " documents";
      m.bindTooltip(label);
      m.on("click", function () { if (p.entity_id) window.location.href = "/entities/" + encodeURIComponent(p.entity_id).replace(/%3A/g, ":"); });
      m.addTo(map);
      markers.push(m);
    });
    el.setAttribute("data-markers", String(markers.length));
    if (markers.length) {
      var bounds = L.featureGroup(markers).getBounds().pad(0.35);
      map.fitBounds(bounds, { maxZoom: 5 });
    } else {
      map.setView([20, 0], 1);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
