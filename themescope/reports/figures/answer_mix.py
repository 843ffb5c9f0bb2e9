"""Each answer's mix of themes: a heatmap of answers × broad themes (topics when there are
none), each cell the share of the answer's paragraphs in that theme, answers sorted by mix
(grouped under the theme most of them is about, the most single-minded first)."""

from __future__ import annotations

from collections import Counter

import plotly.graph_objects as go

from themescope.reports.figures.style import base_layout, esc, largest_topics, rows_axis

# More rows make a heatmap nobody reads: the answers with the most paragraphs (the title says
# how many of how many), and at most this many topics' columns where there are no broad themes.
MAX_ANSWERS = 60
MAX_TOPIC_COLUMNS = 40


def answer_mix(rows: list[dict], topics: list[dict], broad_themes: list[dict]) -> go.Figure:
    """``topics`` and ``broad_themes`` as topics.json holds them (id, label, size, parent)."""
    if broad_themes:
        level = "broad_theme"
        columns = [(b["id"], b["label"]) for b in broad_themes]
        parent = {t["id"]: t.get("parent") for t in topics}

        def column_of(topic: int):
            return parent.get(topic) if topic >= 0 else -1
    else:
        level = "topic"
        columns = [(topics[i]["id"], topics[i]["label"]) for i in largest_topics(topics, MAX_TOPIC_COLUMNS)]

        def column_of(topic: int):
            return topic

    per_answer: dict[tuple, Counter] = {}
    author: dict[tuple, str] = {}
    for r in rows:
        key = (r["question_id"], r["answer_id"])
        per_answer.setdefault(key, Counter())[column_of(int(r["topic"]))] += 1
        author.setdefault(key, r["author"] or "")
    if any(-1 in counts for counts in per_answer.values()):
        columns.append((-1, "Outliers"))
    ids = [c for c, _ in columns]
    everyone = len(per_answer)
    largest = sorted(per_answer, key=lambda a: -sum(per_answer[a].values()))[:MAX_ANSWERS]
    kept = set(largest)
    answers = [a for a in per_answer if a in kept]  # reading order, then sorted by mix

    def mix(answer: tuple) -> tuple:
        counts, total = per_answer[answer], sum(per_answer[answer].values())
        if not ids:  # topics.json lists no topic (a damaged folder): nothing to sort by
            return (0, 0.0, 0)
        main = max(ids, key=lambda c: (counts.get(c, 0), -ids.index(c)))
        return (ids.index(main), -counts.get(main, 0) / total, -sum(1 for c in ids if counts.get(c)))

    answers.sort(key=mix)
    totals = [sum(per_answer[a].values()) for a in answers]
    z = [[round(per_answer[a].get(c, 0) / n, 4) for c in ids] for a, n in zip(answers, totals, strict=True)]
    carried = [sum(1 for c in ids if c != -1 and per_answer[a].get(c)) for a in answers]
    what = "broad themes" if level == "broad_theme" else "topics"
    names = [
        f"{esc(author[a], 30)} ({esc(a[1])}) · {k} {what[:-1] if k == 1 else what}"
        for a, k in zip(answers, carried, strict=True)
    ]
    title = f"Each answer's mix of {what} (share of its paragraphs)"
    if len(answers) < everyone:
        title += f" · the {len(answers)} of {everyone:,} answers with most paragraphs"
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[esc(label if c == -1 else f"{c}: {label}", 30) for c, label in columns],
            y=list(range(len(answers))),  # by position: two answers alike in name stay two rows
            customdata=[
                [[esc(author[a], 200), esc(a[1], 200), per_answer[a].get(c, 0), n] for c in ids]
                for a, n in zip(answers, totals, strict=True)
            ],
            zmin=0,
            zmax=1,
            colorscale="Blues",
            hovertemplate=(
                "%{customdata[0]} (%{customdata[1]})<br>%{x}<br>"
                "%{customdata[2]} of its %{customdata[3]} paragraphs (%{z:.0%})<extra></extra>"
            ),
            texttemplate="%{z:.0%}",
        )
    )
    # Raw values for the page's click handler (data only, never rendered as markup).
    fig.update_layout(
        meta={
            "level": level,
            "columns": ids,
            "authors": [author[a] for a in answers],
            "answers": [list(a) for a in answers],
        }
    )
    fig.update_layout(
        **base_layout(
            title={"text": title},
            height=max(320, 28 * len(answers) + 180),
            yaxis=rows_axis(names),
            xaxis={"automargin": True, "tickangle": -30},
        )
    )
    return fig
