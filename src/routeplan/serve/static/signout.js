// Signed out: nothing of this person stays on the phone for the next one.
// The sign-out response already sends Clear-Site-Data; this does the same where a browser
// ignores that header: every service-worker cache (the cached /today page and assets) and
// every routeplan key of localStorage (the queue of unsent visits, the check-ins).
(function () {
  "use strict";
  var done = [];
  if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
    done.push(navigator.serviceWorker.getRegistrations().then(function (all) {
      return Promise.all(all.map(function (registration) { return registration.unregister(); }));
    }));
  }
  if (window.caches && caches.keys) {
    done.push(caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }));
  }
  try {
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf("rp-") === 0) { keys.push(key); }
    }
    keys.forEach(function (key) { localStorage.removeItem(key); });
  } catch (e) { /* storage disabled: nothing was kept */ }
  Promise.all(done).then(function () {
    document.documentElement.setAttribute("data-cleared", "1");
  });
})();
