// The names on the map: labels.js against figures/map_labels.py, and its own rules.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { page, golden } = require("./helpers.js");

const RULES = golden.rules.map_labels;

test("place is figures/map_labels.place_labels on the golden cases", () => {
  for (const c of golden.map_labels) {
    const placed = page.labels.place(c.xs, c.ys, c.keys, c.names, c.view, RULES);
    assert.deepEqual(placed.map((p) => [p.key, p.text]), c.placed.map((p) => [p.key, p.text]));
    placed.forEach((p, k) => {
      const q = c.placed[k];
      assert.ok(Math.abs(p.x - q.x) < 1e-9 && Math.abs(p.y - q.y) < 1e-9, JSON.stringify([p, q]));
      p.box.forEach((v, j) => assert.ok(Math.abs(v - q.box[j]) < 1e-9));
    });
  }
});

test("the golden names are escaped: a hostile name is text", () => {
  const texts = golden.map_labels.flatMap((c) => c.placed.map((p) => p.text));
  assert.ok(texts.some((t) => t.includes("&lt;img")));
  assert.ok(texts.every((t) => !t.includes("<") && !t.includes(">")));
});

// Many groups of random sizes, some tiny, in clusters that crowd each other.
function crowd(seed, groups, points) {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const xs = [], ys = [], keys = [], names = {};
  for (let g = 0; g < groups; g++) {
    const cx = random() * 10, cy = random() * 10, n = Math.floor(random() * random() * points) + 1;
    names[g] = "topic " + g + " " + "word ".repeat(g % 5);
    for (let k = 0; k < n; k++) { xs.push(cx + (random() - 0.5)); ys.push(cy + (random() - 0.5)); keys.push(g); }
  }
  return { xs, ys, keys, names };
}

test("no two boxes overlap, each inside the plot, at most max_labels", () => {
  for (let seed = 1; seed < 30; seed++) {
    const c = crowd(seed, 60, 400);
    for (const view of [{ x0: 0, x1: 10, y0: 0, y1: 10, width: 700, height: 500 },
                        { x0: 2, x1: 5, y0: 3, y1: 6, width: 400, height: 300 }]) {
      const placed = page.labels.place(c.xs, c.ys, c.keys, c.names, view, RULES);
      assert.ok(placed.length <= RULES.max_labels);
      placed.forEach((p, i) => {
        assert.ok(p.box[0] >= 0 && p.box[1] >= 0 && p.box[2] <= view.width && p.box[3] <= view.height);
        placed.slice(i + 1).forEach((q) => assert.ok(!page.labels.overlap(p.box, q.box), JSON.stringify([p, q])));
      });
    }
  }
});

test("a group is named from fill_share of the points in view, the largest first; outliers never", () => {
  const xs = [], ys = [], keys = [];
  const add = (x, y, n, key) => { for (let k = 0; k < n; k++) { xs.push(x + k * 0.001); ys.push(y); keys.push(key); } };
  // 2: 5 of 206 (under min_share, over fill_share); 3: 1 of 206 (under fill_share)
  add(1, 1, 100, 0); add(5, 5, 94, 1); add(9, 1, 5, 2); add(1, 9, 1, 3); add(9, 9, 6, null);
  const names = { 0: "zero", 1: "one", 2: "two", 3: "three" };
  const view = { x0: 0, x1: 10, y0: 0, y1: 10, width: 800, height: 800 };
  const named = page.labels.place(xs, ys, keys, names, view, RULES).map((p) => p.key);
  assert.deepEqual(named, [0, 1, 2]);
  // zoomed on 2's corner: there it holds all it can
  const zoomed = page.labels.place(xs, ys, keys, names, { x0: 8, x1: 10, y0: 0, y1: 2, width: 400, height: 400 }, RULES);
  assert.deepEqual(zoomed.map((p) => p.key), [2]);
  // the label sits on the group's points, not at an empty mean: an arc's name on the arc
  const arc = { xs: [], ys: [], keys: [] };
  for (let k = 0; k <= 40; k++) { arc.xs.push(Math.cos(Math.PI * k / 40)); arc.ys.push(Math.sin(Math.PI * k / 40)); arc.keys.push(0); }
  const [p] = page.labels.place(arc.xs, arc.ys, arc.keys, { 0: "arc" }, { x0: -1.2, x1: 1.2, y0: -1.2, y1: 1.2, width: 600, height: 600 }, RULES);
  assert.ok(Math.hypot(p.x, p.y) > 0.8, JSON.stringify(p));
});

test("placement is deterministic: the same input, the same names, whatever the order of the groups", () => {
  const c = crowd(7, 40, 300);
  const view = { x0: 0, x1: 10, y0: 0, y1: 10, width: 700, height: 500 };
  const once = page.labels.place(c.xs, c.ys, c.keys, c.names, view, RULES);
  assert.deepEqual(page.labels.place(c.xs, c.ys, c.keys, c.names, view, RULES), once);
  const order = c.xs.map((_, i) => i).reverse();
  const names = Object.fromEntries(Object.entries(c.names).reverse());
  const reversed = page.labels.place(order.map((i) => c.xs[i]), order.map((i) => c.ys[i]), order.map((i) => c.keys[i]), names, view, RULES);
  assert.deepEqual(reversed.map((p) => p.key), once.map((p) => p.key));
});

test("annotations carry the escaped text and no arrow", () => {
  const a = page.labels.annotations([{ key: 1, text: "&lt;b&gt;", x: 1, y: 2, box: [0, 0, 1, 1] }], RULES);
  assert.equal(a[0].text, "&lt;b&gt;");
  assert.equal(a[0].showarrow, false);
  assert.equal(a[0].xref, "x");
});

test("the selection's CSV is paragraphs.csv's: text quoted, formula cells marked (golden)", () => {
  const c = golden.selection_csv;
  assert.equal(page.selection.csv(c.rows, golden.rules.selection_csv), c.csv);
});

test("a plotly_selected event names its paragraphs by id; none: null", () => {
  const data = { ids: ["a", "b", "c"] };
  assert.deepEqual(page.selection.idsOf({ points: [{ data, pointNumber: 2 }, { data, pointNumber: 0 }] }), { c: true, a: true });
  assert.equal(page.selection.idsOf(undefined), null);
});

test("the filters keep the map's selection alone", () => {
  const s = require("./helpers.js").makeState([["p1", "a", "", 0, "x"], ["p2", "a", "", 1, "y"], ["p3", "b", "", 1, "z"]]);
  const f = { topic: "", author: "", theme: "", query: "", context: page.filters.context("", "", "") };
  assert.deepEqual(page.filters.matching(s, Object.assign({ selection: { p1: true, p3: true } }, f)), [0, 2]);
  assert.deepEqual(page.filters.matching(s, Object.assign({ selection: null }, f)), [0, 1, 2]);
});
