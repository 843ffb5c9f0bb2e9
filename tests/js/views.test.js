// The rules the views apply as Python's figures do: periods, the authors' and the flow's caps.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { page, golden, makeState } = require("./helpers.js");

test("period starts are figures/over_time.period_start", () => {
  for (const c of golden.period_start) assert.equal(page.time.periodStart(c.day, c.period), c.out, JSON.stringify(c));
});

test("time buckets: shares per period of the question chosen, days without a day left out", () => {
  const NO = golden.rules.no_day;
  const rows = [["q1-a0-p1", "", "", 0, ""], ["q1-a0-p2", "", "", 1, ""], ["q2-a0-p1", "", "", -1, ""], ["q2-a0-p2", "", "", 0, ""]];
  const s = makeState(rows, [], 2, {
    questions: ["q1", "q2"], question: Int32Array.from([0, 0, 1, 1]), day: Int32Array.from([17000, 17001, 17002, NO]),
  });
  const all = page.time.buckets(s, "year", "");
  assert.deepEqual(all.starts, [page.time.periodStart(17000, "year")]);
  assert.deepEqual(all.topics, [0, 1, -1]);  // outliers last
  assert.equal(all.totals[all.starts[0]], 3);
  const q2 = page.time.buckets(s, "day", "q2");
  assert.deepEqual(q2.starts, [17002]);
  assert.deepEqual(q2.topics, [-1]);
  const traces = page.time.bars(s, all, { width: 1, offset: 0 });
  assert.deepEqual(traces.map((t) => t.y[0]), [33.33, 33.33, 33.33]);
  assert.equal(traces[2].name, "Outliers");
});

test("the authors' heatmap keeps the topics figures/authors.py keeps past its cap", () => {
  const c = golden.authors;
  const s = makeState(c.rows.map((r) => [r[0], r[1], "", r[2], ""]));
  const all = page.state.present(s, true);
  assert.ok(all.length > golden.rules.max_author_topics);
  const shown = page.authors.shownTopics(s, c.authors, all, page.filters.context("", null, null));
  assert.deepEqual(shown, c.topics);
});

test("a question's flow shows the answers figures/answer_flow.py shows (answers and squares capped)", () => {
  for (const c of golden.flow) {
    const rows = [], answer = [];
    c.answers.forEach(([id, n], k) => {
      for (let p = 0; p < n; p++) { rows.push([`${id}-p${p + 1}`, "a", "", 0, ""]); answer.push(k); }
    });
    const s = makeState(rows, [], 1, { questions: ["q1"], answer: Int32Array.from(answer) });
    const shown = page.flow.questionAnswers(s, "q1").answers.map((k) => c.answers[k][0]);
    assert.deepEqual(shown, c.shown);
  }
});

test("filters: context by question and days, topics, authors, search", () => {
  const rows = [["q1-a0-p1", "ann", "", 0, "Sanctions"], ["q1-a1-p1", "bob", "", 1, "Pivot"], ["q2-a0-p1", "ann", "", 1, "Summit"]];
  const s = makeState(rows, [{ id: 0, label: "a", representative: [], parent: 0 }, { id: 1, label: "b", representative: [], parent: 1 }], 2, {
    questions: ["q1", "q2"], question: Int32Array.from([0, 0, 1]), day: Int32Array.from([10, 20, golden.rules.no_day]),
  });
  const none = page.filters.context("", null, null);
  const match = (f) => page.filters.matching(s, Object.assign({ topic: "", author: "", theme: "", query: "", context: none }, f));
  assert.deepEqual(match({}), [0, 1, 2]);
  assert.deepEqual(match({ topic: "1" }), [1, 2]);
  assert.deepEqual(match({ author: "ann", theme: "1" }), [2]);
  assert.deepEqual(match({ query: "pivot" }), [1]);
  assert.deepEqual(match({ context: page.filters.context("q1", null, null) }), [0, 1]);
  assert.deepEqual(match({ context: { question: "", from: 15, to: null } }), [1]);  // no day: out of any span
  assert.equal(page.filters.dayOf("1970-01-11"), 10);
  assert.equal(page.filters.dayOf("0099-03-01"), page.filters.utcDay(99, 3, 1));
  assert.ok(page.filters.utcDay(99, 3, 1) < page.filters.utcDay(1999, 3, 1));  // not read as 1999
});

test("time shares are rounded as the time figure rounds them (round(v, 2): exact ties to even)", () => {
  for (const c of golden.time_shares) assert.equal(page.time.share(c.n, c.total), c.share, JSON.stringify(c));
});

test("the map's hover text is rules.MAP_HOVER filled as figures/paragraph_map.py fills it", () => {
  const s = makeState(golden.map_hover.map((c) => c.row));
  for (const c of golden.map_hover) assert.equal(page.map.hoverText(s, c.row), c.hover);
});

test("the flow's rows are named as figures/answer_flow.py names them (rules.FLOW_ROW)", () => {
  const s = makeState([]);
  for (const c of golden.flow_rows) assert.equal(page.flow.rowName(s, c.author, c.answer), c.name);
});
