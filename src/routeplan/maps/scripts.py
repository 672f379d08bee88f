"""JavaScript the maps share, as text: spreading coincident markers apart ("spiderfy").

Plain Leaflet, no plugin: the functions are written once into a map's page by
:class:`routeplan.maps.today.Declutter` (or the day tabs) and called on every zoom.
"""

from __future__ import annotations

DECLUTTER_JS = """
window.rpDeclutter = window.rpDeclutter || function(map, markers, minPx, frame) {
    // Markers closer than minPx on screen are put on a small circle around their centre,
    // each with a thin leader line to where it really is; others go back to their place.
    if (!map._rpLeaders) { map._rpLeaders = L.layerGroup().addTo(map); }
    map._rpLeaders.clearLayers();
    var points = [];
    markers.forEach(function(m) {
        if (!m._rpHome) { m._rpHome = m.getLatLng(); }
        if (map.hasLayer(m)) {
            points.push({m: m, p: map.latLngToContainerPoint(m._rpHome)});
        } else {
            m.setLatLng(m._rpHome);
        }
    });
    // Union-find: markers overlapping on screen (closer than minPx on both axes) form a
    // group; a group is spread on a circle; if spread groups then overlap others, they are
    // merged and spread again (a few rounds).
    var parent = points.map(function(_o, i) { return i; });
    var root = function(i) {
        while (parent[i] !== i) { i = parent[i] = parent[parent[i]]; }
        return i;
    };
    var near = function(a, b) {
        return Math.abs(a.x - b.x) < minPx && Math.abs(a.y - b.y) < minPx;
    };
    var join = function(where) {
        var changed = false;
        for (var i = 0; i < points.length; i++) {
            for (var j = i + 1; j < points.length; j++) {
                if (root(i) !== root(j) && near(where[i], where[j])) {
                    parent[root(j)] = root(i);
                    changed = true;
                }
            }
        }
        return changed;
    };
    var spread = function() {
        var groups = {};
        points.forEach(function(o, i) { (groups[root(i)] = groups[root(i)] || []).push(i); });
        var where = points.map(function(o) { return o.p; });
        Object.keys(groups).forEach(function(key) {
            var members = groups[key];
            var n = members.length;
            if (n === 1) { return; }
            var cx = 0, cy = 0;
            members.forEach(function(i) { cx += points[i].p.x / n; cy += points[i].p.y / n; });
            var radius = Math.max(minPx, (minPx * 1.42 + 2) / (2 * Math.sin(Math.PI / n)));
            // Keep the circle inside the visible frame [left, top, right, bottom] when given.
            var box = frame ? frame() : null;
            if (box) {
                var half = radius + minPx / 2;
                cx = Math.min(Math.max(cx, box[0] + half), Math.max(box[2] - half, box[0] + half));
                cy = Math.min(Math.max(cy, box[1] + half), Math.max(box[3] - half, box[1] + half));
            }
            members.forEach(function(i, k) {
                var angle = -Math.PI / 2 + 2 * Math.PI * k / n;
                where[i] = L.point(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
            });
        });
        return where;
    };
    join(points.map(function(o) { return o.p; }));
    var where = spread();
    for (var round = 0; round < 6 && join(where); round++) { where = spread(); }
    points.forEach(function(o, i) {
        var origin = o.m._rpHome;
        if (where[i] === o.p) { o.m.setLatLng(origin); return; }
        var spot = map.containerPointToLatLng(where[i]);
        o.m.setLatLng(spot);
        L.polyline([origin, spot], {
            color: '#222', weight: 1.5, opacity: 0.8, interactive: false
        }).addTo(map._rpLeaders);
        L.circleMarker(origin, {
            radius: 3, color: '#222', weight: 1, fillOpacity: 1, interactive: false
        }).addTo(map._rpLeaders);
    });
};
"""
"""``rpDeclutter(map, markers, minPx, frame)``: spread markers closer than ``minPx`` pixels;
``frame()`` (optional) gives the visible ``[left, top, right, bottom]`` to keep them in."""
