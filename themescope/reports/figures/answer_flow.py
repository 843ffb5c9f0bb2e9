"""Answer flow: each answer's paragraphs in reading order, coloured by topic."""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc, rows_axis
from themescope.reports.rules import CHARS, FLOW_HOVER, FLOW_ROW, OUTLIER_NAME, flow_height, topic_color
from themescope.reports.rules import FLOW_MAX_ANSWERS as MAX_ANSWERS
from themescope.reports.rules import FLOW_MAX_QUESTIONS as MAX_QUESTIONS
from themescope.reports.rules import FLOW_MAX_SQUARES as MAX_SQUARES

# Beyond MAX_ANSWERS answers or MAX_SQUARES squares the flow is unreadable (and each answer's
# name costs Plotly some 20 ms to lay out); its title says how many are shown. Each question
# shown gets a rule and its title: past MAX_QUESTIONS, the flow reads as noise (and Plotly's
# annotations cost seconds); those with the most paragraphs are shown. (reports/rules.py: the
# page reads the same caps.)
__all__ = ["MAX_ANSWERS", "MAX_QUESTIONS", "MAX_SQUARES", "answer_flow"]


def answer_flow(
    rows: list[dict], topic_labels: dict[int, str], max_hover_chars: int, titles: dict[str, str] | None = None
) -> go.Figure:
    """With several questions, answers are grouped by question under its title."""
    answers = _answers_by_question(rows)
    shown = set(answers)
    authors = {r["answer_id"]: r["author"] for r in rows}
    # The answer id stays whole after a long name is cut, and rows go by position: two
    # answers whose labels read alike stay two rows.
    names = [FLOW_ROW.format(author=esc(authors[a], CHARS["flow_author"]), answer=esc(a)) for a in answers]
    row_of = {a: i for i, a in enumerate(answers)}
    members = [r for r in rows if r["answer_id"] in shown]
    fig = go.Figure(
        go.Scatter(
            x=[int(r["position"]) + 1 for r in members],
            y=[row_of[r["answer_id"]] for r in members],
            mode="markers",
            marker={"symbol": "square", "size": 16, "color": [topic_color(r["topic"]) for r in members]},
            ids=[str(r["paragraph_id"]) for r in members],
            customdata=[
                [
                    esc(topic_labels.get(r["topic"], OUTLIER_NAME), CHARS["flow_topic"]),
                    esc(r["text"], max_hover_chars),
                ]
                for r in members
            ],
            hovertemplate=FLOW_HOVER,
            showlegend=False,
        )
    )
    total = len({r["answer_id"] for r in rows})
    questions = len({r.get("question_id") for r in rows})
    cut_note = f" · {len(answers):,} of {total:,} answers shown" if len(answers) < total else ""
    if questions > MAX_QUESTIONS:
        cut_note += f", from the {MAX_QUESTIONS} of {questions:,} questions with most paragraphs"
    question_of = {r["answer_id"]: r.get("question_id", "") for r in rows}
    starts = [i for i, a in enumerate(answers) if i == 0 or question_of[a] != question_of[answers[i - 1]]]
    if len(starts) > 1:  # a rule above each question's answers, and its title
        fig.update_layout(
            shapes=[
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": i - 0.5,
                    "y1": i - 0.5,
                    "line": {"color": "#5f6b76", "width": 1},
                }
                for i in starts[1:]
            ],
            annotations=[
                {
                    "xref": "paper",
                    "x": 1,
                    "y": i - 0.5,
                    "xanchor": "right",
                    "yanchor": "top",
                    "showarrow": False,
                    "font": {"size": 11, "color": "#5f6b76"},
                    "text": _question_name(question_of[answers[i]], titles),
                }
                for i in starts
            ],
        )
    fig.update_layout(
        **base_layout(
            title={"text": "Answer flow: paragraphs in reading order, coloured by topic" + cut_note},
            height=flow_height(len(answers)),
            xaxis={"title": {"text": "paragraph"}, "dtick": 1, "rangemode": "tozero"},
            yaxis=rows_axis(names),
        )
    )
    return fig


def _answers_by_question(rows: list[dict]) -> list[str]:
    """The answers to show, grouped by question in reading order: at most MAX_ANSWERS, and
    answers whose paragraphs together stay under MAX_SQUARES (past some thousands of squares
    the flow is unreadable, and slow to draw and filter). With many questions each gets its
    share, so the first questions do not crowd out the last."""
    by_question: dict[str, dict[str, int]] = {}  # dicts keep the reading order
    for r in rows:
        answers = by_question.setdefault(r.get("question_id", ""), {})
        answers[r["answer_id"]] = answers.get(r["answer_id"], 0) + 1
    if not by_question:  # (a run folder with no paragraphs)
        return []
    largest = sorted(by_question, key=lambda q: -sum(by_question[q].values()))[:MAX_QUESTIONS]
    by_question = {q: a for q, a in by_question.items() if q in largest}
    share_answers = max(1, MAX_ANSWERS // len(by_question))
    share_squares = max(1, MAX_SQUARES // len(by_question))
    chosen: list[str] = []
    for answers in by_question.values():
        squares = 0
        for k, (answer, paragraphs) in enumerate(answers.items()):
            if k and (k >= share_answers or squares + paragraphs > share_squares):
                break
            chosen.append(answer)
            squares += paragraphs
    return chosen


def _question_name(question_id: str, titles: dict[str, str] | None) -> str:
    return f"{esc(question_id)} · {esc((titles or {}).get(question_id, ''), 60)}"
