"""How close the themes are: cosine similarity between topic centroids."""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc


def topic_similarity_map(topics: list[dict], matrix: list[list[float]]) -> go.Figure:
    names = [esc(f"{t['id']}: {t['label']}", 30) for t in topics]
    fig = go.Figure(
        go.Heatmap(
            z=matrix,
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
            title={"text": "Topic similarity (cosine of topic centroids, relative to the corpus mean)"},
            height=max(320, 34 * len(topics) + 180),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"automargin": True, "tickangle": -30},
        )
    )
    return fig
