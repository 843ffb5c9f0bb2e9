"""Answer flow: each answer's paragraphs in reading order, coloured by topic."""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc, rows_axis, topic_color

# Beyond this many answers the flow is unreadable; the report says how many are shown.
MAX_ANSWERS = 200


def answer_flow(rows: list[dict], topic_labels: dict[int, str], max_hover_chars: int) -> go.Figure:
    answers = list(dict.fromkeys(r["answer_id"] for r in rows))[:MAX_ANSWERS]
    shown = set(answers)
    authors = {r["answer_id"]: r["author"] for r in rows}
    # The answer id stays whole after a long name is cut, and rows go by position: two
    # answers whose labels read alike stay two rows.
    names = [f"{esc(authors[a], 40)} ({esc(a)})" for a in answers]
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
                [esc(topic_labels.get(r["topic"], "outlier"), 60), esc(r["text"], max_hover_chars)]
                for r in members
            ],
            hovertemplate="¶ %{x} · topic: %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_layout(
        **base_layout(
            title={"text": "Answer flow: paragraphs in reading order, coloured by topic"},
            height=max(260, 26 * len(answers) + 120),
            xaxis={"title": {"text": "paragraph"}, "dtick": 1, "rangemode": "tozero"},
            yaxis=rows_axis(names),
        )
    )
    return fig
