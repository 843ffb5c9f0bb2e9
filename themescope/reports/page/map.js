// The map: one trace per topic (the legend toggles topics), built from the paragraph data
// (coordinates as typed arrays, hover text from the table's own text), again after each
// curation edit. Past rules.legend_max_topics topics, one trace coloured point by point and no
// legend: Plotly measured each legend entry's text at every restyle, and a search on 298
// topics' 143,705 points took 26 s (the cards, filters and table name the topics). A filter
// then dims that trace as a whole and draws its matches as a second trace: an opacity per
// point made Plotly convert every point's colour again (450 against 200 ms a search at
// 143,705 points, bench/README.md). Past rules.broad_colors_above topics (with broad themes)
// that trace is coloured by broad theme and its hover names the topic.
//
// The names on the map (labels.js places them): the broad themes' while the view holds
// rules.map_labels.broad_share of the points (the first view), the topics' once zoomed in,
// placed again at each zoom (plotly_relayout with a range) and after each edit. div#fig-map's
// data-labels says which ("broad" or "topics") once they are drawn.
(function (ts) {
  "use strict";
  var text = ts.text || require("./text.js");
  var state = ts.state || require("./state.js");
  var labels = ts.labels || require("./labels.js");
  var DIM = 0.08, BRIGHT = 0.9;  // the opacity of points outside and inside the filters

  function hoverText(s, r) {  // rules.hover.map, written out: one string per point
    var chars = s.rules.chars;
    return "<b>" + text.escape(r[1], chars.map_author) + "</b> \u00b7 " + text.escape(r[0]) + "<br><i>" +
      text.escape(r[2], chars.map_heading) + "</i><br>" + text.escape(r[4], s.spec.map.max_hover_chars);
  }
  function trace(s, members, name, color) {
    var x = new Float32Array(members.length), y = new Float32Array(members.length);
    members.forEach(function (i, k) { x[k] = s.xs[i]; y[k] = s.ys[i]; });
    var t = { type: s.spec.map.trace_type, mode: "markers", name: name, x: x, y: y,
              ids: members.map(function (i) { return s.data[i][0]; }),
              text: members.map(function (i) { return s.map.hovers[i]; }), hovertemplate: "%{text}<extra></extra>",
              marker: Object.assign({}, s.spec.map.marker, { color: color }) };
    if (s.map.byTheme) {  // the topic in the hover (rules.hover.map_topic reads customdata[4])
      var named = {};
      t.customdata = members.map(function (i) {
        var topic = s.data[i][3];
        return named[topic] = named[topic] ||
          [null, null, null, null, text.escape(state.topicName(s, topic), s.rules.chars.map_name)];
      });
      t.hovertemplate = "%{text}" + s.rules.hover.map_topic + "<extra></extra>";
    }
    return t;
  }
  // A point's colour: its topic's, or past rules.broad_colors_above topics its broad theme's.
  function pointColor(s, i) {
    var t = s.data[i][3], theme = s.parentOf[t];
    if (!s.map.byTheme) { return s.data[i][5]; }
    return t < 0 || theme === null || theme === undefined ? s.rules.outlier_color : s.rules.palette[theme % s.rules.palette.length];
  }
  // The traces of the points on the map; s.map.rows[trace]: the rows of its points.
  function traces(s) {
    var m = s.map = s.map || {};
    if (!m.hovers) { m.hovers = s.data.map(function (r, i) { return s.onMap[i] ? hoverText(s, r) : ""; }); }
    var groups = {}, all = [];
    for (var i = 0; i < s.data.length; i++) {
      if (s.onMap[i]) { (groups[s.data[i][3]] = groups[s.data[i][3]] || []).push(i); all.push(i); }
    }
    var topicIds = Object.keys(groups).map(Number).sort(function (a, b) { return a - b; });
    m.byTheme = s.spec.broad_themes.length > 0 && topicIds.length > s.rules.broad_colors_above;
    if (topicIds.length > s.rules.legend_max_topics) {
      m.bright = function (rows) {  // the matches, over the dimmed trace
        var colors = rows.map(function (i) { return pointColor(s, i); });
        var matches = Object.assign(trace(s, rows, "matches", colors), { showlegend: false });
        matches.marker.opacity = BRIGHT;
        return matches;
      };
      m.rows = [all, []];
      return [Object.assign(trace(s, all, "paragraphs", all.map(function (i) { return pointColor(s, i); })), { showlegend: false }),
              m.bright([])];
    }
    m.bright = null;
    m.rows = topicIds.map(function (t) { return groups[t]; });
    return m.rows.map(function (members) {
      var t = s.data[members[0]][3];
      return trace(s, members, text.escape(state.topicName(s, t), s.rules.chars.map_name), state.colorOf(s, t));
    });
  }
  function refresh(s) {
    var div = document.getElementById("fig-map");
    if (div.data) { return Plotly.react(div, traces(s), div.layout).then(function () { return nameView(s, div); }); }
  }

  // The view's ranges and the plot's px (Plotly's own, once drawn).
  function view(div) {
    var full = div._fullLayout, xr = full.xaxis.range, yr = full.yaxis.range;
    return { x0: Math.min(xr[0], xr[1]), x1: Math.max(xr[0], xr[1]), y0: Math.min(yr[0], yr[1]),
             y1: Math.max(yr[0], yr[1]), width: full._size.w, height: full._size.h };
  }
  // The names for the view shown: the broad themes' while it holds broad_share of the points.
  function viewLabels(s, v) {
    var rules = s.rules.map_labels, m = s.map;
    if (!m.onMapRows) {
      m.onMapRows = [];
      for (var i = 0; i < s.data.length; i++) { if (s.onMap[i]) { m.onMapRows.push(i); } }
      m.labelXs = Float64Array.from(m.onMapRows, function (r) { return s.xs[r]; });
      m.labelYs = Float64Array.from(m.onMapRows, function (r) { return s.ys[r]; });
    }
    var rows = m.onMapRows, xs = m.labelXs, ys = m.labelYs, inView = 0;
    for (var k = 0; k < rows.length; k++) {
      if (v.x0 <= xs[k] && xs[k] <= v.x1 && v.y0 <= ys[k] && ys[k] <= v.y1) { inView++; }
    }
    var broad = s.spec.broad_themes.length > 0 && inView >= rules.broad_share * rows.length, names = {};
    if (broad) { s.spec.broad_themes.forEach(function (b) { names[b.id] = b.label; }); }
    else { Object.keys(s.labels).forEach(function (t) { if (+t >= 0) { names[t] = s.labels[t]; } }); }
    var keys = rows.map(function (r) {
      var t = s.data[r][3], theme = s.parentOf[t];
      if (t < 0) { return null; }
      return broad ? (theme === undefined ? null : theme) : t;
    });
    return { level: broad ? "broad" : "topics", placed: labels.place(xs, ys, keys, names, v, rules) };
  }
  function nameView(s, div) {
    var named = viewLabels(s, view(div));
    delete div.dataset.labels;
    return Plotly.relayout(div, { annotations: labels.annotations(named.placed, s.rules.map_labels) }).then(function () {
      div.dataset.labels = named.level;
    });
  }
  function bind(s, div) {
    div.on("plotly_click", function (event) { ts.figures.selectParagraph(s, event); });
    if (ts.selection) { ts.selection.onMap(s, div); }  // the lasso and the box select
    div.on("plotly_relayout", function (event) {  // a zoom, a pan, autoscale, a resize: named again
      if (Object.keys(event).some(function (key) { return /^(xaxis|yaxis|autosize|width|height)/.test(key); })) {
        nameView(s, div);
      }
    });
    return nameView(s, div);
  }
  // The map as the filters leave it (``visible[row]``; ``filtered``: whether any is set).
  function show(s, visible, filtered) {
    var div = document.getElementById("fig-map"), m = s.map || {};
    if (!div.data) { return null; }
    if (m.bright) {  // one trace dimmed as a whole, the matches drawn over it
      m.rows[1] = filtered ? m.rows[0].filter(function (i) { return visible[i]; }) : [];
      var dimmed = Object.assign({}, div.data[0], {
        marker: Object.assign({}, div.data[0].marker, { opacity: filtered ? DIM : s.spec.map.marker.opacity }) });
      return Plotly.react(div, [dimmed, m.bright(m.rows[1])], div.layout);
    }
    return Plotly.restyle(div, { "marker.opacity": m.rows.map(function (members) {
      return members.map(function (i) { return !filtered || visible[i] ? BRIGHT : DIM; });
    }) });
  }

  // The view (figures.js): drawn from the paragraph data, again after an edit, dimmed by the filters.
  var map = { DIM: DIM, BRIGHT: BRIGHT, hoverText: hoverText, traces: traces, refresh: refresh, show: show,
              viewLabels: viewLabels, follows: function (s) { return s.touched; },
              filtered: function (s, shown) { return show(s, shown.visible, shown.filtered); }, bind: bind };
  ts.map = map;
  (ts.views = ts.views || {}).map = map;
  if (typeof module !== "undefined") { module.exports = map; }
})(globalThis.themescope = globalThis.themescope || {});
