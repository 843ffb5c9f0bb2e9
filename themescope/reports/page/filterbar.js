// The filters above the table (and the map's selection, s.selection: selection.js): reading
// them, applying them to the table at once and to the map, the answer flow, the authors'
// heatmap and the time view a moment later.
(function (ts) {
  "use strict";
  var filters = ts.filters || require("./filters.js");

  function context(s) {
    var el = s.el;
    return filters.context(el.questionFilter ? el.questionFilter.value : "",
                           el.dateFrom && el.dateFrom.value, el.dateTo && el.dateTo.value);
  }
  function apply(s) {
    var el = s.el, started = performance.now();
    s.query = el.search.value.trim().toLowerCase();
    var c = context(s), key = filters.contextKey(c);
    var f = { topic: el.topicFilter.value, author: el.authorFilter.value, theme: el.themeFilter ? el.themeFilter.value : "",
              query: s.query, context: c, selection: s.selection };
    s.matches = filters.matching(s, f);
    var selectedTopics = {};  // the topics of the map's selection: the cards shown with it
    if (f.selection) { s.data.forEach(function (r) { if (f.selection[r[0]]) { selectedTopics[r[3]] = true; } }); }
    document.querySelectorAll(".card").forEach(function (card) {
      card.classList.toggle("off-theme", (Boolean(f.theme) && String(s.parentOf[card.dataset.topic]) !== f.theme) ||
                                         (Boolean(f.selection) && !selectedTopics[card.dataset.topic]));
    });
    s.pageStart = 0;
    ts.table.render(s);
    if (key !== s.contextKey) {
      s.contextKey = key;
      ts.figures.each("contextChanged", function (v) { v.contextChanged(s); });
    }
    if (c.question !== s.questionKey) {
      s.questionKey = c.question;
      ts.figures.each("questionChanged", function (v) { v.questionChanged(s); });
    }
    var filtered = Boolean(f.query || f.topic || f.author || f.theme || f.selection || key !== "||");
    if (!filtered && !s.wasFiltered) { return; }
    s.wasFiltered = filtered;
    var visible = new Uint8Array(s.data.length);
    s.matches.forEach(function (i) { visible[i] = 1; });
    function opacity(i) { return !filtered || visible[i] ? ts.map.BRIGHT : ts.map.DIM; }
    // The map and the flow follow a moment later, so typing stays quick on large reports
    // (and a view drawn later follows when drawn: figures.js).
    var shownFilter = s.shownFilter = { visible: visible, filtered: filtered, opacity: opacity };
    clearTimeout(s.restyleTimer);
    var shown = s.matches.length, mapDiv = document.getElementById("fig-map");
    if (!s.showFilters) {
      s.filtersShown = new Promise(function (resolve) { s.showFilters = resolve; });
      s.pendingSince = started;
    }
    s.restyleTimer = setTimeout(function () {
      var done = [];
      ts.figures.each("filtered", function (v) { done.push(v.filtered(s, shownFilter)); });
      // For tests and benchmarks: how many paragraphs the map shows bright, once it does, and
      // how long after the input (a test's own polling would wait on figures drawn meanwhile).
      Promise.all(done).then(function () {
        mapDiv.dataset.shown = String(shown);
        mapDiv.dataset.shownMs = String(Math.round(performance.now() - s.pendingSince));  // since the first unanswered input
        if (s.showFilters) { s.showFilters(); s.showFilters = null; }
      });
    }, 120);
  }
  function clear(s) {
    var el = s.el;
    el.search.value = ""; el.topicFilter.value = ""; el.authorFilter.value = "";
    [el.themeFilter, el.questionFilter, el.dateFrom, el.dateTo].forEach(function (input) { if (input) { input.value = ""; } });
  }
  function showTable(s, topic, author) {
    s.el.topicFilter.value = topic === null || topic === undefined ? "" : String(topic);
    s.el.authorFilter.value = author || "";
    apply(s);
    document.getElementById("paragraphs").scrollIntoView();
  }
  function bind(s) {
    var el = s.el;
    [el.search, el.dateFrom, el.dateTo].forEach(function (input) { if (input) { input.addEventListener("input", function () { apply(s); }); } });
    [el.topicFilter, el.authorFilter, el.themeFilter, el.questionFilter].forEach(function (select) {
      if (select) { select.addEventListener("change", function () { apply(s); }); }
    });
    document.getElementById("clear-filters").addEventListener("click", function () {
      clear(s);
      if (s.selection && ts.selection) { ts.selection.clear(s); } else { apply(s); }  // the map's selection too
    });
    document.querySelectorAll(".filter-topic").forEach(function (button) {
      button.addEventListener("click", function () { showTable(s, button.dataset.topic, ""); });
    });
  }

  var filterbar = { context: context, apply: apply, clear: clear, showTable: showTable, bind: bind };
  ts.filterbar = filterbar;
  if (typeof module !== "undefined") { module.exports = filterbar; }
})(globalThis.themescope = globalThis.themescope || {});
