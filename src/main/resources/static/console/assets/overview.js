// Draws the overview's charts from the data-series attribute of each canvas (no inline script:
// the console's Content-Security-Policy is default-src 'self').
(function () {
  'use strict';
  var colours = {
    ACCEPTED: '#2e7d32', ACCEPTED_WITH_WARNINGS: '#f9a825', REJECTED: '#c62828', IGNORED: '#78909c',
    MALFORMED: '#6a1b9a', UNAUTHENTICATED: '#ef6c00', FORWARDED: '#1565c0', UNAVAILABLE: '#4e342e',
    UPSTREAM_ERROR: '#ad1457', PRECONDITION_FAILED: '#00838f', NONCOMPLIANT_ACCOUNT: '#37474f'
  };
  document.querySelectorAll('canvas[data-series]').forEach(function (canvas) {
    var series = JSON.parse(canvas.getAttribute('data-series'));
    series.datasets.forEach(function (dataset) {
      dataset.backgroundColor = colours[dataset.label] || '#607d8b';
    });
    new Chart(canvas, {
      type: 'bar',
      data: series,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  });
}());
