/* The platform's own behaviour for every page (no inline handlers: the Content-Security-Policy allows
   only the platform's scripts). */
document.addEventListener("click", function (e) {
  var t = e.target.closest("[data-print]");
  if (t) { e.preventDefault(); window.print(); return; }
  var back = e.target.closest("[data-back]");
  if (back && window.history.length > 1) { e.preventDefault(); window.history.back(); return; }
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

/* A file input refuses, before anything is uploaded, a file of a type not accepted or over the size limit
   (the server checks again: this only spares the wait). Messages come from the page, in the user's language. */
document.addEventListener("change", function (e) {
  var input = e.target;
  if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) { return; }
  var max = parseInt(input.dataset.maxBytes, 10), count = parseInt(input.dataset.maxCount || "1", 10);
  var types = (input.getAttribute("accept") || "").toLowerCase().split(",");
  var problems = [];
  Array.prototype.forEach.call(input.files, function (f) {
    var dot = f.name.lastIndexOf("."), ext = dot < 0 ? "" : f.name.slice(dot).toLowerCase();
    if (types.length && types.indexOf(ext) < 0) { problems.push(input.dataset.msgType.replace("%(name)s", f.name)); }
    else if (f.size > max) { problems.push(input.dataset.msgSize.replace("%(name)s", f.name)); }
  });
  if (input.files.length > count) { problems.push(input.dataset.msgCount); }
  var total = Array.prototype.reduce.call(input.files, function (sum, f) { return sum + f.size; }, 0);
  if (!problems.length && total > parseInt(input.dataset.maxTotal, 10)) { problems.push(input.dataset.msgTotal); }
  var box = input.parentNode.querySelector(".ys-file-problems");
  if (!box) {
    box = document.createElement("div");
    box.className = "ys-file-problems invalid-feedback d-block";
    box.setAttribute("data-testid", "file-refused");
    input.insertAdjacentElement("afterend", box);
  }
  box.textContent = problems.join(" ");
  input.classList.toggle("is-invalid", problems.length > 0);
  if (problems.length) { input.value = ""; }
});
