// Marks the page as scripted, so text that is true only with JavaScript (autosave) shows.
document.documentElement.classList.add("js");

// Browser Back and Forward load the page from the server instead of an htmx snapshot, so an
// answered card shows its saved attempt, never a stale form.
if (window.htmx) {
  htmx.config.historyCacheSize = 0;
  htmx.config.refreshOnHistoryMiss = true;
}

// Keyboard shortcuts: any visible element with data-shortcut="<key>" is clicked when that key is
// pressed outside a text field. In a text field, Ctrl/⌘+Enter clicks the [data-shortcut=" "] button.
(function () {
  function isTyping(el) {
    return el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable ||
      (el.tagName === "INPUT" && !["checkbox", "radio", "submit", "button"].includes(el.type)));
  }
  function target(key) {
    var found = document.querySelectorAll('[data-shortcut="' + key + '"]');
    for (var i = 0; i < found.length; i++) {
      if (found[i].offsetParent !== null) return found[i];
    }
    return null;
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.defaultPrevented) return;
    var el;
    if (isTyping(event.target)) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) el = target(" ");
    } else if (!event.ctrlKey && !event.metaKey) {
      // Space on a focused button or link keeps its own meaning.
      if (event.key === " " && ["BUTTON", "A"].includes(event.target.tagName)) return;
      el = target(event.key.toLowerCase());
    }
    if (el) {
      event.preventDefault();
      el.click();
    }
  });
})();

// htmx swaps refusals too (409 late, 422 invalid), so their messages reach the candidate.
document.addEventListener("htmx:beforeSwap", function (event) {
  if ([409, 422].includes(event.detail.xhr.status)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Forms that ask before they act.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
}, true);

// The interview countdown. It starts from the server's remaining seconds (never the client's
// clock), shows m:ss, tells screen readers the time politely once a minute and near the end,
// turns to a warning in the last 30 seconds (said at once to screen readers), and at zero
// submits the answer; the server accepts it within its short grace.
(function () {
  var timer = null;
  function format(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function start() {
    var el = document.querySelector("[data-countdown]");
    if (timer) clearInterval(timer);
    if (!el) return;
    var end = performance.now() + Number(el.getAttribute("data-countdown")) * 1000;
    var announce = document.querySelector("[data-countdown-announce]");
    var box = el.closest("[data-countdown-box]");
    var warning = document.querySelector("[data-countdown-warning]");
    var lastSaid = null;
    function tick() {
      var left = (end - performance.now()) / 1000;
      el.textContent = format(left);
      var whole = Math.max(0, Math.ceil(left));
      var say = whole > 0 && (whole % 60 === 0 || whole === 30 || whole === 10);
      if (announce && say && whole !== lastSaid) {
        lastSaid = whole;
        announce.textContent = announce.getAttribute("data-template") + " " + format(whole);
      }
      if (whole <= 30 && box && !box.classList.contains("warning")) {
        box.classList.add("warning");
        if (warning) {
          warning.hidden = false;
          warning.textContent = warning.getAttribute("data-text");
        }
      }
      if (left <= 0) {
        clearInterval(timer);
        timer = null;
        if (announce) announce.textContent = announce.getAttribute("data-expired");
        var form = document.querySelector("form[data-timeout-submit]");
        if (form) form.requestSubmit();
      }
    }
    tick();
    timer = setInterval(tick, 250);
  }
  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSettle", start);
})();
