"""Broad themes above their topics: an icicle of two rows, each box as wide as its paragraphs.

Drawn with horizontal bars, which the report's cartesian plotly.js bundle (1.5 MB) holds;
Plotly's own icicle and treemap traces would need the full 4.8 MB bundle.
"""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc, topic_color

THEME_COLORS = ["#5b6770", "#8c6d46", "#4f7a5a", "#7a4f6e", "#4f5f7a", "#7a6a4f"]
ROWS = ["Broad themes", "Topics"]


def theme_color(theme_id: int) -> str:
    return THEME_COLORS[theme_id % len(THEME_COLORS)]


def theme_tree(topics: list[dict], broad_themes: list[dict]) -> go.Figure:
    """``topics`` and ``broad_themes`` as topics.json holds them. A click's point carries
    [level, id] as customdata: 0 for a broad theme, 1 for a topic."""
    sizes = {t["id"]: t["size"] for t in topics}
    labels = {t["id"]: t["label"] for t in topics}
    upper, lower = _boxes(), _boxes()
    start = 0
    for theme in broad_themes:
        children = [t for t in theme["topics"] if t in sizes]
        width = sum(sizes[t] for t in children)
        upper.add(start, width, theme["label"], theme_color(theme["id"]), [0, theme["id"]])
        for topic in children:
            lower.add(start, sizes[topic], f"{topic}: {labels[topic]}", topic_color(topic), [1, topic])
            start += sizes[topic]
    fig = go.Figure([upper.trace(ROWS[0]), lower.trace(ROWS[1])])
    fig.update_layout(
        **base_layout(
            title={"text": "Broad themes and their topics (width: paragraphs; click to filter)"},
            height=230,
            barmode="overlay",
            bargap=0.05,
            showlegend=False,
            xaxis={"visible": False},
            yaxis={
                "autorange": "reversed",
                "automargin": True,
                "categoryorder": "array",
                "categoryarray": ROWS,
            },
        )
    )
    return fig


class _boxes:
    def __init__(self) -> None:
        self.base: list[int] = []
        self.width: list[int] = []
        self.text: list[str] = []
        self.color: list[str] = []
        self.customdata: list[list[int]] = []

    def add(self, base: int, width: int, label: str, color: str, key: list[int]) -> None:
        self.base.append(base)
        self.width.append(width)
        self.text.append(esc(label, 40))
        self.color.append(color)
        self.customdata.append(key)

    def trace(self, row: str) -> go.Bar:
        return go.Bar(
            orientation="h",
            y=[row] * len(self.width),
            x=self.width,
            base=self.base,
            text=self.text,
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            textfont={"color": "white"},
            marker={"color": self.color, "line": {"color": "white", "width": 1}},
            customdata=self.customdata,
            hovertemplate="%{text}<br>%{x} paragraphs<extra></extra>",
        )
