// The code editor of coding questions: CodeMirror 6 over a plain <textarea data-code-editor>.
// Without JavaScript the textarea is the editor; with it, CodeMirror takes its place and writes
// every change back into the textarea (firing "input", so htmx autosave and form posts see it).
// Ctrl/⌘+Enter clicks the form's [data-run-samples] button. Built by build.sh; no inline script.
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";
import { python } from "@codemirror/lang-python";

// CodeMirror adds its styles as <style> elements: under the site's CSP (style-src 'self' 'nonce-…') they
// need the page's nonce, which the template puts on this script's tag (read while the script runs).
var NONCE = (document.currentScript && document.currentScript.nonce) || "";

function runSamples(textarea) {
  var form = textarea.form;
  var button = form && form.querySelector("[data-run-samples]");
  if (button && !button.disabled) button.click();
  return true;
}

function attach(textarea) {
  if (textarea.dataset.codeEditorReady) return;
  textarea.dataset.codeEditorReady = "1";
  var view = new EditorView({
    doc: textarea.value,
    extensions: [
      keymap.of([
        { key: "Mod-Enter", run: function () { return runSamples(textarea); } },
        indentWithTab,
      ]),
      EditorView.cspNonce.of(NONCE),
      basicSetup,
      python(),
      indentUnit.of("    "),
      EditorView.contentAttributes.of({ "aria-label": textarea.getAttribute("aria-label") || "Code" }),
      EditorView.updateListener.of(function (update) {
        if (!update.docChanged) return;
        textarea.value = update.state.doc.toString();
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
      }),
    ],
  });
  textarea.parentNode.insertBefore(view.dom, textarea);
  textarea.hidden = true;
  // The label points at the textarea; clicking it focuses the editor instead.
  if (textarea.id) {
    document.querySelectorAll('label[for="' + textarea.id + '"]').forEach(function (label) {
      label.addEventListener("click", function (event) { event.preventDefault(); view.focus(); });
    });
  }
  if (textarea.autofocus) view.focus();
}

function attachAll(root) {
  (root || document).querySelectorAll("textarea[data-code-editor]").forEach(attach);
}

if (!window.codeEditorLoaded) {
  window.codeEditorLoaded = true;
  document.addEventListener("htmx:load", function (event) { attachAll(event.target); });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
} else {
  attachAll(document);
}
