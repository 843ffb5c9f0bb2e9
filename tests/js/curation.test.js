// The page's curation: the edits give the topics curation/replay.py gives; undo; the TOML.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { page, golden, editedReplayCase } = require("./helpers.js");

function outcome(s) {
  const labels = {};
  for (const t of page.state.present(s, false)) labels[t] = s.labels[t];
  return { assignments: s.data.map((r) => r[3]), labels, next_id: s.nextId };
}

test("the edits give the topics curation.replay gives for the same steps", () => {
  const s = editedReplayCase();
  const c = golden.replay;
  assert.deepEqual(outcome(s), { assignments: c.assignments, labels: c.labels, next_id: c.next_id });
  assert.equal(s.edits.length, c.edits.length);
});

test("undo goes back one edit at a time, to the run's topics", () => {
  const s = editedReplayCase();
  const c = golden.replay;
  while (page.curation.undo(s) !== null) { /* all of them */ }
  assert.deepEqual(s.data.map((r) => r[3]), c.paragraphs.map((p) => p[2]));
  assert.equal(s.nextId, c.next_topic_id);
  assert.deepEqual(s.edits, []);
  assert.equal(page.curation.undo(s), null);
});

test("the TOML names each paragraph by id and excerpt, escapes what TOML must", () => {
  const toml = page.curation.curationToml(editedReplayCase());
  assert.ok(toml.startsWith("# A themescope curation"));
  assert.equal(toml.split("[[curation.steps]]").length - 1, golden.replay.edits.length);
  assert.ok(toml.includes('{ id = "q1-a0-p1", text = "US sanctions on Russia widen again" }'));
  assert.ok(toml.includes('label = "Pivot \\"east\\" \\\\ $& \\u202e"'));
  assert.ok(toml.includes('to = "outliers"'));
});

test("tomlString escapes quotes, backslashes, controls and format characters; lone surrogates become U+FFFD", () => {
  const t = page.toml.tomlString;
  assert.equal(t('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(t("\n\t\r\u0001\u007f"), '"\\n\\t\\r\\u0001\\u007f"');
  assert.equal(t("\u202e\u200b\ufeff"), '"\\u202e\\u200b\\ufeff"');
  assert.equal(t("x\ud800y"), '"x\\ufffdy"');
  assert.equal(t("美俄 😀"), '"美俄 😀"');
});
