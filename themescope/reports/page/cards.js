// The topics' cards: their names and sizes follow the edits; a topic split off in the page
// gets a card of its own.
(function (ts) {
  "use strict";
  var state = ts.state || require("./state.js");

  function newCard(s, t) {
    var card = document.createElement("div"), note = document.createElement("div"), button = document.createElement("button");
    card.className = "card"; card.dataset.topic = String(t); card.style.setProperty("--c", state.colorOf(s, t));
    card.appendChild(document.createElement("h3"));
    note.className = "kw"; note.textContent = "Split off in this page: its keywords come with the next run.";
    card.appendChild(note);
    (s.reps[t] || []).slice(0, 3).forEach(function (p) {
      var quote = document.createElement("blockquote"), r = s.data[s.rowOf[p]];
      quote.textContent = r[1] + ": " + Array.from(r[4]).slice(0, s.rules.chars.card_quote).join("");
      card.appendChild(quote);
    });
    button.type = "button"; button.className = "filter-topic"; button.dataset.topic = String(t);
    button.textContent = "Show its paragraphs";
    button.addEventListener("click", function () { ts.filterbar.showTable(s, button.dataset.topic, ""); });
    card.appendChild(button);
    return card;
  }
  function refresh(s) {
    var n = state.sizes(s), container = document.querySelector(".cards"), cards = {};
    container.querySelectorAll(".card").forEach(function (c) { cards[c.dataset.topic] = c; });
    state.present(s, false).forEach(function (t) {
      if (!cards[t]) { cards[t] = newCard(s, t); container.appendChild(cards[t]); }
    });
    Object.keys(cards).forEach(function (key) {
      var t = Number(key), card = cards[key], h3 = card.querySelector("h3"), small = document.createElement("small");
      card.hidden = !n[t];
      if (!n[t]) { return; }
      h3.textContent = state.topicName(s, t) + " ";
      small.textContent = "(" + n[t] + ")";
      h3.appendChild(small);
    });
  }

  var cards = { refresh: refresh };
  ts.cards = cards;
  if (typeof module !== "undefined") { module.exports = cards; }
})(globalThis.themescope = globalThis.themescope || {});
