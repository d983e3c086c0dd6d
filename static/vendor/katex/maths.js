// Renders the maths that questions/rendering.py marks (class "math inline" / "math block") with KaTeX.
// Written for this site (not part of KaTeX). Without JavaScript, or if KaTeX cannot parse it, the TeX source stays.
(function () {
  "use strict";
  function render(root) {
    if (!window.katex || !root.querySelectorAll) return;
    root.querySelectorAll(".math.inline:not([data-rendered]), .math.block:not([data-rendered])").forEach(function (el) {
      var source = el.textContent;
      try {
        window.katex.render(source, el, { displayMode: el.classList.contains("block"), throwOnError: true });
        el.setAttribute("data-rendered", "");
        el.setAttribute("aria-label", source);
      } catch (error) {
        el.textContent = source;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { render(document); });
  // Cards and partials that htmx swaps in.
  document.addEventListener("htmx:load", function (event) { render(event.target); });
})();
