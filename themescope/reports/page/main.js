// The page's entry: reads the spec and the paragraphs, makes the state, and wires the modules.
// Inlined last (reports/html.py: page_module_names gives the order).
(function (ts) {
  "use strict";
  // Phases for benchmarks (bench/report_scale.py): plotly.js compiled, rows inflated, table, map.
  function mark(name) { if (window.performance && performance.mark) { performance.mark("themescope:" + name); } }
  ts.main = { mark: mark };
  mark("script");
  var spec = ts.data.json("data-spec");
  ts.data.block("data-rows").then(function (columns) {
    mark("rows");
    var s = ts.state.fromColumns(spec, columns);
    function byId(id) { return document.getElementById(id); }
    s.el = {
      tbody: document.querySelector("#paragraph-table tbody"), search: byId("search"),
      topicFilter: byId("topic-filter"), authorFilter: byId("author-filter"),
      themeFilter: byId("theme-filter"),  // absent without broad themes
      questionFilter: byId("question-filter"),  // absent with one question
      dateFrom: byId("date-from"), dateTo: byId("date-to"),  // absent without dates
      count: byId("match-count"), previous: byId("page-previous"), next: byId("page-next"), pageStatus: byId("page-status"),
      pickAll: byId("pick-all"), message: byId("curate-message"), toml: byId("curation-toml"), undo: byId("undo")
    };
    ts.table.bind(s);
    ts.filterbar.bind(s);
    ts.curate.bind(s);
    ts.selection.bind(s);
    ts.table.render(s);
    mark("table");
    ts.figures.draw(s, "map").then(function () {
      mark("map");
      setTimeout(function () { ts.state.searchable(s); }, 0);  // before the first search needs it
      document.body.dataset.ready = "true";  // for tests and benchmarks: the page answers input
      if (s.data.length > s.rules.lazy_above && window.IntersectionObserver) { ts.figures.drawAsSeen(s); }
      else { setTimeout(function () { ts.figures.drawAll(s); }, 0); }
    });
  });
})(globalThis.themescope = globalThis.themescope || {});
