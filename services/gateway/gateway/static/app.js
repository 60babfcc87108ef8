// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  function announce(text, regionId) {
    var status = document.getElementById(regionId || "status");
    if (status) { status.textContent = ""; window.setTimeout(function () { status.textContent = text; }, 50); }
  }
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }
  function connectEvents() {
    var url = document.body.getAttribute("data-events");
    if (!url || !window.EventSource) { return; }
    var source = new EventSource(url, { withCredentials: true });
    source.addEventListener("notification", function (event) {
      var data = {};
      try { data = JSON.parse(event.data); } catch (e) { return; }
      var badge = document.getElementById("badge");
      if (badge && typeof data.unread === "number") { badge.textContent = data.unread > 0 ? String(data.unread) : ""; }
      else if (badge) { badge.textContent = String((parseInt(badge.textContent, 10) || 0) + 1); }
      if (data.title) { announce(data.title, "live"); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusErrors();
    connectEvents();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.getAttribute("data-announce") !== null) { announce(target.textContent.trim()); }
  });
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js"); });
  }
}());
