// Managers' live page: reload every N seconds while visible.
(function () {
  "use strict";
  var el = document.getElementById("live");
  var seconds = el ? parseInt(el.getAttribute("data-refresh"), 10) || 30 : 30;
  setInterval(function () {
    if (document.visibilityState === "visible" && navigator.onLine !== false) {
      window.location.reload();
    }
  }, seconds * 1000);
})();
