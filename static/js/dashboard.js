// The dashboard's charts, drawn from the figures the page hands over with json_script (no inline script).
// Each chart has a table beside it with the same numbers; the charts are pictures of those tables.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);
  var palette = ["#0d6efd", "#adb5bd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];
  var quiet = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Object.keys(charts).forEach(function (name) {
    var canvas = document.getElementById("chart-" + name);
    var chart = charts[name];
    if (!canvas) {
      return;
    }
    if (!chart.labels.length) {
      // Nothing to draw: the table beside it says "none", and an empty frame would only push it down.
      canvas.parentElement.hidden = true;
      return;
    }
    var datasets = chart.series.map(function (series, index) {
      return {
        label: series.label,
        data: series.data,
        backgroundColor: chart.series.length > 1 ? palette[index % palette.length] : palette[0],
      };
    });
    var valueAxis = { beginAtZero: true, stacked: !!chart.stacked, ticks: { precision: 0 } };
    // Long labels (formation steps, agencies) are cut on the axis; the tooltip and the table hold them whole.
    var labelAxis = {
      stacked: !!chart.stacked,
      ticks: {
        autoSkip: false,
        callback: function (value) {
          var label = String(this.getLabelForValue(value));
          return label.length > 24 ? label.slice(0, 23) + "\u2026" : label;
        },
      },
    };
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: datasets },
      options: {
        indexAxis: chart.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: quiet ? false : undefined,
        plugins: { legend: { display: chart.series.length > 1 } },
        scales: chart.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      },
    });
  });

  // A chart drawn for the screen is redrawn at the paper's width before printing.
  window.addEventListener("beforeprint", function () {
    Object.values(window.Chart.instances).forEach(function (instance) {
      instance.resize();
    });
  });
})();
