"""The 2-D map of paragraphs: one trace per topic so the legend toggles topics, or one trace
coloured point by point past ``LEGEND_MAX_TOPICS`` topics."""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc
from themescope.reports.rules import (
    CHARS,
    GL_MARKER,
    LEGEND_MAX_TOPICS,
    MARKER,
    WEBGL_ABOVE,
    topic_color,
    topic_name,
)
from themescope.reports.rules import MAP_HOVER as HOVER

__all__ = ["GL_MARKER", "HOVER", "LEGEND_MAX_TOPICS", "MARKER", "WEBGL_ABOVE", "map_layout", "paragraph_map"]


def map_trace_type(points: int) -> str:
    return "scattergl" if points > WEBGL_ABOVE else "scatter"


def paragraph_map(
    rows: list[dict], topic_labels: dict[int, str], max_hover_chars: int, total: int | None = None
) -> go.Figure:
    """``rows``: dicts with paragraph_id, author, heading, text, topic, x, y; ``total``: how
    many paragraphs there are when ``rows`` is a sample of them."""
    fig = go.Figure()
    trace = go.Scattergl if map_trace_type(len(rows)) == "scattergl" else go.Scatter
    by_topic: dict[int, list[dict]] = {}
    for r in rows:
        by_topic.setdefault(r["topic"], []).append(r)
    groups = [
        (topic_name(topic_id, topic_labels.get(topic_id)), members)
        for topic_id, members in sorted(by_topic.items())
    ]
    one_trace = len(groups) > LEGEND_MAX_TOPICS
    if one_trace:
        groups = [("paragraphs", [r for _, members in groups for r in members])]
    for name, members in groups:
        colors = [topic_color(r["topic"]) for r in members]
        fig.add_trace(
            trace(
                x=[r["x"] for r in members],
                y=[r["y"] for r in members],
                mode="markers",
                name=esc(name, CHARS["map_name"]),
                showlegend=False if one_trace else None,
                marker=(MARKER if trace is go.Scatter else GL_MARKER)
                | {"color": colors if one_trace else colors[0]},
                ids=[str(r["paragraph_id"]) for r in members],  # data, never rendered
                customdata=[
                    [
                        esc(r["author"], CHARS["map_author"]),
                        esc(r.get("heading") or "", CHARS["map_heading"]),
                        esc(r["text"], max_hover_chars),
                        esc(r["paragraph_id"]),
                    ]
                    for r in members
                ],
                hovertemplate=HOVER,
            )
        )
    fig.update_layout(**map_layout(len(rows), total))
    return fig


# The report builds the same traces in the page (reports/page/map.js), from its paragraph data.


def map_layout(shown: int, total: int | None = None) -> dict:
    return base_layout(
        title={"text": "Paragraph map (UMAP, coloured by topic)" + _sampled(shown, total)},
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        legend={"itemsizing": "constant"},
        height=560,
        hovermode="closest",
    )


def _sampled(shown: int, total: int | None) -> str:
    if total is None or total <= shown:
        return ""
    return f" · {shown:,} of {total:,} paragraphs shown"
