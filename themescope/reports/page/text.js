// Text as the page shows it: escaped for Plotly, cut to a length, the start of a paragraph
// (a curation anchor's excerpt), a name as the config takes it. Pure: node --test reads it.
(function (ts) {
  "use strict";
  // Python's str.split() whitespace, so an excerpt here is the one curation/anchors.py makes.
  var WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var TRAILING = new RegExp(WHITESPACE.source + "$");  // str.rstrip(): JavaScript's \s is another set

  // Plotly reads names and hover text as its own small HTML: escaped as figures/style.esc
  // does, after cutting to ``limit`` characters (trailing whitespace dropped, "…" added).
  function escape(text, limit) {
    var cut = String(text === null || text === undefined ? "" : text);
    // UTF-16 units are at least as many as characters: cut only when needed
    if (limit && cut.length > limit) {
      var chars = Array.from(cut);
      if (chars.length > limit) { cut = chars.slice(0, limit).join("").replace(TRAILING, "") + "\u2026"; }
    }
    if (!/[&<>%]/.test(cut)) { return cut; }  // most texts: one scan (the map's hover text is 143,705 of them)
    return cut.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/%/g, "&#37;");
  }

  // The start of a text, its whitespace runs single spaces (curation/anchors.py: excerpt).
  function excerpt(text, chars) {
    return Array.from(String(text).split(WHITESPACE).filter(Boolean).join(" ")).slice(0, chars).join("");
  }

  // A name as the config takes it: no control characters, no lone surrogate (U+FFFD instead),
  // at most ``chars`` characters (rules.label_chars), so the page shows what the next run will.
  function cleanLabel(text, chars) {
    var kept = Array.from(String(text).replace(/[\x00-\x1f\x7f]/g, "")).map(function (ch) {
      var c = ch.codePointAt(0);
      return c >= 0xd800 && c <= 0xdfff ? "\ufffd" : ch;
    });
    return (chars ? kept.slice(0, chars) : kept).join("").trim();
  }

  // A format of the spec's ("{id}: {label}") with its fields filled, as Python's str.format
  // and str.replace fill them: a value's "$&" stays as it is (String.replace would expand it).
  function fill(format, values) {
    return format.replace(/\{(\w+)\}/g, function (field, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : field;
    });
  }
  // A topic's name (rules.topic_name): the outliers', or the format with its id and label.
  function topicName(rules, t, label) {
    if (t < 0) { return rules.outlier_name; }
    return fill(rules.topic_name, { id: t, label: label === undefined || label === null ? "" : label });
  }

  // Hands ``content`` to the reader as a file called ``name`` (the page's only way to save:
  // curation.toml, selection.csv). Touches the DOM only when called.
  function download(name, content, type) {
    var url = URL.createObjectURL(new Blob([content], { type: type }));
    var link = document.createElement("a");
    link.href = url; link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  var text = { WHITESPACE: WHITESPACE, escape: escape, excerpt: excerpt, cleanLabel: cleanLabel, fill: fill,
              topicName: topicName, download: download };
  ts.text = text;
  if (typeof module !== "undefined") { module.exports = text; }
})(globalThis.themescope = globalThis.themescope || {});
