// The map's selection (Plotly's lasso and box select, in the map's modebar): the paragraphs
// selected filter the table, the cards and the views as the other filters do (filters.js:
// f.selection); the bar under the map moves them to a topic or splits them off as a new topic
// (curation.js: move, split) and saves them as CSV under paragraphs.csv's rules
// (rules.selection_csv: rundir.csv_cell). The CSV and the ids are pure (node --test).
(function (ts) {
  "use strict";
  var text = ts.text || require("./text.js");
  var curation = ts.curation || require("./curation.js");

  // A cell as paragraphs.csv holds it: text quoted, marked where it begins like a formula.
  function cell(value, rules) {
    if (typeof value === "number") { return String(value); }
    var v = String(value);
    if (rules.starts.some(function (start) { return v.indexOf(start) === 0; })) { v = rules.mark + v; }
    return "\"" + v.replace(/"/g, "\"\"") + "\"";
  }
  // The CSV of ``rows`` (arrays of cells) under a header of rules.columns (no BOM: the file adds it).
  function csv(rows, rules) {
    return [rules.columns].concat(rows).map(function (r) {
      return r.map(function (c) { return cell(c, rules); }).join(",") + "\r\n";
    }).join("");
  }
  // The paragraphs a plotly_selected event names, as {id: true} (null: nothing selected).
  function idsOf(event) {
    if (!event || !event.points) { return null; }
    var ids = {};
    event.points.forEach(function (p) { if (p.data && p.data.ids) { ids[p.data.ids[p.pointNumber]] = true; } });
    return ids;
  }
  // The selection's rows in the table's order, as the CSV holds them: [id, text].
  function rows(s) {
    return s.data.filter(function (r) { return s.selection && s.selection[r[0]]; }).map(function (r) { return [r[0], r[4]]; });
  }

  // The DOM: the bar under the map.
  function el(id) { return document.getElementById(id); }
  function show(s) {
    var bar = el("map-selection");
    if (!bar) { return; }
    var count = s.selection ? Object.keys(s.selection).length : 0;
    bar.hidden = count === 0;
    el("selection-size").textContent = String(count);
    var select = el("selection-topic"), kept = select.value;
    select.textContent = "";
    ts.state.present(s, false).concat([-1]).forEach(function (t) {
      var option = document.createElement("option");
      option.value = String(t); option.textContent = ts.state.topicName(s, t);
      select.appendChild(option);
    });
    select.value = kept;
    if (select.selectedIndex < 0) { select.selectedIndex = 0; }
  }
  function set(s, ids) {
    s.selection = ids && Object.keys(ids).length ? ids : null;
    show(s);
    ts.filterbar.apply(s);
  }
  function clear(s) {
    var div = el("fig-map");
    // every trace's points unselected, the lasso's or box's outline gone
    if (s.selection && div && div.data) { Plotly.update(div, { selectedpoints: null }, { selections: [] }); }
    set(s, null);
  }
  function download(s) {
    var rules = s.rules.selection_csv, body = csv(rows(s), rules);
    text.download("selection.csv", (rules.bom ? "\ufeff" : "") + body, "text/csv;charset=utf-8");
  }
  function edit(s, make) {
    var ids = rows(s).map(function (r) { return r[0]; });
    if (!ids.length) { return; }
    var description = make(ids);
    if (description === null) { return; }
    s.selection = null;
    ts.curate.refreshAll(s);
    s.el.message.textContent = description;
    el("selection-message").textContent = description;
    show(s);
  }
  function bind(s) {
    if (!el("map-selection")) { return; }
    el("selection-clear").addEventListener("click", function () { clear(s); });
    el("selection-csv").addEventListener("click", function () { download(s); });
    el("selection-move").addEventListener("click", function () {
      var t = Number(el("selection-topic").value);
      edit(s, function (ids) {
        ids = ids.filter(function (p) { return s.data[s.rowOf[p]][3] !== t; });
        return ids.length ? curation.move(s, ids, t) : null;
      });
    });
    el("selection-split").addEventListener("click", function () {
      var input = el("selection-label");
      var label = text.cleanLabel(input.value, s.rules.label_chars) || "New topic " + s.nextId;
      input.value = "";
      edit(s, function (ids) { return curation.split(s, ids, label); });
    });
  }
  // The map's events (map.js binds them): a selection made, or cleared by a double click.
  function onMap(s, div) {
    div.on("plotly_selected", function (event) { set(s, idsOf(event)); });
    div.on("plotly_deselect", function () { set(s, null); });
  }

  var selection = { cell: cell, csv: csv, idsOf: idsOf, rows: rows, set: set, clear: clear, bind: bind, onMap: onMap,
                    show: show };
  ts.selection = selection;
  if (typeof module !== "undefined") { module.exports = selection; }
})(globalThis.themescope = globalThis.themescope || {});
