// Service worker of the field app: the page shell stays available offline.
// Network first; the last good copy of a page or asset is used when offline.
// API calls are never cached: writes wait in the page's queue (field.js).
// Sign-out empties this cache (Clear-Site-Data, and signout.js): nothing of one person's
// day is left for the next person on the phone.
var CACHE = "routeplan-field-v2";
var SHELL = ["/today", "/static/app.css", "/static/field.js"];
var MAP = ["/static/leaflet/leaflet.js", "/static/leaflet/leaflet.css"];  // when served
var NEVER = ["/", "/signin", "/signed-out", "/static/signout.js"];  // nor what they load
function cacheable(event, url) {
  if (NEVER.indexOf(url.pathname) >= 0) { return Promise.resolve(false); }
  if (!event.clientId) { return Promise.resolve(true); }
  return self.clients.get(event.clientId).then(function (page) {
    return !page || NEVER.indexOf(new URL(page.url).pathname) < 0;
  });
}
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL).then(function () {
      return Promise.all(MAP.map(function (url) {
        return cache.add(url).catch(function () { /* no map assets on this server */ });
      }));
    });
  }));
  self.skipWaiting();
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin ||
      url.pathname.indexOf("/api/") === 0) {
    return;
  }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      cacheable(event, url).then(function (keep) {
        if (keep) { return caches.open(CACHE).then(function (cache) { cache.put(request, copy); }); }
      });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (hit) {
      return hit || new Response("offline", { status: 503 });
    });
  }));
});
