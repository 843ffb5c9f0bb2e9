// For tests/reports/test_page_js.py: the TOML the page writes for the golden curation and for
// hard strings, as JSON on stdout, which Python reads back with tomllib and replays.
"use strict";
const { page, golden, editedReplayCase } = require("./helpers.js");

const STRINGS = ['quote " backslash \\ tab \t nl \n', "\u0000\u001f\u007f", "\u202e\u2066 bidi", "lone \ud800", "美俄關係 😀", "$& {id}"];
const s = editedReplayCase();
process.stdout.write(JSON.stringify({
  toml: page.curation.curationToml(s),
  strings: STRINGS,
  strings_toml: STRINGS.map((v, i) => `s${i} = ${page.toml.tomlString(v)}`).join("\n") + "\n",
  assignments: s.data.map((r) => r[3]),
  labels: Object.fromEntries(page.state.present(s, false).map((t) => [String(t), s.labels[t]])),
  next_id: s.nextId,
}));
