// The map: one trace per topic (the legend toggles topics), built from the paragraph data
// (coordinates as typed arrays, hover text from the table's own text), again after each
// curation edit. Past rules.legend_max_topics topics, one trace coloured point by point and no
// legend: Plotly measured each legend entry's text at every restyle, and a search on 298
// topics' 143,705 points took 26 s (the cards, filters and table name the topics). A filter
// then dims that trace as a whole and draws its matches as a second trace: an opacity per
// point made Plotly convert every point's colour again (450 against 200 ms a search at
// 143,705 points, bench/README.md).
(function (ts) {
  "use strict";
  var text = ts.text || require("./text.js");
  var state = ts.state || require("./state.js");
  var DIM = 0.08, BRIGHT = 0.9;  // the opacity of points outside and inside the filters

  function hoverText(s, r) {  // rules.hover.map, written out: one string per point
    var chars = s.rules.chars;
    return "<b>" + text.escape(r[1], chars.map_author) + "</b> \u00b7 " + text.escape(r[0]) + "<br><i>" +
      text.escape(r[2], chars.map_heading) + "</i><br>" + text.escape(r[4], s.spec.map.max_hover_chars);
  }
  function trace(s, members, name, color) {
    var x = new Float32Array(members.length), y = new Float32Array(members.length);
    members.forEach(function (i, k) { x[k] = s.xs[i]; y[k] = s.ys[i]; });
    return { type: s.spec.map.trace_type, mode: "markers", name: name, x: x, y: y,
             ids: members.map(function (i) { return s.data[i][0]; }),
             text: members.map(function (i) { return s.map.hovers[i]; }), hovertemplate: "%{text}<extra></extra>",
             marker: Object.assign({}, s.spec.map.marker, { color: color }) };
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
    if (topicIds.length > s.rules.legend_max_topics) {
      m.bright = function (rows) {  // the matches, over the dimmed trace
        var colors = rows.map(function (i) { return s.data[i][5]; });
        var matches = Object.assign(trace(s, rows, "matches", colors), { showlegend: false });
        matches.marker.opacity = BRIGHT;
        return matches;
      };
      m.rows = [all, []];
      return [Object.assign(trace(s, all, "paragraphs", all.map(function (i) { return s.data[i][5]; })), { showlegend: false }),
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
    if (div.data) { Plotly.react(div, traces(s), div.layout); }
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
              follows: function (s) { return s.touched; },
              filtered: function (s, shown) { return show(s, shown.visible, shown.filtered); },
              bind: function (s, div) { div.on("plotly_click", function (event) { ts.figures.selectParagraph(s, event); }); } };
  ts.map = map;
  (ts.views = ts.views || {}).map = map;
  if (typeof module !== "undefined") { module.exports = map; }
})(globalThis.themescope = globalThis.themescope || {});
