// What the page's tests share: its modules (as node loads them), the golden fixtures Python
// wrote (tests/reports/test_golden.py) and a page state built from plain rows.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const PAGE = path.join(__dirname, "..", "..", "themescope", "reports", "page");
const page = {};
for (const name of ["text", "data", "toml", "state", "filters", "curation", "labels", "selection", "map", "authors", "flow", "time"]) {
  page[name] = require(path.join(PAGE, name + ".js"));
}
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "golden", "page.json"), "utf8"));

// A state of ``rows`` ([id, author, heading, topic, text]) under the golden rules.
function makeState(rows, topics, nextId, extra) {
  const spec = {
    rules: golden.rules,
    topics: topics || [],
    broad_themes: [],
    curation: { steps: [], next_topic_id: nextId || 0 },
    map: { trace_type: "scatter", marker: {}, max_hover_chars: 200 },
  };
  return page.state.build(spec, rows, extra);
}

// The golden curation case with its edits made in the page; ``s`` is its state.
function editedReplayCase() {
  const c = golden.replay;
  const s = makeState(c.paragraphs.map((p) => [p[0], "author", "", p[2], p[1]]), c.topics, c.next_topic_id);
  for (const e of c.edits) {
    if (e.op === "rename") page.curation.rename(s, e.topic, e.label);
    else if (e.op === "merge") page.curation.merge(s, e.topics, e.label);
    else if (e.op === "move") page.curation.move(s, e.paragraphs, e.to);
    else page.curation.split(s, e.paragraphs, e.label);
  }
  return s;
}

module.exports = { page, golden, makeState, editedReplayCase };
