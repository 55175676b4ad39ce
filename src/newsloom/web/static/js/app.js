// Small behaviours on top of server-rendered pages. Never builds markup from data: text only.
(function () {
  "use strict";
  // After a claim source loads into the side panel, mark the chosen link and move focus there.
  document.addEventListener("htmx:afterSwap", function (ev) {
    var panel = ev.detail && ev.detail.target;
    if (!panel || panel.id !== "source-panel") return;
    document.querySelectorAll(".claim-source.active").forEach(function (a) { a.classList.remove("active"); });
    var src = ev.detail.requestConfig && ev.detail.requestConfig.elt;
    if (src && src.classList) src.classList.add("active");
    var mark = panel.querySelector("mark.hl");
    if (mark && mark.scrollIntoView) mark.scrollIntoView({ block: "nearest" });
    panel.focus({ preventScroll: true });
  });
  // On a document opened at a claim's words, bring them into view.
  document.addEventListener("DOMContentLoaded", function () {
    var hl = document.getElementById("hl");
    if (hl && hl.scrollIntoView) hl.scrollIntoView({ block: "center" });
  });
})();
