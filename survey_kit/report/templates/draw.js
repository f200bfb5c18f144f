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
   the <figure> around it is a group (its caption stays with it; no figure without alt text).
   The SVG is serialised from the drawn chart (Plotly.Snapshot.toSVG: no second drawing as
   Plotly.toImage makes); with pngScale each chart is also rasterised from it (for Word).
   Returns {figure name: {url, width, height[, png]}}. */
window.skFreeze = async function (root, pngScale) {
  var scope = root || document;
  var plots = Array.prototype.slice.call(scope.querySelectorAll('.sk-plot.js-plotly-plot'));
  var out = {};
  for (var i = 0; i < plots.length; i++) {
    var p = plots[i];
    var w = p._fullLayout.width, h = p._fullLayout.height;
    var svg = Plotly.Snapshot.toSVG(p);
    var url = 'data:image/svg+xml,' + encodeURIComponent(svg);
    var entry = {url: url, width: w, height: h};
    if (pngScale) {
      entry.png = await Plotly.Snapshot.svgToImg({svg: svg, format: 'png', width: w, height: h, scale: pngScale, promise: true,
                                                      canvas: document.createElement('canvas')});
    }
    var holder = p.closest('figure');
    if (holder) out[holder.getAttribute('data-figure')] = entry;
    var img = document.createElement('img');
    img.src = url;
    img.alt = p.getAttribute('aria-label') || '';
    img.id = p.id;
    img.className = 'sk-plot sk-plot-img';
    img.setAttribute('style', p.getAttribute('style') || '');
    await img.decode();
    Plotly.purge(p);
    p.replaceWith(img);
    if (holder) holder.setAttribute('role', 'group');
  }
  return out;
};
