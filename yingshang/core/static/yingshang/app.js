/* The platform's own behaviour for every page (no inline handlers: the Content-Security-Policy allows
   only the platform's scripts). */
document.addEventListener("click", function (e) {
  var t = e.target.closest("[data-print]");
  if (t) { e.preventDefault(); window.print(); return; }
  var all = e.target.closest("[data-check-all]");
  if (all) {
    document.querySelectorAll("input[name=" + all.dataset.checkAll + "]").forEach(function (c) { c.checked = all.checked; });
  }
});

/* Long lists to choose from (departments, firms) are searchable: a <select data-search> becomes a
   Tom Select (vendored, works offline). */
function ysSearchable(root) {
  if (typeof TomSelect === "undefined") { return; }
  (root || document).querySelectorAll("select[data-search]:not(.tomselected)").forEach(function (el) {
    new TomSelect(el, {plugins: el.multiple ? ["remove_button"] : [], maxOptions: 500,
                       allowEmptyOption: true, placeholder: el.dataset.search || ""});
  });
}
document.addEventListener("DOMContentLoaded", function () { ysSearchable(document); });
document.addEventListener("htmx:afterSwap", function (e) { ysSearchable(e.target); });
