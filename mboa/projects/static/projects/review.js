// Keyboard-driven scoring: typing a digit in a score moves to the next field; Enter submits.
document.addEventListener("input", function (e) {
  if (!e.target.classList.contains("score") || !/^[0-9]$/.test(e.target.value)) return;
  var fields = Array.from(document.querySelectorAll("#review .score, #review textarea"));
  var next = fields[fields.indexOf(e.target) + 1];
  if (next) { next.focus(); if (next.select) next.select(); }
});
document.addEventListener("keydown", function (e) {
  if (e.key === "Enter" && !e.shiftKey && e.target.closest && e.target.closest("#review form")) {
    e.preventDefault();
    e.target.closest("form").requestSubmit();
  }
});
document.body.addEventListener("htmx:afterSwap", function () {
  var first = document.querySelector("#review .score"); if (first) first.focus();
});
