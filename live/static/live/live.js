// Live sessions poll their state panel with If-None-Match; a 304 means nothing changed, so the
// panel stays as it is (htmx would otherwise swap in the empty body).
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 304) event.detail.shouldSwap = false;
});
