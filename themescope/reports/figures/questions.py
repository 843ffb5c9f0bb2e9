"""Many questions side by side: each question's paragraphs per topic, as shares."""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc, largest_groups, rows_axis
from themescope.reports.rules import topic_name

# The questions with the most paragraphs, in reading order; the selector holds them all.
MAX_QUESTIONS = 40


def topics_by_question(rows: list[dict], topic_labels: dict[int, str], titles: dict[str, str]) -> go.Figure:
    """Rows are questions, columns topics; a cell is the share of the question's paragraphs
    on that topic (questions of very different sizes compare), its count in the hover."""
    questions, rows, everyone = largest_groups(rows, "question_id", MAX_QUESTIONS)
    cut_note = (
        f" · the {len(questions)} of {everyone:,} largest questions" if len(questions) < everyone else ""
    )
    topic_ids = sorted({r["topic"] for r in rows}, key=lambda t: (t < 0, t))
    counts = {(q, t): 0 for q in questions for t in topic_ids}
    for r in rows:
        counts[(r["question_id"], r["topic"])] += 1
    sizes = {q: sum(counts[(q, t)] for t in topic_ids) for q in questions}
    columns = [esc(topic_name(t, topic_labels.get(t)), 30) for t in topic_ids]
    names = [esc(titles.get(q) or q, 200) for q in questions]
    fig = go.Figure(
        go.Heatmap(
            z=[[round(100 * counts[(q, t)] / sizes[q], 1) for t in topic_ids] for q in questions],
            x=columns,
            y=list(range(len(questions))),  # by position: two titles alike stay two rows
            customdata=[
                [[names[i], counts[(q, t)], sizes[q]] for t in topic_ids] for i, q in enumerate(questions)
            ],
            colorscale="Purples",
            zmin=0,
            hovertemplate=(
                "%{customdata[0]}<br>%{x}<br>%{z:.1f} % (%{customdata[1]} of %{customdata[2]} paragraphs)"
                "<extra></extra>"
            ),
            texttemplate="%{z:.0f}" if len(questions) <= 20 else None,  # (hundreds of labels: slow, unread)
            colorbar={"title": {"text": "%"}},
        )
    )
    # Raw ids for the page's click handler (data only, never rendered as markup).
    fig.update_layout(meta={"questions": questions, "topics": topic_ids})
    fig.update_layout(
        **base_layout(
            title={"text": "Topics per question (share of each question's paragraphs, %)" + cut_note},
            height=max(320, 34 * len(questions) + 170),
            yaxis=rows_axis([f"{esc(q, 20)} · {esc(titles.get(q) or '', 40)}" for q in questions]),
            xaxis={"automargin": True, "tickangle": -30},
        )
    )
    return fig
