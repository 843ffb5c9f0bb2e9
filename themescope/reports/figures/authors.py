"""Who argues what: a heatmap of paragraphs per author and topic."""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc, largest_groups, rows_axis
from themescope.reports.rules import AUTHORS_HOVER, CHARS, MAX_AUTHOR_TOPICS, MAX_AUTHORS, topic_name

# More rows than MAX_AUTHORS make a heatmap nobody reads (a large corpus has thousands of
# authors): the authors with the most paragraphs, in reading order, and the title says how
# many. And columns: the MAX_AUTHOR_TOPICS topics with the most paragraphs among those authors
# (the page keeps the same rule when it rebuilds the heatmap: reports/page/authors.js). 300
# columns of counts held the browser for seconds.
__all__ = ["MAX_AUTHORS", "MAX_AUTHOR_TOPICS", "topics_by_author"]


def topics_by_author(rows: list[dict], topic_labels: dict[int, str]) -> go.Figure:
    authors, rows, everyone = largest_groups(rows, "author", MAX_AUTHORS)
    cut_note = (
        f" · the {len(authors)} of {everyone:,} authors with most paragraphs"
        if len(authors) < everyone
        else ""
    )
    topic_ids, rows, all_topics = largest_groups(rows, "topic", MAX_AUTHOR_TOPICS)
    topic_ids = sorted(topic_ids)
    if len(topic_ids) < all_topics:
        cut_note += f" · the {len(topic_ids)} of {all_topics} topics with most paragraphs"
    counts = {(a, t): 0 for a in authors for t in topic_ids}
    for r in rows:
        counts[(r["author"], r["topic"])] += 1
    columns = [esc(topic_name(t, topic_labels.get(t)), CHARS["authors_topic"]) for t in topic_ids]
    fig = go.Figure(
        go.Heatmap(
            z=[[counts[(a, t)] for t in topic_ids] for a in authors],
            x=columns,
            # Rows by position, names as tick text: two names alike in their first 40
            # characters stay two rows (as categories they merged, and clicks went astray).
            y=list(range(len(authors))),
            customdata=[[esc(a, CHARS["authors_hover"])] * len(topic_ids) for a in authors],
            colorscale="Blues",
            hovertemplate=AUTHORS_HOVER,
            texttemplate="%{z}",
        )
    )
    # Raw values for the page's click handler (data only, never rendered as markup).
    fig.update_layout(meta={"authors": authors, "topics": topic_ids})
    fig.update_layout(
        **base_layout(
            title={"text": "Topics per author (paragraph counts)" + cut_note},
            height=max(320, 40 * len(authors) + 160),
            yaxis=rows_axis([esc(a, CHARS["authors_row"]) for a in authors]),
            xaxis={"automargin": True, "tickangle": -30},
        )
    )
    return fig
