// The names on the map: where each topic's (or broad theme's) name goes in a view. Pure (node
// --test reads it): reports/figures/map_labels.py's place_labels, the same steps in the same
// order under rules.map_labels (tests/golden/page.json holds Python's answer). map.js calls it
// at the first view and again at each zoom.
(function (ts) {
  "use strict";
  var text = ts.text || require("./text.js");

  // A name's estimated width in font sizes: char_width a character, 1 a wide one.
  function textWidth(name, rules) {
    var w = 0;
    Array.from(name).forEach(function (ch) { w += ch.codePointAt(0) >= 0x1100 ? 1 : rules.char_width; });
    return w;
  }
  function cell(value, low, high, grid) {
    return Math.min(grid - 1, Math.max(0, Math.floor((value - low) / (high - low) * grid)));
  }
  function overlap(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

  // The names to draw for the points xs, ys of groups keys (null: none, as the outliers) in
  // view ({x0, x1, y0, y1: the axes' ranges; width, height: the plot's px}); names[key]: a
  // group's name, unescaped. Each: {key, text (escaped and cut), x, y (its centre, data
  // coordinates), box ([left, top, right, bottom] px)}, the largest group first.
  function place(xs, ys, keys, names, view, rules) {
    var x0 = view.x0, x1 = view.x1, y0 = view.y0, y1 = view.y1, width = view.width, height = view.height;
    var grid = rules.grid, members = new Map(), shown = 0, i;
    for (i = 0; i < xs.length; i++) {
      var x = xs[i], y = ys[i];
      if (!(x0 <= x && x <= x1 && y0 <= y && y <= y1)) { continue; }
      shown++;
      var key = keys[i];
      if (key !== null && key !== undefined && Object.prototype.hasOwnProperty.call(names, key)) {
        if (!members.has(key)) { members.set(key, []); }
        members.get(key).push(i);
      }
    }
    var candidates = [];
    members.forEach(function (points, key) {
      // largest first: every group holding min_share comes before any holding less
      if (points.length < rules.fill_share * shown) { return; }
      var cells = new Map();
      points.forEach(function (p) {
        var c = cell(ys[p], y0, y1, grid) * grid + cell(xs[p], x0, x1, grid);
        if (!cells.has(c)) { cells.set(c, []); }
        cells.get(c).push(p);
      });
      var fullest = null;
      cells.forEach(function (inside, c) {
        if (fullest === null || inside.length > cells.get(fullest).length ||
            (inside.length === cells.get(fullest).length && c < fullest)) { fullest = c; }
      });
      var inside = cells.get(fullest), mx = 0, my = 0;
      inside.forEach(function (p) { mx += xs[p]; });
      inside.forEach(function (p) { my += ys[p]; });
      mx /= inside.length; my /= inside.length;
      var at = -1, best = Infinity;
      inside.forEach(function (p) {
        var d = (xs[p] - mx) * (xs[p] - mx) + (ys[p] - my) * (ys[p] - my);
        if (d < best || (d === best && p < at)) { best = d; at = p; }
      });
      candidates.push([points.length, key, xs[at], ys[at]]);
    });
    candidates.sort(function (a, b) { return b[0] - a[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
    var font = rules.font_size, pad = rules.pad, placed = [];
    candidates.forEach(function (c) {
      if (placed.length >= rules.max_labels) { return; }
      var label = text.escape(names[c[1]], rules.chars);
      var w = textWidth(label, rules) * font + 2 * pad, h = font * rules.line_height + 2 * pad;
      var px = (c[2] - x0) / (x1 - x0) * width, py = (y1 - c[3]) / (y1 - y0) * height;
      // on the anchor, above, below, right, left, the four corners, two lines above and below
      var tries = [[0, 0], [0, -h], [0, h], [w / 2, 0], [-w / 2, 0], [w / 2, -h], [-w / 2, -h], [w / 2, h], [-w / 2, h],
                   [0, -2 * h], [0, 2 * h]];
      for (var k = 0; k < tries.length; k++) {
        var left = Math.min(Math.max(px + tries[k][0] - w / 2, 0), width - w);
        var top = Math.min(Math.max(py + tries[k][1] - h / 2, 0), height - h);
        var box = [left, top, left + w, top + h];
        if (left < 0 || top < 0) { break; }  // wider or taller than the plot
        if (!placed.some(function (p) { return overlap(box, p.box); })) {
          var cx = left + w / 2, cy = top + h / 2;
          placed.push({ key: c[1], text: label, x: x0 + cx / width * (x1 - x0), y: y1 - cy / height * (y1 - y0), box: box });
          break;
        }
      }
    });
    return placed;
  }

  // Plotly's annotations for place's names (the text already escaped).
  function annotations(placed, rules) {
    return placed.map(function (p) {
      return { x: p.x, y: p.y, xref: "x", yref: "y", text: p.text, showarrow: false, xanchor: "center", yanchor: "middle",
               font: { size: rules.font_size, color: "#222" }, bgcolor: "rgba(255,255,255,0.78)", borderpad: rules.pad };
    });
  }

  var labels = { textWidth: textWidth, place: place, annotations: annotations, overlap: overlap };
  ts.labels = labels;
  if (typeof module !== "undefined") { module.exports = labels; }
})(globalThis.themescope = globalThis.themescope || {});
