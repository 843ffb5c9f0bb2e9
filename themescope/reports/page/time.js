// The time view: each topic's share of the paragraphs per period. It follows the question
// chosen and the edits (not the time span: it is where the span is chosen). Periods as
// figures/over_time.py's period_start counts them.
(function (ts) {
  "use strict";
  var text = ts.text || require("./text.js");
  var state = ts.state || require("./state.js");
  var filters = ts.filters || require("./filters.js");

  function periodStart(day, period) {  // days since 1970-01-01 -> the day its period starts
    var d = new Date(day * 86400000);
    if (period === "week") { return day - (d.getUTCDay() + 6) % 7; }
    if (period === "month") { return day - (d.getUTCDate() - 1); }
    if (period === "year") { return filters.utcDay(d.getUTCFullYear(), 1, 1); }
    return day;
  }
  // 100 * n / total to 2 decimals as Python's round(v, 2) does: the nearest, and an exact tie
  // (v * 8 odd: x.125, x.375, …) to the even last digit, where Math.round would go up.
  function share(n, total) {
    var v = 100 * n / total, eighths = v * 8;
    if (Number.isInteger(eighths) && eighths % 2 !== 0) {
      var low = Math.floor(v * 100);
      return (low % 2 === 0 ? low : low + 1) / 100;
    }
    return Number(v.toFixed(2));
  }
  function isoDay(day) { return new Date(day * 86400000).toISOString().slice(0, 10); }
  // Paragraphs per topic and period start, of the question (all for ""): {starts, totals,
  // counts ("topic|start" -> n), topics (outliers last, as the run's figure orders them)}.
  function buckets(s, period, question) {
    var counts = {}, totals = {}, seen = {};
    for (var i = 0; i < s.data.length; i++) {
      if (s.days[i] === s.rules.no_day || (question && s.questions[s.questionColumn[i]] !== question)) { continue; }
      var start = periodStart(s.days[i], period), t = s.data[i][3];
      totals[start] = (totals[start] || 0) + 1;
      counts[t + "|" + start] = (counts[t + "|" + start] || 0) + 1;
      seen[t] = true;
    }
    return {
      starts: Object.keys(totals).map(Number).sort(function (a, b) { return a - b; }),
      totals: totals, counts: counts,
      topics: Object.keys(seen).map(Number).sort(function (a, b) { return (a < 0) - (b < 0) || a - b; })
    };
  }
  // The bars of ``b``, one trace per topic; ``model``: the width and offset the run drew them with.
  function bars(s, b, model) {
    var x = b.starts.map(isoDay), chars = s.rules.chars;
    return b.topics.map(function (t) {
      function n(start) { return b.counts[t + "|" + start] || 0; }
      var name = state.topicName(s, t);
      return { type: "bar", x: x, name: text.escape(name, chars.time_name), width: model.width, offset: model.offset,
               marker: { color: state.colorOf(s, t), line: { width: 0 } },
               y: b.starts.map(function (start) { return share(n(start), b.totals[start]); }),
               customdata: b.starts.map(function (start) { return [n(start), b.totals[start]]; }),
               hovertemplate: text.fill(s.rules.hover.time, { name: text.escape(name, chars.time_hover_name) }) };
    });
  }
  function refresh(s) {
    var div = document.getElementById("fig-time");
    if (!div || !div.data) { return; }
    s.timeBars = s.timeBars || { width: div.data[0].width, offset: div.data[0].offset };  // as the run drew them
    var b = buckets(s, div.layout.meta.period, ts.filterbar.context(s).question);
    Plotly.react(div, bars(s, b, s.timeBars), div.layout);
  }

  // The view (figures.js): rebuilt after an edit or for a question; dragging across it sets the span.
  var time = { periodStart: periodStart, share: share, isoDay: isoDay, buckets: buckets, bars: bars, refresh: refresh,
               follows: function (s) { return s.touched || s.questionKey !== ""; },
               questionChanged: refresh,
               bind: function (s, div) {
                 var el = s.el;
                 div.on("plotly_relayout", function (event) {
                   var range = event["xaxis.range"] || [event["xaxis.range[0]"], event["xaxis.range[1]"]];
                   if (event["xaxis.autorange"]) { el.dateFrom.value = ""; el.dateTo.value = ""; ts.filterbar.apply(s); }
                   else if (range[0] !== undefined) {
                     el.dateFrom.value = String(range[0]).slice(0, 10); el.dateTo.value = String(range[1]).slice(0, 10);
                     ts.filterbar.apply(s);
                   }
                 });
               } };
  ts.time = time;
  (ts.views = ts.views || {}).time = time;
  if (typeof module !== "undefined") { module.exports = time; }
})(globalThis.themescope = globalThis.themescope || {});
