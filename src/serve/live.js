// fixbook serve: live reload. Injected by `fixbook serve` into the pages it
// serves (never into `fixbook build` output). Listens for Server-Sent Events
// and reloads this page when the server says it changed, keeping the scroll
// position; shows the error overlay when the latest build failed.
(function () {
  "use strict";
  var me = document.currentScript;
  var page = me.getAttribute("data-page");
  var token = me.getAttribute("data-token");
  var key = "fixbook-serve-scroll:" + location.pathname;

  try {
    var saved = sessionStorage.getItem(key);
    if (saved) {
      sessionStorage.removeItem(key);
      var xy = JSON.parse(saved);
      var restore = function () { window.scrollTo(xy[0], xy[1]); };
      restore();
      window.addEventListener("load", restore);
    }
  } catch (e) { /* storage may be disabled; reloading still works */ }

  var overlay = document.getElementById("fixbook-serve-overlay");
  if (overlay) {
    // Styled from script (CSSOM), so a strict style-src policy cannot hide it.
    var s = overlay.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.maxHeight = "60vh";
    s.overflow = "auto"; s.zIndex = "2147483647"; s.margin = "0"; s.padding = "1em 1.5em";
    s.background = "#1e1e1e"; s.color = "#f3f3f3"; s.borderTop = "4px solid #e5484d";
    s.font = "14px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
    var pre = overlay.querySelector("pre");
    if (pre) { pre.style.whiteSpace = "pre-wrap"; pre.style.margin = "0.5em 0 0"; }
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssFloat = "right";
    close.addEventListener("click", function () { overlay.hidden = true; overlay.style.display = "none"; });
    overlay.insertBefore(close, overlay.firstChild);
  }

  function reload() {
    try { sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY])); } catch (e) {}
    location.reload();
  }

  var delay = 500;
  function connect() {
    var url = "/__fixbook/events?page=" + encodeURIComponent(page) + "&token=" + encodeURIComponent(token);
    var events = new EventSource(url);
    events.addEventListener("ready", function () { delay = 500; });
    events.addEventListener("reload", function () { events.close(); reload(); });
    events.onerror = function () {
      // EventSource retries by itself while CONNECTING; once CLOSED, retry here.
      if (events.readyState === 2) {
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 5000);
      }
    };
  }
  connect();
})();
