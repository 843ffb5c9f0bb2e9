"""Who argues what: a heatmap of paragraphs per author and topic."""

from __future__ import annotations

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc, largest_groups, rows_axis

# More rows than this make a heatmap nobody reads (a large corpus has thousands of authors):
# the authors with the most paragraphs, in reading order, and the title says how many.
MAX_AUTHORS = 40
# And columns: the topics with the most paragraphs among those authors (the page keeps the
# same count when it rebuilds the heatmap). 300 columns of counts held the browser for seconds.
MAX_AUTHOR_TOPICS = 40


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
    columns = [esc("Outliers" if t < 0 else f"{t}: {topic_labels.get(t, '')}", 30) for t in topic_ids]
    fig = go.Figure(
        go.Heatmap(
            z=[[counts[(a, t)] for t in topic_ids] for a in authors],
            x=columns,
            # Rows by position, names as tick text: two names alike in their first 40
            # characters stay two rows (as categories they merged, and clicks went astray).
            y=list(range(len(authors))),
            customdata=[[esc(a, 200)] * len(topic_ids) for a in authors],
            colorscale="Blues",
            hovertemplate="%{customdata}<br>%{x}<br>%{z} paragraphs<extra></extra>",
            texttemplate="%{z}",
        )
    )
    # Raw values for the page's click handler (data only, never rendered as markup).
    fig.update_layout(meta={"authors": authors, "topics": topic_ids})
    fig.update_layout(
        **base_layout(
            title={"text": "Topics per author (paragraph counts)" + cut_note},
            height=max(320, 40 * len(authors) + 160),
            yaxis=rows_axis([esc(a, 40) for a in authors]),
            xaxis={"automargin": True, "tickangle": -30},
        )
    )
    return fig
