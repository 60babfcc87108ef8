// The chat and queue pages live: on every event of the page's stream the server-rendered part is
// fetched again; new messages of others (and, after the first, state changes) are announced in the
// live region. Progressive enhancement only: without this file the page is reloaded by hand.
(function () {
  "use strict";
  function numbers(root) {
    return Array.prototype.map.call(root.querySelectorAll("[data-seq]"), function (li) {
      return parseInt(li.getAttribute("data-seq"), 10);
    });
  }
  function announce(text) {
    var live = document.getElementById("chat-live");
    if (!live || !text) { return; }
    var line = document.createElement("p");
    line.textContent = text;
    live.appendChild(line);
    while (live.childNodes.length > 5) { live.removeChild(live.firstChild); }
  }
  function refresh(root, withState) {
    var seen = Math.max.apply(null, [0].concat(numbers(root)));
    fetch(root.getAttribute("data-chat-fragment"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var state = root.querySelector("[data-chat-state]");
        var before = state ? state.textContent.trim() : "";
        root.innerHTML = html;
        Array.prototype.forEach.call(root.querySelectorAll("[data-seq]"), function (li) {
          if (parseInt(li.getAttribute("data-seq"), 10) > seen && li.getAttribute("data-mine") !== "true") {
            var text = li.querySelector("[data-text]");
            announce(root.getAttribute("data-chat-new").replace("{text}", text ? text.textContent.trim() : ""));
          }
        });
        var now = root.querySelector("[data-chat-state]");
        if (withState && now && now.textContent.trim() !== before) { announce(now.textContent.replace(/\s+/g, " ").trim()); }
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-chat-events]");
    if (!root || !window.EventSource) { return; }
    var source = new EventSource(root.getAttribute("data-chat-events"), { withCredentials: true });
    var first = true;
    var pending = null;
    function later(withState) {
      if (pending) { return; }
      pending = window.setTimeout(function () { pending = null; refresh(root, withState); }, 50);
    }
    source.addEventListener("message", function () { later(false); });
    ["state", "queue"].forEach(function (kind) {
      source.addEventListener(kind, function () {
        if (first) { first = false; return; }
        later(true);
      });
    });
  });
}());
