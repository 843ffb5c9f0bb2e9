"""The 2-D map of paragraphs: one trace per topic so the legend toggles topics, or one trace
coloured point by point past ``LEGEND_MAX_TOPICS`` topics (by broad theme past
``BROAD_COLORS_ABOVE``, the topic then named in the hover); the names on the map at its
initial view (``map_labels``: the broad themes' where the run has them, else the topics')."""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.map_labels import annotations, initial_view, place_labels
from themescope.reports.figures.style import base_layout, esc
from themescope.reports.rules import (
    BROAD_COLORS_ABOVE,
    CHARS,
    GL_MARKER,
    LEGEND_MAX_TOPICS,
    MAP_TOPIC_LINE,
    MARKER,
    OUTLIER_COLOR,
    PALETTE,
    WEBGL_ABOVE,
    topic_color,
    topic_name,
)
from themescope.reports.rules import MAP_HOVER as HOVER

__all__ = ["GL_MARKER", "HOVER", "LEGEND_MAX_TOPICS", "MARKER", "WEBGL_ABOVE", "map_layout", "paragraph_map"]


def map_trace_type(points: int) -> str:
    return "scattergl" if points > WEBGL_ABOVE else "scatter"


def paragraph_map(
    rows: list[dict],
    topic_labels: dict[int, str],
    max_hover_chars: int,
    total: int | None = None,
    broad_themes: list[dict] | None = None,
) -> go.Figure:
    """``rows``: dicts with paragraph_id, author, heading, text, topic, x, y; ``total``: how
    many paragraphs there are when ``rows`` is a sample of them; ``broad_themes``: dicts with
    id, label, topics."""
    parent = {t: b["id"] for b in broad_themes or [] for t in b["topics"]}
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
    by_theme = bool(parent) and len(groups) > BROAD_COLORS_ABOVE
    if one_trace:
        groups = [("paragraphs", [r for _, members in groups for r in members])]
    for name, members in groups:
        colors = [
            _theme_color(parent.get(r["topic"]), r["topic"]) if by_theme else topic_color(r["topic"])
            for r in members
        ]
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
                    + [esc(topic_name(r["topic"], topic_labels.get(r["topic"])), CHARS["map_name"])]
                    * by_theme
                    for r in members
                ],
                hovertemplate=HOVER.replace("<extra>", MAP_TOPIC_LINE + "<extra>") if by_theme else HOVER,
            )
        )
    fig.update_layout(**map_layout(len(rows), total))
    fig.update_layout(annotations=annotations(initial_labels(rows, topic_labels, broad_themes or [])))
    return fig


def _theme_color(theme: int | None, topic_id: int) -> str:
    return OUTLIER_COLOR if theme is None or topic_id < 0 else PALETTE[theme % len(PALETTE)]


def initial_labels(rows: list[dict], topic_labels: dict[int, str], broad_themes: list[dict]) -> list[dict]:
    """The names at the map's initial view: the broad themes' where there are some, else the
    topics' (``map_labels.place_labels``, as the page places them at its first view)."""
    xs, ys = [r["x"] for r in rows], [r["y"] for r in rows]
    if broad_themes:
        parent = {t: b["id"] for b in broad_themes for t in b["topics"]}
        keys = [parent.get(r["topic"]) if r["topic"] >= 0 else None for r in rows]
        names = {b["id"]: b["label"] for b in broad_themes}
    else:
        keys = [r["topic"] if r["topic"] >= 0 else None for r in rows]
        names = {t: label for t, label in topic_labels.items() if t >= 0}
    return place_labels(xs, ys, keys, names, initial_view(xs, ys))


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
