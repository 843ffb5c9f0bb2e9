// The curation as TOML, as `themescope run --curation` reads it back. Pure.
(function (ts) {
  "use strict";
  // Bidi and other invisible format characters: escaped, so an editor shows the snippet as it is.
  var FORMAT_CHARACTERS = /^[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]$/;

  // TOML basic strings: quotes, backslashes and control characters escaped; a lone surrogate
  // (no character at all) becomes U+FFFD, as TOML allows no escape for it.
  function tomlString(text) {
    var out = "";
    Array.from(String(text)).forEach(function (ch) {
      var c = ch.codePointAt(0);
      if (ch === "\"") { out += "\\\""; }
      else if (ch === "\\") { out += "\\\\"; }
      else if (c === 10) { out += "\\n"; }
      else if (c === 9) { out += "\\t"; }
      else if (c === 13) { out += "\\r"; }
      else if (c < 32 || c === 127 || FORMAT_CHARACTERS.test(ch)) { out += "\\u" + ("000" + c.toString(16)).slice(-4); }
      else if (c >= 0xd800 && c <= 0xdfff) { out += "\\ufffd"; }
      else { out += ch; }
    });
    return "\"" + out + "\"";
  }
  // An anchor: { id, text } when given a text (a string), else the bare id.
  function anchor(id, text) {
    return typeof text === "string" ? "{ id = " + tomlString(id) + ", text = " + tomlString(text) + " }" : tomlString(id);
  }
  // One [[curation.steps]] table; ``anchorOf`` writes each paragraph the step names.
  function stepToml(step, anchorOf) {
    var lines = ["[[curation.steps]]"];
    if (step.rename) { lines.push("rename = " + anchorOf(step.rename)); }
    ["merge", "move", "split"].forEach(function (key) {
      if (step[key]) { lines.push(key + " = [" + step[key].map(anchorOf).join(", ") + "]"); }
    });
    if (step.to) { lines.push("to = " + (step.to === "outliers" ? "\"outliers\"" : anchorOf(step.to))); }
    if (step.label) { lines.push("label = " + tomlString(step.label)); }
    return lines.join("\n");
  }
  // The whole snippet: the steps in force (anchors as the config gave them), then the page's.
  function curationToml(given, made, anchorOfMade) {
    var lines = [
      "# A themescope curation, saved from a report. Run again with it:",
      "#   themescope run CONFIG --curation curation.toml",
      "# or put this [curation] section in the config, in place of the one there.",
      "[curation]"
    ];
    function givenAnchor(a) { return typeof a === "string" ? tomlString(a) : anchor(a.id, a.text || undefined); }
    given.forEach(function (s) { lines.push("", stepToml(s, givenAnchor)); });
    made.forEach(function (s) { lines.push("", stepToml(s, anchorOfMade)); });
    return lines.join("\n") + "\n";
  }

  var toml = { tomlString: tomlString, anchor: anchor, stepToml: stepToml, curationToml: curationToml };
  ts.toml = toml;
  if (typeof module !== "undefined") { module.exports = toml; }
})(globalThis.themescope = globalThis.themescope || {});
