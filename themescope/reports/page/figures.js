// Drawing the figures: the map first, the others one per task, so the page answers input
// early; a large report draws each as its section nears the view. And what a click on each does.
(function (ts) {
  "use strict";
  var CONFIG = { responsive: true, displaylogo: false };
  var LATER = ["broad_themes", "time", "questions", "keywords", "authors", "flow", "answers", "similarity"];
  var QUIET_MS = 800;
  var template = null;  // every figure's look, given once (data-template)

  function spec(name) {  // a figure as the run drew it (data-NAME), with the look
    var fig = ts.data.json("data-" + name);
    template = template || ts.data.json("data-template");
    fig.layout.template = template;
    return fig;
  }
  function draw(s, name) {
    var fig = spec(name);
    if (name === "flow") { fig.data[0].customdata = ts.flow.hover(s, fig.data[0].ids); }
    var traces = name === "map" ? ts.map.traces(s) : fig.data;
    if (name === "map") { ts.main.mark("traces"); }
    return Plotly.newPlot("fig-" + name, traces, fig.layout, CONFIG);
  }
  // A figure the page rebuilds: within the context chosen, or after an edit.
  function refresh(s, name) {
    if (name === "authors" && (s.touched || s.contextKey !== "||")) { ts.authors.refresh(s); }
    if (name === "time" && (s.touched || s.questionKey !== "")) { ts.time.refresh(s); }
    if (!s.touched) { return; }
    if (name === "map") { ts.map.refresh(s); } else if (name === "flow") { ts.flow.refresh(s); }
  }
  function drawLater(s, name) {
    return draw(s, name).then(function () {
      bindClicks(s, name);
      refresh(s, name);
      if (name === "flow" && s.questionKey) { ts.flow.draw(s); }  // drawn after a question was chosen
      if (name === "flow" && s.flowOpacity) { s.flowOpacity(); }  // drawn after a filter was set
    });
  }
  function later() {  // the figures after the map that this report holds
    return LATER.filter(function (name) { return document.getElementById("data-" + name); });
  }
  function drawAll(s) {  // one per task
    var names = later();
    (function next() {
      var name = names.shift();
      if (name) { drawLater(s, name).then(function () { setTimeout(next, 0); }); }
    })();
  }
  // A large report draws each figure as its section nears the view: drawn all at once, they
  // would hold the page for seconds (each of a figure's row names costs Plotly ~20 ms).
  // One at a time, never before the map has answered the filters being set, and a figure in
  // view before those still below it. One below the view is drawn ahead of the scroll only
  // once typing and clicking have paused for QUIET_MS: a search typed as the map appears is
  // not held behind a figure nobody sees yet (half a second each at 143,705 paragraphs).
  function drawAsSeen(s) {
    var nearing = [], pumping = false, lastInput = performance.now();  // the map has just been drawn: input first
    ["input", "change", "keydown", "pointerdown"].forEach(function (type) {
      document.addEventListener(type, function () { lastInput = performance.now(); }, true);
    });
    function yieldToInput() { return new Promise(function (resolve) { setTimeout(resolve, 0); }); }
    function inView(element) {
      var box = element.getBoundingClientRect();
      return box.top < window.innerHeight && box.bottom > 0;
    }
    function drawNearing() {  // the next figure of ``nearing`` that may be drawn now, then again
      if (pumping || !nearing.length) { return; }
      pumping = true;
      function again() { pumping = false; drawNearing(); }
      yieldToInput().then(function () { return s.filtersShown; }).then(function () {
        var at = nearing.findIndex(inView), left = lastInput + QUIET_MS - performance.now();
        if (at < 0 && left > 0) { return new Promise(function (resolve) { setTimeout(resolve, Math.min(left, 100)); }); }
        return drawLater(s, nearing.splice(Math.max(at, 0), 1)[0].id.slice(4));
      }).then(again, again);
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) { return; }
        observer.unobserve(entry.target);
        nearing.push(entry.target);
      });
      drawNearing();
    }, { rootMargin: "800px 0px" });
    later().forEach(function (name) { observer.observe(document.getElementById("fig-" + name)); });
  }

  // Clicking a point (map or answer flow) shows its paragraph in the table.
  function selectParagraph(s, event) {
    var point = event.points[0];
    if (!point.data.ids) { return; }
    ts.table.showParagraph(s, point.data.ids[point.pointNumber]);
  }
  function bindClicks(s, name) {
    var div = document.getElementById("fig-" + name), el = s.el, showTable = ts.filterbar.showTable;
    if (name === "authors") {
      div.on("plotly_click", function (event) {
        var meta = div.layout.meta, at = event.points[0].pointNumber;  // [row, column]
        showTable(s, meta.topics[at[1]], meta.authors[at[0]]);
      });
    } else if (name === "answers") {
      div.on("plotly_click", function (event) {  // [row, column]: an answer, a broad theme or topic
        var meta = div.layout.meta, at = event.points[0].pointNumber, column = meta.columns[at[1]];
        if (meta.level === "broad_theme" && column >= 0) {
          el.themeFilter.value = String(column);
          showTable(s, "", meta.authors[at[0]]);
        } else {
          if (el.themeFilter) { el.themeFilter.value = ""; }
          showTable(s, column, meta.authors[at[0]]);
        }
      });
    } else if (name === "keywords") {
      div.on("plotly_click", function (event) { showTable(s, event.points[0].data.meta, ""); });
    } else if (name === "flow" || name === "map") {
      div.on("plotly_click", function (event) { selectParagraph(s, event); });
    } else if (name === "questions") {
      div.on("plotly_click", function (event) {  // [row, column]: a question, a topic
        var meta = div.layout.meta, at = event.points[0].pointNumber;
        el.questionFilter.value = meta.questions[at[0]];
        showTable(s, meta.topics[at[1]], "");
      });
    } else if (name === "time") {
      div.on("plotly_relayout", function (event) {  // dragging across the figure sets the span
        var range = event["xaxis.range"] || [event["xaxis.range[0]"], event["xaxis.range[1]"]];
        if (event["xaxis.autorange"]) { el.dateFrom.value = ""; el.dateTo.value = ""; ts.filterbar.apply(s); }
        else if (range[0] !== undefined) {
          el.dateFrom.value = String(range[0]).slice(0, 10); el.dateTo.value = String(range[1]).slice(0, 10);
          ts.filterbar.apply(s);
        }
      });
    } else if (name === "broad_themes") {
      div.on("plotly_click", function (event) {  // customdata: [0, broad theme] or [1, topic]
        var key = event.points[0].customdata;
        if (key[0] === 0) {
          el.themeFilter.value = el.themeFilter.value === String(key[1]) ? "" : String(key[1]);
          el.topicFilter.value = "";
          ts.filterbar.apply(s);
        } else {
          showTable(s, key[1], "");
        }
      });
    }
  }

  var figures = { spec: spec, draw: draw, refresh: refresh, drawAll: drawAll, drawAsSeen: drawAsSeen, bindClicks: bindClicks };
  ts.figures = figures;
  if (typeof module !== "undefined") { module.exports = figures; }
})(globalThis.themescope = globalThis.themescope || {});
