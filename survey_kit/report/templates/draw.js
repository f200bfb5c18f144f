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

/* For print: each drawn chart becomes one <img> of its SVG with the chart's alt text, so the
   tagged PDF has one figure per chart with /Alt (not one untagged figure per SVG element), and
   the <figure> around it is a group (its caption stays with it; no figure without alt text). */
window.skFreeze = async function (root) {
  var scope = root || document;
  var plots = Array.prototype.slice.call(scope.querySelectorAll('.sk-plot.js-plotly-plot'));
  var svgs = {};
  for (var i = 0; i < plots.length; i++) {
    var p = plots[i];
    var w = p._fullLayout.width, h = p._fullLayout.height;
    var url = await Plotly.toImage(p, {format: 'svg', width: w, height: h});
    var holder = p.closest('figure');
    if (holder) svgs[holder.getAttribute('data-figure')] = {url: url, width: w, height: h};
    var img = document.createElement('img');
    img.src = url;
    img.alt = p.getAttribute('aria-label') || '';
    img.id = p.id;
    img.className = 'sk-plot sk-plot-img';
    img.setAttribute('style', p.getAttribute('style') || '');
    await img.decode();
    Plotly.purge(p);
    p.replaceWith(img);
    var fig = img.closest('figure');
    if (fig) fig.setAttribute('role', 'group');
  }
  return svgs;
};
