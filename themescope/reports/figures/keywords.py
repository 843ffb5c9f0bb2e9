"""Keyword bar charts, one small chart per topic."""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from themescope.reports.figures.style import base_layout, esc, largest_topics, topic_color

COLUMNS = 3
WORDS = 8
# A large corpus has up to 300 topics: 300 small charts are 23,000 px of page and held the
# browser for 10 s. The largest are charted; every topic's keywords are on its card.
MAX_KEYWORD_TOPICS = 30


def keyword_bars(topics: list[dict]) -> go.Figure:
    """``topics``: dicts with id, label, size, keywords [[word, weight], ...]."""
    if not topics:
        fig = go.Figure()
        fig.update_layout(**base_layout(title={"text": "No topics were found"}, height=120))
        return fig
    title = "Top keywords per topic (c-TF-IDF)"
    if len(topics) > MAX_KEYWORD_TOPICS:
        title += f": the {MAX_KEYWORD_TOPICS} largest of {len(topics)} topics (every topic's are on its card)"
        topics = [topics[i] for i in largest_topics(topics, MAX_KEYWORD_TOPICS)]
    rows = math.ceil(len(topics) / COLUMNS)
    fig = make_subplots(
        rows=rows,
        cols=COLUMNS,
        subplot_titles=[esc(f"{t['id']}: {t['label']} ({t['size']})", 40) for t in topics],
        horizontal_spacing=0.12,
        vertical_spacing=min(0.12, 0.5 / rows),
    )
    for i, topic in enumerate(topics):
        words = topic["keywords"][:WORDS][::-1]
        fig.add_trace(
            go.Bar(
                x=[w for _, w in words],
                y=[esc(k) for k, _ in words],
                orientation="h",
                marker_color=topic_color(topic["id"]),
                hovertemplate="%{y}: %{x:.3f}<extra></extra>",
                showlegend=False,
                meta=topic["id"],  # the page filters by this topic when a bar is clicked
            ),
            row=i // COLUMNS + 1,
            col=i % COLUMNS + 1,
        )
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(automargin=True)
    fig.update_layout(
        **base_layout(
            title={"text": title},
            margin={"l": 10, "r": 10, "t": 90, "b": 10},  # room for the title above subplot titles
            height=max(300, 230 * rows),
        )
    )
    return fig
