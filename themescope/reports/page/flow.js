// The answer flow: with a question chosen, that question's answers built from the paragraph
// data, capped as figures/answer_flow.py caps one question's (rules.flow_max_answers answers,
// their paragraphs under rules.flow_max_squares); without, the flow the run drew. Its squares'
// colours and hover text follow the edits.
(function (ts) {
  "use strict";
  var text = ts.text || require("./text.js");
  var state = ts.state || require("./state.js");

  // The answers (answer numbers, reading order) the flow shows of a question, with their rows.
  function questionAnswers(s, question) {
    var answers = [], rowsOf = {};
    for (var i = 0; i < s.data.length; i++) {
      if (s.questions[s.questionColumn[i]] !== question) { continue; }
      var answer = s.answerColumn[i];
      if (!rowsOf[answer]) { rowsOf[answer] = []; answers.push(answer); }
      rowsOf[answer].push(i);
    }
    var shown = [], squares = 0;
    for (var k = 0; k < answers.length; k++) {
      var n = rowsOf[answers[k]].length;
      if (k && (k >= s.rules.flow_max_answers || squares + n > s.rules.flow_max_squares)) { break; }
      shown.push(answers[k]);
      squares += n;
    }
    return { answers: shown, rowsOf: rowsOf };
  }
  function rowName(s, author, answer) {  // rules.FLOW_ROW
    return text.fill(s.rules.flow_row, { author: text.escape(author, s.rules.chars.flow_author), answer: text.escape(answer) });
  }
  function hover(s, ids) {  // [topic, text] per square, from the paragraph data
    var chars = s.rules.chars;
    return ids.map(function (id) {
      var r = s.data[s.rowOf[id]];
      return [text.escape(r[3] < 0 ? s.rules.outlier_name : s.labels[r[3]], chars.flow_topic),
              text.escape(r[4], s.spec.map.max_hover_chars)];
    });
  }
  function colors(s, ids) { return ids.map(function (id) { return s.data[s.rowOf[id]][5]; }); }
  // The run's figure (data-flow), or the chosen question's, with this page's colours and hover.
  function figure(s, fig, question, questionTitle) {
    var trace = fig.data[0];
    if (question) {
      var chosen = questionAnswers(s, question), answers = chosen.answers, rowsOf = chosen.rowsOf;
      var members = [].concat.apply([], answers.map(function (a) { return rowsOf[a]; }));
      var rowOfAnswer = {}, height = s.rules.flow_height;
      answers.forEach(function (a, k) { rowOfAnswer[a] = k; });
      trace.ids = members.map(function (i) { return s.data[i][0]; });
      trace.x = members.map(function (i) { return s.positionColumn[i] + 1; });
      trace.y = members.map(function (i) { return rowOfAnswer[s.answerColumn[i]]; });
      fig.layout.shapes = []; fig.layout.annotations = [];
      fig.layout.height = Math.max(height.min, height.per_row * answers.length + height.extra);
      fig.layout.yaxis.tickvals = answers.map(function (_, k) { return k; });
      fig.layout.yaxis.ticktext = answers.map(function (a) {  // "author (q3-a2)", as the run's flow names it
        var first = s.data[rowsOf[a][0]];
        return rowName(s, first[1], first[0].replace(/-p[0-9.]+$/, ""));
      });
      fig.layout.title = { text: "Answer flow of " + text.escape(questionTitle, s.rules.chars.flow_title_question) };
    }
    trace.marker.color = colors(s, trace.ids);
    trace.customdata = hover(s, trace.ids);
    return fig;
  }
  function draw(s) {
    var div = document.getElementById("fig-flow");
    if (!div.data) { return; }
    var question = ts.filterbar.context(s).question, select = s.el.questionFilter;
    var fig = figure(s, ts.figures.spec("flow"), question, question ? select.selectedOptions[0].textContent : "");
    Plotly.react(div, [fig.data[0]], fig.layout);
  }
  function refresh(s) {
    var div = document.getElementById("fig-flow");
    if (!div.data) { return; }
    if (s.questionKey) { draw(s); return; }  // a question's answers: built again
    var ids = div.data[0].ids;
    Plotly.restyle(div, { "marker.color": [colors(s, ids)], customdata: [hover(s, ids)] }, [0]);
  }
  // Dims the squares outside the filters (``shown.opacity(row)``), once the flow is drawn.
  function dim(s, shown) {
    var div = document.getElementById("fig-flow");
    if (!div.data) { return null; }
    return Plotly.restyle(div, { "marker.opacity": [div.data[0].ids.map(function (id) { return shown.opacity(s.rowOf[id]); })] }, [0]);
  }

  // The view (figures.js): the run's figure with this page's hover text; a question's answers
  // when one is chosen; colours after an edit; a click shows the paragraph.
  var flow = { questionAnswers: questionAnswers, rowName: rowName, hover: hover, figure: figure, draw: draw, refresh: refresh, dim: dim,
               traces: function (s, fig) { fig.data[0].customdata = hover(s, fig.data[0].ids); return fig.data; },
               follows: function (s) { return s.touched || Boolean(s.questionKey); },
               questionChanged: draw, filtered: dim,
               bind: function (s, div) { div.on("plotly_click", function (event) { ts.figures.selectParagraph(s, event); }); } };
  ts.flow = flow;
  (ts.views = ts.views || {}).flow = flow;
  if (typeof module !== "undefined") { module.exports = flow; }
})(globalThis.themescope = globalThis.themescope || {});
