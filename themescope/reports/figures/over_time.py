"""Each topic's share of the paragraphs per period: how the argument moved over time."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import plotly.graph_objects as go

from themescope.corpus.dates import date_fences, parse_date
from themescope.reports.figures.style import base_layout, esc
from themescope.reports.rules import CHARS, PERIODS, TIME_HOVER, topic_color, topic_name

__all__ = ["PERIODS", "dated_rows", "period_for", "period_start", "topics_over_time"]
_DAY_MS = 86_400_000  # a date axis counts in milliseconds
_PERIOD_MS = {"day": _DAY_MS, "week": 7 * _DAY_MS, "month": 30 * _DAY_MS, "year": 365 * _DAY_MS}


def dated_rows(rows: list[dict], among: list[dict] | None = None) -> list[tuple[dict, date]]:
    """The rows whose ``date`` names a day near the others' dates, with that day: the dates of
    ``among`` (all rows, when ``rows`` are a sample of them; by default ``rows``), one per
    answer, set the fences (``dates.date_fences``), as for the run's warning on far dates."""
    parsed: dict[str, date | None] = {}  # a date string is parsed once

    def days_of(table: list[dict]) -> list[tuple[dict, date]]:
        pairs = []
        for r in table:
            text = r.get("date") or ""
            day = parsed[text] if text in parsed else parsed.setdefault(text, parse_date(text))
            if day is not None:
                pairs.append((r, day))
        return pairs

    days = days_of(rows)
    everyone = days if among is None else days_of(among)
    fences = date_fences(list({r.get("answer_id") or r.get("paragraph_id"): d for r, d in everyone}.values()))
    if fences is None:
        return days
    return [(r, day) for r, day in days if fences[0] <= day <= fences[1]]


def period_for(first: date, last: date) -> str:
    """The period that gives a readable number of points (about 10 to 70) over the span."""
    span = (last - first).days
    if span <= 60:
        return "day"
    if span <= 400:
        return "week"
    if span <= 6 * 366:
        return "month"
    return "year"


def period_start(day: date, period: str) -> date:
    if period == "day":
        return day
    if period == "week":  # ISO weeks start on Monday
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def topics_over_time(rows: list[dict], topic_labels: dict[int, str], period: str = "auto") -> go.Figure:
    """Stacked bars of shares (each period's paragraphs make 100 %), one trace per topic: bars,
    not areas, so a period without paragraphs shows as a gap rather than a slope; hover gives
    the count behind each share, as a share alone hides a period of two paragraphs."""
    dated = dated_rows(rows)
    if period == "auto":
        days = [day for _, day in dated]
        period = period_for(min(days), max(days))
    starts = sorted({period_start(day, period) for _, day in dated})
    counts = Counter((r["topic"], period_start(day, period)) for r, day in dated)
    totals = Counter(period_start(day, period) for _, day in dated)
    fig = go.Figure()
    for topic_id in sorted({r["topic"] for r, _ in dated}, key=lambda t: (t < 0, t)):
        name = topic_name(topic_id, topic_labels.get(topic_id))
        shares = [100 * counts[(topic_id, s)] / totals[s] for s in starts]
        fig.add_trace(
            go.Bar(
                x=[s.isoformat() for s in starts],
                y=[round(v, 2) for v in shares],
                name=esc(name, CHARS["time_name"]),
                marker={"color": topic_color(topic_id), "line": {"width": 0}},
                # Each bar spans most of its period, from its start: a sparse series shows
                # its gaps, and the bars keep their width.
                width=_PERIOD_MS[period] * 0.85,
                offset=0,
                customdata=[[counts[(topic_id, s)], totals[s]] for s in starts],
                hovertemplate=TIME_HOVER.replace("{name}", esc(name, CHARS["time_hover_name"])),
                meta=topic_id,
            )
        )
    fig.update_layout(
        meta={"period": period},
        **base_layout(
            title={"text": f"Topics over time: each topic's share of the paragraphs per {period}"},
            height=420,
            hovermode="closest",
            barmode="stack",
            bargap=0.1,
            xaxis={"type": "date", "title": {"text": f"{period} (from the records' dates)"}},
            yaxis={"title": {"text": "share of paragraphs (%)"}, "range": [0, 100]},
            legend={"itemsizing": "constant"},
        ),
    )
    return fig
