// The paragraph table: built from the state's rows, only those the filters let through, a
// page of PAGE rows at a time, so 200,000 paragraphs cost no more layout than 200. Text goes
// in with textContent only, never innerHTML.
(function (ts) {
  "use strict";
  var PAGE = 200;

  function cell(text, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    td.textContent = text;
    return td;
  }
  function highlight(td, q) {
    var text = td.textContent, lower = text.toLowerCase(), at = lower.indexOf(q), pos = 0;
    if (!q || at < 0) { return; }
    td.textContent = "";
    while (at >= 0) {
      td.appendChild(document.createTextNode(text.slice(pos, at)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(at, at + q.length);
      td.appendChild(mark);
      pos = at + q.length;
      at = lower.indexOf(q, pos);
    }
    td.appendChild(document.createTextNode(text.slice(pos)));
  }
  function render(s) {
    var el = s.el, fragment = document.createDocumentFragment();
    s.matches.slice(s.pageStart, s.pageStart + PAGE).forEach(function (i) {
      var r = s.data[i], tr = document.createElement("tr");
      tr.dataset.id = r[0]; tr.dataset.author = r[1]; tr.dataset.topic = String(r[3]);
      if (r[0] === s.selectedId) { tr.className = "selected"; }
      var topic = cell(String(r[3]));
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = r[5];
      topic.insertBefore(swatch, topic.firstChild);
      var text = cell(r[4], "text");
      highlight(text, s.query);
      var pick = cell("", "pick"), box = document.createElement("input");
      box.type = "checkbox"; box.checked = Boolean(s.picked[r[0]]); box.setAttribute("aria-label", "Select " + r[0]);
      pick.appendChild(box);
      [pick, cell(r[0]), cell(r[1], "author"), cell(r[2], "heading"), topic, text].forEach(function (td) { tr.appendChild(td); });
      fragment.appendChild(tr);
    });
    el.tbody.textContent = "";
    el.tbody.appendChild(fragment);
    el.count.textContent = s.matches.length + " / " + s.data.length + " paragraphs";
    el.pageStatus.textContent = s.matches.length > PAGE ?
      "rows " + (s.pageStart + 1) + "\u2013" + Math.min(s.pageStart + PAGE, s.matches.length) + " of " + s.matches.length : "";
    el.previous.disabled = s.pageStart === 0;
    el.next.disabled = s.pageStart + PAGE >= s.matches.length;
  }
  // The page of the table that holds paragraph ``id`` (cleared of filters when they hide it).
  function showParagraph(s, id) {
    s.selectedId = id;
    var at = s.matches.indexOf(s.rowOf[id]);
    if (at < 0) { ts.filterbar.clear(s); ts.filterbar.apply(s); at = s.matches.indexOf(s.rowOf[id]); }
    s.pageStart = Math.floor(at / PAGE) * PAGE;
    render(s);
    var row = s.el.tbody.querySelector("tr.selected");
    if (row) { row.scrollIntoView({ block: "center" }); }
  }
  // Paging, sortable columns (numbers as numbers, the rest by locale, the original order kept
  // for ties) and the tick boxes.
  function bind(s) {
    var el = s.el;
    el.previous.addEventListener("click", function () { s.pageStart = Math.max(0, s.pageStart - PAGE); render(s); });
    el.next.addEventListener("click", function () { s.pageStart += PAGE; render(s); });
    var collator = new Intl.Collator();
    var sortKeys = [null, 0, 1, 2, 3, 4];  // the first column holds the tick boxes
    document.querySelectorAll("#paragraph-table th").forEach(function (th, column) {
      if (sortKeys[column] === null) { return; }
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        document.querySelectorAll("#paragraph-table th[aria-sort]").forEach(function (o) { o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var key = sortKeys[column];
        s.order.sort(function (a, b) {
          var x = s.data[a][key], y = s.data[b][key];
          var c = typeof x === "number" ? x - y : collator.compare(String(x), String(y));
          return (ascending ? c : -c) || a - b;
        });
        ts.filterbar.apply(s);
      });
    });
    el.tbody.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox") { return; }
      var id = box.closest("tr").dataset.id;
      if (box.checked) { s.picked[id] = true; } else { delete s.picked[id]; }
      ts.curate.refreshControls(s);
    });
    el.pickAll.addEventListener("change", function () {
      s.matches.forEach(function (i) { if (el.pickAll.checked) { s.picked[s.data[i][0]] = true; } else { delete s.picked[s.data[i][0]]; } });
      render(s);
      ts.curate.refreshControls(s);
    });
  }

  var table = { PAGE: PAGE, render: render, showParagraph: showParagraph, bind: bind };
  ts.table = table;
  if (typeof module !== "undefined") { module.exports = table; }
})(globalThis.themescope = globalThis.themescope || {});
