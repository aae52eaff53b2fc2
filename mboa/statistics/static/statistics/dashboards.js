// Draws each figure's chart from the JSON next to its canvas (no inline script: the page's
// Content-Security-Policy forbids it). The same numbers are in the figure's table.
(function () {
  "use strict";
  var PALETTE = ["#1f6f8b", "#e0a526", "#99a84b", "#b5523b", "#6c4f8a", "#3a8f6d", "#8b8b8b", "#d17a9a"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var doughnut = data.type === "doughnut";
    data.datasets.forEach(function (set, i) {
      set.backgroundColor = doughnut ? PALETTE : PALETTE[i % PALETTE.length];
      set.borderColor = doughnut ? "#fff" : PALETTE[i % PALETTE.length];
      set.spanGaps = true;
    });
    // Long category lists read better as horizontal bars on a phone.
    var horizontal = data.type === "bar" && data.labels.length > 6;
    canvas.parentElement.classList.toggle("tall", horizontal && data.labels.length > 12);
    new Chart(canvas, {
      type: data.type,
      data: {labels: data.labels, datasets: data.datasets},
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {legend: {display: doughnut || data.datasets.length > 1, position: "bottom"}},
        scales: doughnut ? {} : {x: {ticks: {autoSkip: true}}, y: {beginAtZero: true, ticks: {autoSkip: true}}}
      }
    });
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
