// Which paragraphs the filters let through: the topic, author and broad theme chosen, the
// search, and the context (the question and the time span), which the table, the map, the
// answer flow and the authors' heatmap all follow. Pure: node --test reads it.
(function (ts) {
  "use strict";
  var state = ts.state || require("./state.js");

  function utcDay(year, month, day) {  // days since 1970-01-01 (Date.UTC reads years 0-99 as 19xx)
    var d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    return Math.round(d.getTime() / 86400000);
  }
  function dayOf(value) {  // "YYYY-MM-DD" -> days since 1970-01-01, as the day column counts
    var parts = value.split("-").map(Number);
    return utcDay(parts[0], parts[1], parts[2]);
  }
  // The context from the filters' values: {question, from, to} (days, or null).
  function context(question, from, to) {
    return { question: question || "", from: from ? dayOf(from) : null, to: to ? dayOf(to) : null };
  }
  function contextKey(c) { return [c.question, c.from, c.to].join("|"); }  // "||": no question, no span
  function inContext(s, i, c) {
    if (c.question && s.questions[s.questionColumn[i]] !== c.question) { return false; }
    if (c.from === null && c.to === null) { return true; }
    var day = s.days[i];
    return day !== s.rules.no_day && (c.from === null || day >= c.from) && (c.to === null || day <= c.to);
  }
  // The rows (in the table's order) that pass: f = {topic, author, theme (strings, "" for
  // any), query (lower case), context, selection ({id: true}: the map's selection; null or
  // absent: any)}.
  function matching(s, f) {
    var contextual = contextKey(f.context) !== "||", texts = f.query ? state.searchable(s) : null;
    return s.order.filter(function (i) {
      var r = s.data[i];
      return (!f.topic || String(r[3]) === f.topic) && (!f.author || r[1] === f.author) &&
             (!f.theme || String(s.parentOf[r[3]]) === f.theme) &&
             (!contextual || inContext(s, i, f.context)) &&
             (!f.query || texts[i].indexOf(f.query) >= 0) &&
             (!f.selection || f.selection[r[0]] === true);
    });
  }

  var filters = { utcDay: utcDay, dayOf: dayOf, context: context, contextKey: contextKey, inContext: inContext,
                  matching: matching };
  ts.filters = filters;
  if (typeof module !== "undefined") { module.exports = filters; }
})(globalThis.themescope = globalThis.themescope || {});
