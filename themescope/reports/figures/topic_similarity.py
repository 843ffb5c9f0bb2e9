"""How close the themes are: cosine similarity between topic centroids."""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc, largest_topics

# A large corpus has up to 300 topics: a 300 x 300 heatmap is 10,000 px tall and 1.8 MB of
# the report, and read by nobody. The largest topics are shown; topics.json keeps them all.
MAX_SIMILARITY_TOPICS = 60


def topic_similarity_map(topics: list[dict], matrix: list[list[float]]) -> go.Figure:
    title = "Topic similarity (cosine of topic centroids, relative to the corpus mean)"
    square = isinstance(matrix, list) and all(isinstance(r, list) and len(r) == len(topics) for r in matrix)
    if len(topics) > MAX_SIMILARITY_TOPICS and square and len(matrix) == len(topics):
        kept = largest_topics(topics, MAX_SIMILARITY_TOPICS)
        title += f": the {MAX_SIMILARITY_TOPICS} largest of {len(topics)} topics"
        topics = [topics[i] for i in kept]
        matrix = [[matrix[i][j] for j in kept] for i in kept]
    names = [esc(f"{t['id']}: {t['label']}", 30) for t in topics]
    fig = go.Figure(
        go.Heatmap(
            z=[[_rounded(v) for v in row] if isinstance(row, list) else row for row in matrix]
            if isinstance(matrix, list)
            else matrix,
            x=names,
            y=names,
            zmin=-1,
            zmax=1,
            zmid=0,
            colorscale="RdBu",
            reversescale=True,
            hovertemplate="%{y}<br>%{x}<br>similarity %{z:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        **base_layout(
            title={"text": esc(title)},
            height=max(320, 34 * len(topics) + 180),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"automargin": True, "tickangle": -30},
        )
    )
    return fig


def _rounded(value: object) -> object:
    """2 decimals, as the hover shows them: the report carries half the digits."""
    return round(value, 2) if isinstance(value, float) else value
