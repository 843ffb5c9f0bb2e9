"""Shared look: colours per topic and a font stack with CJK glyphs."""

from __future__ import annotations

import html
from collections import Counter

from themescope.reports.rules import OUTLIER_COLOR, PALETTE, topic_color

FONT = (
    '"Noto Sans CJK TC", "Noto Sans CJK SC", "Source Han Sans", "PingFang TC", '
    '"Microsoft JhengHei", "Hiragino Sans", system-ui, sans-serif'
)
# Colours live with the page's other shared rules (reports/rules.py); named here too.
__all__ = ["OUTLIER_COLOR", "PALETTE", "topic_color"]


def esc(text: object, limit: int | None = None) -> str:
    """Escape for Plotly's pseudo-HTML; cut to ``limit`` characters first.

    Quotes stay as they are (Plotly shows &quot; literally, and a quote makes no tag where
    < is escaped); % becomes an entity, so "%{y}" in a name is text, not a template field.
    """
    value = "" if text is None else str(text)
    if limit is not None and len(value) > limit:
        value = value[:limit].rstrip() + "…"
    return html.escape(value, quote=False).replace("%", "&#37;")


def rows_axis(labels: list[str]) -> dict:
    """A y-axis of one row per item, top down, by position with ``labels`` as tick text:
    items whose labels read alike (long names cut short) keep their own rows."""
    return {
        "autorange": "reversed",
        "automargin": True,
        "tickmode": "array",
        "tickvals": list(range(len(labels))),
        "ticktext": labels,
    }


def largest_groups(rows: list[dict], key: str, most: int) -> tuple[list, list[dict], int]:
    """The ``most`` values of ``key`` with the most rows, in reading order; the rows holding
    them; and how many values there were (a heatmap of thousands of rows is read by nobody)."""
    sizes = Counter(r[key] for r in rows)
    kept = {value for value, _ in sizes.most_common(most)}
    return [v for v in sizes if v in kept], [r for r in rows if r[key] in kept], len(sizes)


def largest_topics(topics: list[dict], most: int) -> list[int]:
    """The positions of the ``most`` topics with the largest ``size``, in their own order
    (a chart of 300 topics is read by nobody; topics.json keeps them all)."""

    def size(i: int) -> int:
        value = topics[i].get("size")
        return value if isinstance(value, int) else 0

    return sorted(sorted(range(len(topics)), key=lambda i: (-size(i), i))[:most])


# The look of every figure. The report hands it to plotly.js once for all of its figures
# (``reports.html``); in Python each figure holds an empty template, as resolving the named one
# deep-copies it on every update_layout (0.4 s of the report's 1 s on the sample).
TEMPLATE = "plotly_white"


def base_layout(**extra) -> dict:
    layout = {
        "font": {"family": FONT, "size": 13},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "template": {},
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    return layout
