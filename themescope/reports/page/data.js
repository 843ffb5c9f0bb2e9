// The page's data blocks: the JSON script elements (id "data-NAME") written by
// reports/html.py (inert JSON, read with JSON.parse, never eval), gzipped above a size.
(function (ts) {
  "use strict";
  function json(id) { return JSON.parse(document.getElementById(id).textContent); }
  function bytesOf(base64) {
    if (Uint8Array.fromBase64) { return Uint8Array.fromBase64(base64); }  // (Chromium 140+: 10x faster)
    var raw = atob(base64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  // A data block, inflated by the browser's own gzip when reports/html.py packed it.
  function block(id) {
    var value = json(id);
    if (!value || typeof value.gzip !== "string") { return Promise.resolve(value); }
    var stream = new Blob([bytesOf(value.gzip)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }
  // A column in plotly.js's typed-array form: {dtype, bdata} (little-endian, base64).
  function typed(spec) {
    var Type = { i4: Int32Array, f4: Float32Array, u1: Uint8Array }[spec.dtype];
    return new Type(bytesOf(spec.bdata).buffer);
  }
  var data = { json: json, bytesOf: bytesOf, block: block, typed: typed };
  ts.data = data;
  if (typeof module !== "undefined") { module.exports = data; }
})(globalThis.themescope = globalThis.themescope || {});
