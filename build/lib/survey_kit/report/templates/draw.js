/* survey_kit: draw every chart of a report page from its JSON spec (plotly.js loaded before). */
window.skDraw = function (root) {
  var scope = root || document;
  var config = {displaylogo: false, responsive: false, displayModeBar: false};
  var jobs = Array.prototype.map.call(scope.querySelectorAll('script.sk-figdata'), function (s) {
    var spec = JSON.parse(s.textContent);
    return Plotly.newPlot(document.getElementById(s.getAttribute('data-target')), spec.data, spec.layout, config);
  });
  return Promise.all(jobs);
};
