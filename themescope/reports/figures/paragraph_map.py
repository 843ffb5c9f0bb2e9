"""The 2-D map of paragraphs, one trace per topic so the legend toggles topics."""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc, topic_color


def paragraph_map(
    rows: list[dict], topic_labels: dict[int, str], max_hover_chars: int, total: int | None = None
) -> go.Figure:
    """``rows``: dicts with paragraph_id, author, heading, text, topic, x, y; ``total``: how
    many paragraphs there are when ``rows`` is a sample of them."""
    fig = go.Figure()
    for topic_id in sorted({r["topic"] for r in rows}):
        members = [r for r in rows if r["topic"] == topic_id]
        name = "Outliers" if topic_id < 0 else f"{topic_id}: {topic_labels.get(topic_id, '')}"
        fig.add_trace(
            go.Scatter(
                x=[r["x"] for r in members],
                y=[r["y"] for r in members],
                mode="markers",
                name=esc(name, 60),
                marker={
                    "size": 9,
                    "color": topic_color(topic_id),
                    "opacity": 0.85,
                    "line": {"width": 0.5, "color": "white"},
                },
                ids=[str(r["paragraph_id"]) for r in members],  # data, never rendered
                customdata=[
                    [
                        esc(r["author"], 60),
                        esc(r.get("heading") or "", 80),
                        esc(r["text"], max_hover_chars),
                        esc(r["paragraph_id"]),
                    ]
                    for r in members
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b> · %{customdata[3]}<br>"
                    "<i>%{customdata[1]}</i><br>%{customdata[2]}<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        **base_layout(
            title={"text": "Paragraph map (UMAP, coloured by topic)" + _sampled(len(rows), total)},
            xaxis={"visible": False},
            yaxis={"visible": False, "scaleanchor": "x"},
            legend={"itemsizing": "constant"},
            height=560,
            hovermode="closest",
        )
    )
    return fig


def _sampled(shown: int, total: int | None) -> str:
    if total is None or total <= shown:
        return ""
    return f" · {shown:,} of {total:,} paragraphs shown"
