// The page's one state object: the paragraphs (from the data-rows columns), the topics as
// edited, the filters' results and what each view keeps between refreshes. Every module
// reads and writes this object; none keeps state of its own.
(function (ts) {
  "use strict";
  var text = ts.text || require("./text.js");
  var data = ts.data || require("./data.js");

  // The state of a page whose paragraphs are ``rows``: [id, author, heading, topic, text] each,
  // with ``extra`` columns by row: question (index into ``questions``), answer (a number per
  // answer), position (in its answer), day (days since 1970-01-01 or rules.no_day), x, y, onMap.
  function build(spec, rows, extra) {
    extra = extra || {};
    var s = {
      spec: spec, rules: spec.rules,
      questions: extra.questions || [], questionColumn: extra.question || new Int32Array(rows.length),
      answerColumn: extra.answer || new Int32Array(rows.length), positionColumn: extra.position || new Int32Array(rows.length),
      days: extra.day || null, xs: extra.x || null, ys: extra.y || null, onMap: extra.onMap || null,
      data: [], rowOf: {}, labels: {}, reps: {}, parentOf: {},
      nextId: spec.curation.next_topic_id, edits: [], history: [], touched: false,
      picked: {},  // paragraph id -> true: the paragraphs ticked for a move or a split
      selection: null,  // paragraph id -> true: the map's lasso or box selection (selection.js)
      order: [], matches: [], pageStart: 0, query: "", selectedId: null,
      contextKey: "||", questionKey: "", wasFiltered: false,
      lowered: null,  // each row's text as searched: made once the map is drawn, not before
      // The filters as the map shows them (filterbar.js): resolved once it does.
      filtersShown: Promise.resolve(), showFilters: null, pendingSince: 0, restyleTimer: null,
      shownFilter: null,  // the filters the views show: {visible, filtered, opacity} (filterbar.apply)
      map: null, timeBars: null,  // what the map and the time view keep between refreshes
      el: {}  // the page's elements, set by main.js
    };
    spec.topics.forEach(function (t) { s.labels[t.id] = t.label; s.reps[t.id] = t.representative.slice(); s.parentOf[t.id] = t.parent; });
    s.data = rows.map(function (r) { return [r[0], r[1], r[2], r[3], r[4], colorOf(s, r[3])]; });  // [id, author, heading, topic, text, color]
    s.data.forEach(function (r, i) { s.rowOf[r[0]] = i; });
    s.order = s.data.map(function (_, i) { return i; });
    s.matches = s.order.slice();
    return s;
  }
  // The state from the data-rows columns (reports/html.py: paragraph_columns).
  function fromColumns(spec, columns) {
    var topic = data.typed(columns.topic), author = data.typed(columns.author), heading = data.typed(columns.heading);
    var answer = new Int32Array(columns.id.length);  // answer numbers
    data.typed(columns.answer_start).reduce(function (n, starts, i) { answer[i] = n + starts; return n + starts; }, -1);
    var rows = columns.id.map(function (id, i) {
      return [id, columns.authors[author[i]], columns.headings[heading[i]], topic[i], columns.text[i]];
    });
    return build(spec, rows, {
      questions: columns.questions, question: data.typed(columns.question), answer: answer,
      position: data.typed(columns.position), day: columns.day ? data.typed(columns.day) : null,
      x: data.typed(columns.x), y: data.typed(columns.y), onMap: data.typed(columns.on_map)
    });
  }

  function colorOf(s, t) { return t < 0 ? s.rules.outlier_color : s.rules.palette[t % s.rules.palette.length]; }
  function topicName(s, t) { return text.topicName(s.rules, t, s.labels[t]); }
  function present(s, withOutliers) {  // the topics holding paragraphs now, by id
    var seen = {};
    s.data.forEach(function (r) { if (withOutliers || r[3] >= 0) { seen[r[3]] = true; } });
    return Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
  }
  function sizes(s) {
    var n = {};
    s.data.forEach(function (r) { n[r[3]] = (n[r[3]] || 0) + 1; });
    return n;
  }
  function setTopic(s, i, t) { s.data[i][3] = t; s.data[i][5] = colorOf(s, t); }
  function searchable(s) {
    s.lowered = s.lowered || s.data.map(function (r) { return (r[0] + " " + r[1] + " " + r[2] + " " + r[4]).toLowerCase(); });
    return s.lowered;
  }

  var state = { build: build, fromColumns: fromColumns, colorOf: colorOf, topicName: topicName, present: present,
                sizes: sizes, setTopic: setTopic, searchable: searchable };
  ts.state = state;
  if (typeof module !== "undefined") { module.exports = state; }
})(globalThis.themescope = globalThis.themescope || {});
