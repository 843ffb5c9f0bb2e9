// The figures the run drew that the page does not rebuild: what a click on each does.
(function (ts) {
  "use strict";
  function on(name, bind) { (ts.views = ts.views || {})[name] = { bind: bind }; }

  on("answers", function (s, div) {
    div.on("plotly_click", function (event) {  // [row, column]: an answer, a broad theme or topic
      var meta = div.layout.meta, at = event.points[0].pointNumber, column = meta.columns[at[1]], el = s.el;
      if (meta.level === "broad_theme" && column >= 0) {
        el.themeFilter.value = String(column);
        ts.filterbar.showTable(s, "", meta.authors[at[0]]);
      } else {
        if (el.themeFilter) { el.themeFilter.value = ""; }
        ts.filterbar.showTable(s, column, meta.authors[at[0]]);
      }
    });
  });
  on("keywords", function (s, div) {
    div.on("plotly_click", function (event) { ts.filterbar.showTable(s, event.points[0].data.meta, ""); });
  });
  on("questions", function (s, div) {
    div.on("plotly_click", function (event) {  // [row, column]: a question, a topic
      var meta = div.layout.meta, at = event.points[0].pointNumber;
      s.el.questionFilter.value = meta.questions[at[0]];
      ts.filterbar.showTable(s, meta.topics[at[1]], "");
    });
  });
  on("broad_themes", function (s, div) {
    div.on("plotly_click", function (event) {  // customdata: [0, broad theme] or [1, topic]
      var key = event.points[0].customdata, el = s.el;
      if (key[0] === 0) {
        el.themeFilter.value = el.themeFilter.value === String(key[1]) ? "" : String(key[1]);
        el.topicFilter.value = "";
        ts.filterbar.apply(s);
      } else {
        ts.filterbar.showTable(s, key[1], "");
      }
    });
  });
  if (typeof module !== "undefined") { module.exports = ts.views; }
})(globalThis.themescope = globalThis.themescope || {});
