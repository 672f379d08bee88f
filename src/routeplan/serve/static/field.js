// routeplan field app, the rep's phone page: map, check-in, outcome, re-plan, offline queue.
// Writes go to a queue in localStorage first and are sent when online; each carries its own
// idempotency key, so a replay after a dropped connection never records a visit twice.
(function () {
  "use strict";
  var app = document.getElementById("app");
  if (!app) { return; }
  var plan = JSON.parse(app.getAttribute("data-plan"));
  var T = JSON.parse(app.getAttribute("data-labels"));
  var csrf = plan.csrf;
  var QUEUE = "rp-queue-" + plan.rep_id;
  var CHECKIN = "rp-checkin-" + plan.rep_id + "-" + plan.date + "-";
  var flushing = false;

  function $(sel, root) { return (root || document).querySelector(sel); }
  function toast(text) {
    var el = $("#toast");
    el.textContent = text; el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { el.hidden = true; }, 3500);
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var a = new Uint32Array(4); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (n) { return n.toString(16); }).join("-");
  }
  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(queue) {
    localStorage.setItem(QUEUE, JSON.stringify(queue));
    $("#queue-count").textContent = String(queue.length);
    $("#queue").hidden = queue.length === 0;
  }
  function distanceM(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, dp = (lat2 - lat1) * r, dl = (lon2 - lon1) * r;
    var a = Math.sin(dp / 2) * Math.sin(dp / 2) +
      Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * 6371008.8 * Math.asin(Math.sqrt(Math.min(1, a)));
  }
  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(
        function (p) { resolve({ lat: p.coords.latitude, lon: p.coords.longitude }); },
        function () { resolve(null); },
        { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
    });
  }
  function stopOf(clientId) {
    for (var i = 0; i < plan.stops.length; i++) {
      if (plan.stops[i].client_id === clientId) { return plan.stops[i]; }
    }
    return null;
  }
  function cardOf(clientId) {
    var cards = document.querySelectorAll(".stop");
    for (var i = 0; i < cards.length; i++) {
      if (cards[i].getAttribute("data-client") === clientId) { return cards[i]; }
    }
    return null;
  }
  function setNet() {
    var el = $("#net"); var on = navigator.onLine !== false;
    el.textContent = on ? el.getAttribute("data-online") : el.getAttribute("data-offline");
    el.classList.toggle("off", !on);
  }

  // ------------------------------------------------------------------ sending the queue
  function send(item) {
    return fetch("/api/v1/visits", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf,
                 "Idempotency-Key": item.key },
      body: JSON.stringify(item.body)
    });
  }
  function flush() {
    if (flushing) { return Promise.resolve(); }
    var queue = loadQueue();
    if (!queue.length) { return Promise.resolve(); }
    flushing = true;
    var item = queue[0];
    return send(item).then(function (response) {
      if (response.status === 401 || response.status === 429 || response.status >= 500) {
        throw new Error("retry later");
      }
      var rest = loadQueue().filter(function (q) { return q.key !== item.key; });
      saveQueue(rest);
      if (response.ok) { toast(T.sent); }
      else { return response.json().then(function (j) { toast(T.error + ": " + j.detail); }); }
    }).then(function () { flushing = false; return flush(); }, function () {
      flushing = false; toast(T.queued);
    });
  }
  function enqueue(body) {
    var queue = loadQueue();
    queue.push({ key: body.client_key, body: body });
    saveQueue(queue);
    return flush();
  }

  // ------------------------------------------------------------------ the map
  // Leaflet (served by the app, cached by the service worker, so it works offline) with the
  // day's route, numbered pins coloured by state and the home; tiles when there is signal.
  // Without Leaflet on the server, a sketch of the same route in SVG.
  var pins = {};
  function routePoints() {
    var home = plan.home ? [plan.home] : [];
    return home.concat(plan.stops.map(function (s) { return [s.lat, s.lon]; })).concat(home);
  }
  function pinClass(status) { return "rp-pin" + (status === "open" ? "" : " " + status); }
  function leafletMap(el) {
    var map = L.map(el, { zoomSnap: 0.5, tap: true });
    L.tileLayer(el.getAttribute("data-tiles"), {
      maxZoom: 19, attribution: el.getAttribute("data-attribution")
    }).addTo(map);
    L.polyline(routePoints(), { color: "#1f4e79", weight: 4, opacity: 0.8 }).addTo(map);
    if (plan.home) {
      var house = document.createElement("span"); house.className = "rp-home";
      L.marker(plan.home, { icon: L.divIcon({ className: "", html: house, iconSize: [22, 22] }),
                            interactive: false, keyboard: false }).addTo(map);
    }
    plan.stops.forEach(function (s) {
      var pin = document.createElement("span");
      pin.className = pinClass(s.status); pin.textContent = String(s.seq);
      pin.setAttribute("data-client", s.client_id);
      var marker = L.marker([s.lat, s.lon], {
        icon: L.divIcon({ className: "", html: pin, iconSize: [30, 30] }), title: s.name
      }).addTo(map);
      marker.on("click", function () {
        var card = cardOf(s.client_id);
        if (card) { card.scrollIntoView({ behavior: "smooth", block: "center" }); }
      });
      pins[s.client_id] = pin;
    });
    map.fitBounds(L.latLngBounds(routePoints()), { padding: [28, 28], maxZoom: 16 });
    el.setAttribute("data-ready", "leaflet");
  }
  function sketchMap(el) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 300 200"); svg.setAttribute("class", "sketch");
    el.appendChild(svg);
    var pts = routePoints();
    var lats = pts.map(function (p) { return p[0]; }), lons = pts.map(function (p) { return p[1]; });
    var minLat = Math.min.apply(null, lats), maxLat = Math.max.apply(null, lats);
    var minLon = Math.min.apply(null, lons), maxLon = Math.max.apply(null, lons);
    var kx = Math.cos((minLat + maxLat) / 2 * Math.PI / 180);
    var w = Math.max((maxLon - minLon) * kx, 1e-4), h = Math.max(maxLat - minLat, 1e-4);
    var scale = Math.min(280 / w, 180 / h);
    function xy(p) {
      return [10 + ((p[1] - minLon) * kx) * scale + (280 - w * scale) / 2,
              190 - (p[0] - minLat) * scale - (180 - h * scale) / 2];
    }
    var line = document.createElementNS(ns, "polyline");
    line.setAttribute("class", "leg");
    line.setAttribute("points", pts.map(function (p) { return xy(p).join(","); }).join(" "));
    svg.appendChild(line);
    plan.stops.forEach(function (s) {
      var p = xy([s.lat, s.lon]);
      var c = document.createElementNS(ns, "circle");
      c.setAttribute("cx", p[0]); c.setAttribute("cy", p[1]); c.setAttribute("r", 8);
      c.setAttribute("class", "pin " + (s.status === "open" ? "" : s.status));
      var label = document.createElementNS(ns, "text");
      label.setAttribute("x", p[0]); label.setAttribute("y", p[1]);
      label.textContent = String(s.seq);
      svg.appendChild(c); svg.appendChild(label);
      pins[s.client_id] = c;
    });
    el.setAttribute("data-ready", "sketch");
  }
  function drawMap() {
    var el = $("#map"); if (!el) { return; }
    if (window.L) { leafletMap(el); } else { sketchMap(el); }
  }
  function setPin(clientId, status) {
    var pin = pins[clientId]; if (!pin) { return; }
    var name = pin.tagName.toLowerCase() === "circle" ? "pin " + status : pinClass(status);
    pin.setAttribute("class", name);
  }

  // ------------------------------------------------------------------ check-in and outcome
  function showCheckin(li, info) {
    var el = $("[data-role=checkin]", li);
    var when = new Date(info.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    var where = info.distance_m === null ? T.no_position :
      T.distance_to_client + ": " + (info.distance_m < 1000 ? Math.round(info.distance_m) + " m"
        : (info.distance_m / 1000).toLocaleString([], { maximumFractionDigits: 1 }) + " km");
    el.textContent = T.checked_in + " " + when + " · " + where;
    el.hidden = false;
    $("[data-role=outcome]", li).hidden = false;
  }
  function checkIn(li) {
    var stop = stopOf(li.getAttribute("data-client"));
    var at = new Date().toISOString();
    return position().then(function (pos) {
      var info = { at: at, lat: pos ? pos.lat : null, lon: pos ? pos.lon : null,
                   distance_m: pos ? distanceM(pos.lat, pos.lon, stop.lat, stop.lon) : null };
      localStorage.setItem(CHECKIN + stop.client_id, JSON.stringify(info));
      showCheckin(li, info);
    });
  }
  function markStop(li, status) {
    li.setAttribute("data-status", status === "done" ? "done" : "missed");
    $("[data-role=state]", li).textContent = status === "done" ? T.status_done : T.status_missed;
    $("[data-role=outcome]", li).hidden = true;
    setPin(li.getAttribute("data-client"), status === "done" ? "done" : "missed");
  }
  function submitOutcome(li, form) {
    var clientId = li.getAttribute("data-client");
    var info = JSON.parse(localStorage.getItem(CHECKIN + clientId) || "null") || {};
    var data = new FormData(form);
    var reason = data.get("reason");
    var reasonText = reason ? T["reason_" + reason] : "";
    var note = [reasonText, (data.get("note") || "").trim()].filter(Boolean).join(" · ");
    var value = data.get("order_value");
    var body = {
      client_key: newKey(), client_id: clientId, date: plan.date, status: data.get("status"),
      checked_in_at: info.at || null, checked_out_at: new Date().toISOString(),
      lat: info.lat === undefined ? null : info.lat, lon: info.lon === undefined ? null : info.lon,
      note: note, order_value: value === "" || value === null ? null : Number(value)
    };
    markStop(li, body.status);
    return enqueue(body);
  }

  // ------------------------------------------------------------------ re-plan
  function hhmm(date) {
    return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
  }
  function showReplan(result) {
    var box = $("#replan-result"); box.textContent = ""; box.hidden = false;
    var h = document.createElement("h2");
    box.appendChild(h);
    if (!result.stops.length && !result.dropped.length) { h.textContent = T.replan_none; return; }
    h.textContent = T.replan_result;
    var ol = document.createElement("ol"); ol.id = "replan-stops";
    var lunchDue = !!result.lunch;  // shown before the first stop that starts after it
    document.querySelectorAll("#stops > .lunch").forEach(function (li) { li.remove(); });
    function placeLunch() {
      [[ol, "replan-lunch"], [$("#stops"), "lunch"]].forEach(function (where) {
        var li = document.createElement("li"); li.className = "lunch";
        li.setAttribute("data-role", where[1]);
        li.setAttribute("data-start", result.lunch.start);
        li.setAttribute("data-end", result.lunch.end);
        li.textContent = T.lunch + " · " + result.lunch.start + "–" + result.lunch.end;
        where[0].appendChild(li);
      });
      lunchDue = false;
    }
    result.stops.forEach(function (s) {
      if (lunchDue && result.lunch.start < s.start) { placeLunch(); }
      var li = document.createElement("li"); li.setAttribute("data-client", s.client_id);
      li.setAttribute("data-start", s.start); li.textContent = s.start + " · " + s.name; ol.appendChild(li);
      var card = cardOf(s.client_id);
      if (card) { $("#stops").appendChild(card); $(".seq", card).textContent = String(s.seq); }
    });
    if (lunchDue) { placeLunch(); }
    box.appendChild(ol);
    if (result.dropped.length) {
      var h3 = document.createElement("h2"); h3.textContent = T.replan_dropped; box.appendChild(h3);
      var ul = document.createElement("ul"); ul.id = "replan-dropped";
      result.dropped.forEach(function (d) {
        var li = document.createElement("li"); li.setAttribute("data-client", d.client_id);
        li.textContent = d.name + " — " + d.label; ul.appendChild(li);
        var card = cardOf(d.client_id);
        if (card) { markStop(card, "missed"); $("#stops").appendChild(card); }  // after the plan
      });
      box.appendChild(ul);
    }
  }
  function replan() {
    var button = $("#replan"); button.disabled = true;
    return position().then(function (pos) {
      var here = pos || (plan.home ? { lat: plan.home[0], lon: plan.home[1] } : null);
      return fetch("/api/v1/weeks/" + plan.week + "/reps/" + encodeURIComponent(plan.rep_id) +
        "/replan", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ lat: here.lat, lon: here.lon, time: hhmm(new Date()),
                               date: plan.date })
      });
    }).then(function (response) {
      return response.json().then(function (j) {
        if (!response.ok) { throw new Error(j.detail); }
        showReplan(j);
      });
    }).catch(function (e) { toast(T.error + ": " + e.message); })
      .then(function () { button.disabled = false; });
  }

  // ------------------------------------------------------------------ wiring
  document.querySelectorAll(".stop").forEach(function (li) {
    $("[data-action=checkin]", li).addEventListener("click", function () { checkIn(li); });
    $("[data-role=outcome]", li).addEventListener("submit", function (event) {
      event.preventDefault(); submitOutcome(li, event.target);
    });
    var saved = localStorage.getItem(CHECKIN + li.getAttribute("data-client"));
    if (saved && li.getAttribute("data-status") === "open") { showCheckin(li, JSON.parse(saved)); }
  });
  loadQueue().forEach(function (item) {
    var li = cardOf(item.body.client_id);
    if (li && item.body.date === plan.date) { markStop(li, item.body.status); }
  });
  var signout = document.querySelector("form.signout");
  if (signout) {  // unsent visits are deleted with everything else: try to send them first
    signout.addEventListener("submit", function (event) {
      event.preventDefault();
      flush().then(function () {
        if (loadQueue().length && !window.confirm(T.signout_unsent)) { return; }
        signout.submit();
      });
    });
  }
  var replanButton = $("#replan");
  if (replanButton) { replanButton.addEventListener("click", replan); }
  window.addEventListener("online", function () { setNet(); flush(); });
  window.addEventListener("offline", setNet);
  setInterval(flush, 15000);
  setNet(); saveQueue(loadQueue()); drawMap(); flush();
  if ("serviceWorker" in navigator) { navigator.serviceWorker.register("/sw.js").catch(function () {}); }
  window.routeplanField = { flush: flush, queue: loadQueue };
})();
