// Escaping, excerpts and names: the page's text.js against what Python computes.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { page, golden } = require("./helpers.js");

test("escape is figures/style.esc: cut, trailing whitespace dropped, & < > % escaped", () => {
  for (const c of golden.escape) {
    assert.equal(page.text.escape(c.text, c.limit === null ? undefined : c.limit), c.out, JSON.stringify(c));
  }
});

test("escape leaves no markup in hostile text", () => {
  const out = page.text.escape("</script><img src=x onerror=alert(1)>%{y}");
  assert.ok(!out.includes("<") && !out.includes(">") && !out.includes("%{"));
});

test("excerpt is curation/anchors.excerpt", () => {
  for (const c of golden.excerpt) assert.equal(page.text.excerpt(c.text, c.chars), c.out, JSON.stringify(c));
});

test("topic names and the time view's hover are rules.topic_name and rules.TIME_HOVER", () => {
  for (const c of golden.names) {
    assert.equal(page.text.topicName(golden.rules, c.id, c.label), c.name);
    const name = page.text.escape(page.text.topicName(golden.rules, c.id, c.label), golden.rules.chars.time_hover_name);
    assert.equal(page.text.fill(golden.rules.hover.time, { name }), c.time_hover);
  }
});

test("cleanLabel drops control characters and lone surrogates, as the config's labels do", () => {
  assert.equal(page.text.cleanLabel("  a\u0000b\u0007 \ud800 c\n "), "ab \ufffd c");
  assert.equal(page.text.cleanLabel("\u202e keeps format characters"), "\u202e keeps format characters");
  const long = "😀".repeat(golden.rules.label_chars + 5);
  assert.equal(Array.from(page.text.cleanLabel(long, golden.rules.label_chars)).length, golden.rules.label_chars);
});
