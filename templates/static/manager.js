/* followup managers' pages: draws each <canvas data-chart="{...}"> with Chart.js
   (vendored: chart.umd.min.js). The figures are also in the table next to
   each chart and in its CSV export, for those who cannot see the chart. */
(function () {
  "use strict";
  // Okabe–Ito: colours that stay apart for colour-blind readers.
  var palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#999999"];
  function draw(canvas) {
    var spec = JSON.parse(canvas.getAttribute("data-chart"));
    var datasets = spec.datasets.map(function (d, i) {
      var c = d.color || palette[i % palette.length];
      return { label: d.label, data: d.data, borderColor: c, backgroundColor: c, spanGaps: false,
        tension: 0.2, pointRadius: 3, borderWidth: 2 };
    });
    var valueAxis = { beginAtZero: true };
    if (spec.y_min !== undefined) { valueAxis.min = spec.y_min; }
    if (spec.y_max !== undefined) { valueAxis.max = spec.y_max; }
    if (spec.unit) {
      valueAxis.ticks = { callback: function (v) { return v + spec.unit; } };
    }
    var chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? "y" : "x",
        scales: spec.horizontal ? { x: valueAxis } : { y: valueAxis },
        plugins: {
          title: { display: !!spec.title, text: spec.title },
          legend: { display: datasets.length > 1 },
          tooltip: { callbacks: { label: function (ctx) {
            var v = spec.horizontal ? ctx.parsed.x : ctx.parsed.y;
            return ctx.dataset.label + ": " + v + (spec.unit || "");
          } } }
        }
      }
    });
    canvas.setAttribute("data-drawn", chart.data.datasets.length);
  }
  // Forms that ask before they act (the Content-Security-Policy allows no
  // inline handlers): <form data-confirm="question">.
  var asking = document.querySelectorAll("form[data-confirm]");
  for (var j = 0; j < asking.length; j++) {
    asking[j].addEventListener("submit", function (e) {
      if (!window.confirm(this.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  }
  var canvases = document.querySelectorAll("canvas[data-chart]");
  for (var i = 0; i < canvases.length; i++) {
    try { draw(canvases[i]); } catch (e) { canvases[i].setAttribute("data-error", String(e)); }
  }
})();
