// The facilitator screen: ask for the results twice a second, swap them in when they changed.
// Without this script the page reloads itself (meta refresh) and has a reload link.
(function () {
  "use strict";
  var screen = document.querySelector("[data-live]");
  if (!screen) { return; }
  var target = document.getElementById("live-results");
  var version = screen.getAttribute("data-version");
  function typing() {
    var active = document.activeElement;
    return active && target.contains(active) && (active.tagName === "TEXTAREA" || active.tagName === "INPUT");
  }
  function poll() {
    fetch(screen.getAttribute("data-live"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && String(data.version) !== version && !typing()) {
          version = String(data.version);
          target.innerHTML = data.html;
          screen.setAttribute("data-version", version);
        }
      })
      .catch(function () { /* the next poll tries again */ })
      .finally(function () { window.setTimeout(poll, 500); });
  }
  window.setTimeout(poll, 500);
}());
