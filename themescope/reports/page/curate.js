// The curation panel: the forms that make the edits (curation.js), the log, undo, the TOML
// snippet to copy or download, and every view following each edit.
(function (ts) {
  "use strict";
  var state = ts.state || require("./state.js");
  var text = ts.text || require("./text.js");
  var curation = ts.curation || require("./curation.js");

  function say(s, message) { s.el.message.textContent = message; }
  function fillSelect(s, select, ids, first, outliers) {
    var kept = select.value;
    select.textContent = "";
    function add(value, label) {
      var option = document.createElement("option");
      option.value = value; option.textContent = label;
      select.appendChild(option);
    }
    if (first) { add("", first); }
    ids.forEach(function (t) { add(String(t), state.topicName(s, t)); });
    if (outliers) { add("-1", s.rules.outlier_name); }
    select.value = kept;
    if ((select.value !== kept || select.selectedIndex < 0) && select.options.length) { select.selectedIndex = 0; }
  }
  function refreshControls(s) {
    var ids = state.present(s, false);
    fillSelect(s, s.el.topicFilter, ids, "All topics", true);
    fillSelect(s, document.getElementById("rename-topic"), ids, "", false);
    fillSelect(s, document.getElementById("move-topic"), ids, "", true);
    var box = document.getElementById("merge-topics");
    box.textContent = "";
    ids.forEach(function (t) {
      var label = document.createElement("label"), input = document.createElement("input");
      input.type = "checkbox"; input.value = String(t);
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + state.topicName(s, t)));
      box.appendChild(label);
    });
    var count = Object.keys(s.picked).length;
    document.querySelectorAll(".selection-count").forEach(function (c) { c.textContent = String(count); });
    document.getElementById("topic-count").textContent = String(ids.length);
  }
  // Every view after an edit or an undo.
  function refreshAll(s) {
    refreshControls(s);
    ts.cards.refresh(s);
    ts.figures.refreshAll(s);
    var log = document.getElementById("edit-log");
    log.textContent = "";
    s.edits.forEach(function (e) {
      var item = document.createElement("li");
      item.textContent = e.description;
      log.appendChild(item);
    });
    s.el.undo.disabled = s.history.length === 0;
    s.el.toml.value = curation.curationToml(s);
    document.querySelectorAll(".stale").forEach(function (p) { p.hidden = s.edits.length === 0; });
    document.body.dataset.edits = String(s.edits.length);
    ts.filterbar.apply(s);
  }
  function edited(s, description) { refreshAll(s); say(s, description); }

  function pickedIds(s) { return s.data.filter(function (r) { return s.picked[r[0]]; }).map(function (r) { return r[0]; }); }
  function clearPicks(s) { s.picked = {}; s.el.pickAll.checked = false; }
  function form(id, handler) {
    document.getElementById(id).addEventListener("submit", function (event) { event.preventDefault(); handler(); });
  }
  function bind(s) {
    form("rename-form", function () {
      var select = document.getElementById("rename-topic"), input = document.getElementById("rename-label");
      var label = text.cleanLabel(input.value, s.rules.label_chars);
      if (select.value === "" || !label) { say(s, "Choose a topic and type its new name."); return; }
      input.value = "";
      edited(s, curation.rename(s, Number(select.value), label));
    });
    form("merge-form", function () {
      var ids = Array.from(document.querySelectorAll("#merge-topics input:checked")).map(function (i) { return Number(i.value); });
      var input = document.getElementById("merge-label"), label = text.cleanLabel(input.value, s.rules.label_chars);
      if (ids.length < 2) { say(s, "Tick two or more topics to merge."); return; }
      input.value = "";
      edited(s, curation.merge(s, ids, label));
    });
    form("move-form", function () {
      var pids = pickedIds(s), select = document.getElementById("move-topic");
      if (!pids.length || select.value === "") { say(s, "Tick paragraphs in the table, then choose where they go."); return; }
      var t = Number(select.value);
      pids = pids.filter(function (p) { return s.data[s.rowOf[p]][3] !== t; });
      if (!pids.length) { say(s, "The ticked paragraphs are in that topic already."); return; }
      clearPicks(s);
      edited(s, curation.move(s, pids, t));
    });
    form("split-form", function () {
      var pids = pickedIds(s), input = document.getElementById("split-label");
      if (!pids.length) { say(s, "Tick the paragraphs that form the new topic in the table."); return; }
      var label = text.cleanLabel(input.value, s.rules.label_chars) || "New topic " + s.nextId;
      input.value = "";
      clearPicks(s);
      edited(s, curation.split(s, pids, label));
    });
    s.el.undo.addEventListener("click", function () {
      var undone = curation.undo(s);
      if (undone === null) { return; }
      say(s, "Undone: " + undone);
      refreshAll(s);
    });
    document.getElementById("copy-toml").addEventListener("click", function () {
      var status = document.getElementById("copy-status"), snippet = curation.curationToml(s);
      function byHand() {
        s.el.toml.focus();
        s.el.toml.select();
        status.textContent = document.execCommand("copy") ? "Copied." : "Select the text above and copy it.";
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(snippet).then(function () { status.textContent = "Copied."; }, byHand);
      } else { byHand(); }
    });
    document.getElementById("download-toml").addEventListener("click", function () {
      text.download("curation.toml", curation.curationToml(s), "text/plain;charset=utf-8");
    });
    refreshControls(s);
    s.el.toml.value = curation.curationToml(s);
  }

  var curate = { refreshControls: refreshControls, refreshAll: refreshAll, bind: bind };
  ts.curate = curate;
  if (typeof module !== "undefined") { module.exports = curate; }
})(globalThis.themescope = globalThis.themescope || {});
