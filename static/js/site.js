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
