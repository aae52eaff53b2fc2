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
// The swapped-in form's first score has "autofocus"; the swap settles at once (settle:0ms), so
// that the focus never jumps back to it after the reviewer has started typing.
