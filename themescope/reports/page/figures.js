// Drawing the views: the map first, the others one per task, so the page answers input
// early; a large report draws each as its section nears the view.
//
// A view is a module that registers itself in ``themescope.views`` under its figure's name
// (reports/spec.py: ReportSpec.figures; its section holds div#fig-NAME, its figure
// data-NAME), with any of:
//   traces(s, fig)        the traces to draw (default: the figure's own, as the run drew it)
//   bind(s, div)          what a click on it does
//   follows(s), refresh(s)  whether it must be built again now (after an edit, in a
//                         context) and doing so
//   contextChanged(s), questionChanged(s)  the question or time span chosen changed
//   filtered(s, shown)    the filters changed: shown = {visible[row], filtered, opacity(row)}
(function (ts) {
  "use strict";
  var CONFIG = { responsive: true, displaylogo: false };
  var QUIET_MS = 800;
  var template = null;  // every figure's look, given once (data-template)

  function views() { return ts.views || {}; }
  // Each view that has ``hook``, in the order the modules registered.
  function each(hook, call) {
    Object.keys(views()).forEach(function (name) { var v = views()[name]; if (v[hook]) { call(v, name); } });
  }
  function spec(name) {  // a figure as the run drew it (data-NAME), with the look
    var fig = ts.data.json("data-" + name);
    template = template || ts.data.json("data-template");
    fig.layout.template = template;
    return fig;
  }
  function draw(s, name) {
    var fig = spec(name), v = views()[name] || {};
    var traces = v.traces ? v.traces(s, fig) : fig.data;
    if (name === "map") { ts.main.mark("traces"); }
    return Plotly.newPlot("fig-" + name, traces, fig.layout, CONFIG).then(function (div) {
      if (v.bind) { v.bind(s, div); }
      return div;
    });
  }
  // A view the page builds again when it must (after an edit, within a context).
  function refresh(s, name) {
    var v = views()[name];
    if (v && v.refresh && v.follows(s)) { v.refresh(s); }
  }
  function refreshAll(s) { each("refresh", function (v, name) { refresh(s, name); }); }
  function drawLater(s, name) {
    return draw(s, name).then(function () {
      var v = views()[name] || {};
      refresh(s, name);
      if (v.filtered && s.shownFilter) { v.filtered(s, s.shownFilter); }  // drawn after a filter was set
    });
  }
  function later(s) {  // the views after the map that this report holds
    return s.spec.figures.filter(function (name) { return name !== "map" && document.getElementById("fig-" + name); });
  }
  function drawAll(s) {  // one per task
    var names = later(s);
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
    later(s).forEach(function (name) { observer.observe(document.getElementById("fig-" + name)); });
  }
  // Clicking a point (map or answer flow) shows its paragraph in the table.
  function selectParagraph(s, event) {
    var point = event.points[0];
    if (!point.data.ids) { return; }
    ts.table.showParagraph(s, point.data.ids[point.pointNumber]);
  }

  var figures = { each: each, spec: spec, draw: draw, refresh: refresh, refreshAll: refreshAll, drawAll: drawAll,
                  drawAsSeen: drawAsSeen, selectParagraph: selectParagraph };
  ts.figures = figures;
  if (typeof module !== "undefined") { module.exports = figures; }
})(globalThis.themescope = globalThis.themescope || {});
