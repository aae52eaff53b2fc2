// Mboa's few behaviours, as a static file (the Content-Security-Policy allows no inline script).

// A checkbox with data-select-all="NAME" ticks or unticks every checkbox named NAME.
document.addEventListener("change", function (event) {
  var name = event.target.getAttribute && event.target.getAttribute("data-select-all");
  if (!name) return;
  document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
    box.checked = event.target.checked;
  });
});
