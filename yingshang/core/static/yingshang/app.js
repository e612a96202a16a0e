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
