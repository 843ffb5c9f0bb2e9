// The authors' heatmap, rebuilt in the page after an edit or within the question and time
// span chosen: the authors the run chose (its rows), and past rules.max_author_topics topics
// the same cap as figures/authors.py: the topics with most paragraphs among those authors.
(function (ts) {
  "use strict";
  var text = ts.text || require("./text.js");
  var state = ts.state || require("./state.js");
  var filters = ts.filters || require("./filters.js");

  // The topics (ids, ascending) the heatmap shows of ``topicIds``: all of them, or the
  // largest among ``authors``' paragraphs in context ``c``; ties go to the topic met first in
  // reading order, as figures/style.largest_groups breaks them (Counter.most_common).
  function shownTopics(s, authors, topicIds, c) {
    var most = s.rules.max_author_topics;
    if (topicIds.length <= most) { return topicIds; }
    var counts = {}, first = {}, row = {}, seen = 0;
    authors.forEach(function (a) { row[a] = true; });
    s.data.forEach(function (r, i) {
      if (!row[r[1]] || !filters.inContext(s, i, c)) { return; }
      if (!counts[r[3]]) { counts[r[3]] = 0; first[r[3]] = seen++; }
      counts[r[3]] += 1;
    });
    function rank(t) { return first[t] === undefined ? Infinity : first[t]; }
    return topicIds.slice().sort(function (a, b) {
      return (counts[b] || 0) - (counts[a] || 0) || rank(a) - rank(b) || a - b;
    }).slice(0, most).sort(function (a, b) { return a - b; });
  }
  // Paragraphs per author (rows) and topic (columns) in context ``c``.
  function counts(s, authors, topicIds, c) {
    var row = {}, column = {};
    authors.forEach(function (a, i) { row[a] = i; });
    topicIds.forEach(function (t, j) { column[t] = j; });
    var z = authors.map(function () { return topicIds.map(function () { return 0; }); });
    s.data.forEach(function (r, i) {
      if (row[r[1]] !== undefined && column[r[3]] !== undefined && filters.inContext(s, i, c)) { z[row[r[1]]][column[r[3]]] += 1; }
    });
    return z;
  }
  function refresh(s) {
    var div = document.getElementById("fig-authors");
    if (!div.data) { return; }
    var authors = div.layout.meta.authors, c = ts.filterbar.context(s), chars = s.rules.chars;
    var topicIds = shownTopics(s, authors, state.present(s, true), c);
    var trace = Object.assign({}, div.data[0], {
      z: counts(s, authors, topicIds, c),
      x: topicIds.map(function (t) { return text.escape(state.topicName(s, t), chars.authors_topic); }),
      customdata: authors.map(function (a) { return topicIds.map(function () { return text.escape(a, chars.authors_hover); }); })
    });
    Plotly.react(div, [trace], Object.assign({}, div.layout, { meta: { authors: authors, topics: topicIds } }));
  }

  // The view (figures.js): rebuilt after an edit or in a context; a click shows the cell's paragraphs.
  var authors = { shownTopics: shownTopics, counts: counts, refresh: refresh,
                  follows: function (s) { return s.touched || s.contextKey !== "||"; },
                  contextChanged: refresh,  // back to all of them too
                  bind: function (s, div) {
                    div.on("plotly_click", function (event) {
                      var meta = div.layout.meta, at = event.points[0].pointNumber;  // [row, column]
                      ts.filterbar.showTable(s, meta.topics[at[1]], meta.authors[at[0]]);
                    });
                  } };
  ts.authors = authors;
  (ts.views = ts.views || {}).authors = authors;
  if (typeof module !== "undefined") { module.exports = authors; }
})(globalThis.themescope = globalThis.themescope || {});
