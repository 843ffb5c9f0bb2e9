// Curation in the page: rename, merge, move and split, each undoable. The rules are those of
// themescope/curation/replay.py (a merge keeps the smallest id, a split takes the next unused
// one), so the saved steps, replayed by the next run, give the topics shown here
// (tests/js/curation.test.js and tests/reports/test_page_js.py check both ways). Pure: no DOM.
(function (ts) {
  "use strict";
  var state = ts.state || require("./state.js");
  var text = ts.text || require("./text.js");
  var toml = ts.toml || require("./toml.js");

  function anchorOf(s, t) {  // the paragraph that names topic t: its most central one still in it
    var own = (s.reps[t] || []).filter(function (p) { return s.rowOf[p] !== undefined && s.data[s.rowOf[p]][3] === t; });
    if (own.length) { return own[0]; }
    return s.data.find(function (r) { return r[3] === t; })[0];
  }
  function snapshot(s) {
    return { topics: s.data.map(function (r) { return r[3]; }), labels: Object.assign({}, s.labels),
             reps: JSON.parse(JSON.stringify(s.reps)), nextId: s.nextId };
  }
  function record(s, step, description) {
    s.edits.push({ step: step, description: description });
    s.touched = true;
    return description;
  }
  function rename(s, t, label) {
    s.history.push(snapshot(s));
    var anchor = anchorOf(s, t);
    s.labels[t] = label;
    return record(s, { rename: anchor, label: label }, "Renamed topic " + t + " \u201c" + label + "\u201d");
  }
  function merge(s, ids, label) {
    ids = ids.slice().sort(function (a, b) { return a - b; });
    s.history.push(snapshot(s));
    var anchors = ids.map(function (t) { return anchorOf(s, t); }), keep = ids[0];
    s.data.forEach(function (r, i) { if (ids.indexOf(r[3]) >= 0) { state.setTopic(s, i, keep); } });
    ids.slice(1).forEach(function (t) { s.reps[keep] = s.reps[keep].concat(s.reps[t] || []); delete s.reps[t]; delete s.labels[t]; });
    // The merged topic stays under the kept topic's broad theme until the next run says otherwise.
    if (label) { s.labels[keep] = label; }
    var step = { merge: anchors };
    if (label) { step.label = label; }
    return record(s, step, "Merged topics " + ids.join(", ") + " into topic " + keep + " \u201c" + s.labels[keep] + "\u201d");
  }
  function move(s, pids, t) {
    s.history.push(snapshot(s));
    var to = t < 0 ? "outliers" : anchorOf(s, t);
    pids.forEach(function (p) { state.setTopic(s, s.rowOf[p], t); });
    return record(s, { move: pids, to: to }, "Moved " + pids.length + " paragraph(s) to " + (t < 0 ? "the outliers" : "topic " + t));
  }
  function split(s, pids, label) {
    s.history.push(snapshot(s));
    var t = s.nextId;
    s.nextId += 1;
    pids.forEach(function (p) { state.setTopic(s, s.rowOf[p], t); });
    s.labels[t] = label;
    s.reps[t] = pids.slice();
    return record(s, { split: pids, label: label }, "Split " + pids.length + " paragraph(s) off into topic " + t + " \u201c" + label + "\u201d");
  }
  // The last edit undone: its description, or null when there is none.
  function undo(s) {
    var before = s.history.pop();
    if (!before) { return null; }
    before.topics.forEach(function (t, i) { state.setTopic(s, i, t); });
    s.labels = before.labels; s.reps = before.reps; s.nextId = before.nextId;
    return s.edits.pop().description;
  }
  // The curation as TOML: the steps in force, then the page's, each paragraph of this page
  // anchored by its id and the start of its text.
  function curationToml(s) {
    function pageAnchor(pid) { return toml.anchor(pid, text.excerpt(s.data[s.rowOf[pid]][4], s.rules.excerpt_chars)); }
    return toml.curationToml(s.spec.curation.steps, s.edits.map(function (e) { return e.step; }), pageAnchor);
  }

  var curation = { anchorOf: anchorOf, rename: rename, merge: merge, move: move, split: split, undo: undo,
                   curationToml: curationToml };
  ts.curation = curation;
  if (typeof module !== "undefined") { module.exports = curation; }
})(globalThis.themescope = globalThis.themescope || {});
