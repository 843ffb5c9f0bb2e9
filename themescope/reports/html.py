"""Assemble report.html: plotly.js once, figures and data as inert JSON, a jinja2 page.

Data goes into ``<script type="application/json">`` blocks with ``<``, ``>`` and ``&``
escaped as \\u003c etc., so no corpus text can close the script tag; the page reads
them with JSON.parse (never eval). A Content-Security-Policy forbids every network load.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from themescope.reports.figures import (
    answer_flow,
    keyword_bars,
    paragraph_map,
    theme_tree,
    topic_similarity_map,
    topics_by_author,
)
from themescope.reports.figures.style import OUTLIER_COLOR, PALETTE, TEMPLATE, topic_color

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; "
    "base-uri 'none'"
)


def safe_json(value: object) -> str:
    """JSON that is inert inside an HTML <script> element."""
    from plotly.utils import PlotlyJSONEncoder

    text = json.dumps(value, cls=PlotlyJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("themescope.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


_VENDOR = Path(__file__).with_name("vendor")
CARTESIAN_BUNDLE_VERSION = "4.1.1"
CARTESIAN_TRACES = frozenset(
    {
        "bar",
        "box",
        "contour",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "image",
        "pie",
        "scatter",
        "scatterternary",
        "violin",
    }
)


@cache
def plotly_js(trace_types: frozenset[str]) -> str:
    """The smallest plotly.js that draws these traces: the vendored cartesian bundle (1.5 MB)
    when it matches plotly.py's plotly.js version, else the full bundle (4.8 MB)."""
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    if trace_types <= CARTESIAN_TRACES and get_plotlyjs_version() == CARTESIAN_BUNDLE_VERSION:
        return (_VENDOR / "plotly-cartesian.min.js").read_text(encoding="utf-8")
    return get_plotlyjs()


@cache
def plotly_template() -> dict:
    """The figures' look (style.TEMPLATE) as plotly.js takes it: the page gives it to each figure."""
    import plotly.io as pio

    return pio.templates[TEMPLATE].to_plotly_json()


def with_template(figures: dict) -> dict:
    """Figures for use outside the report (a notebook, an export), with their look applied."""
    for figure in figures.values():
        figure.update_layout(template=TEMPLATE)
    return figures


def build_figures(rows: list[dict], topics: dict, manifest: dict, names: list[str] | None = None) -> dict:
    """The report's figures by name (all, or only ``names``), from the run's files."""
    labels = {t["id"]: t["label"] for t in topics["topics"]}
    report_settings = manifest.get("config", {}).get("report", {})
    max_hover = report_settings.get("max_hover_chars", 200)
    max_points = report_settings.get("max_map_points", 20_000)
    builders = {
        "map": lambda: paragraph_map(map_sample(rows, max_points), labels, max_hover, total=len(rows)),
        "keywords": lambda: keyword_bars(topics["topics"]),
        "authors": lambda: topics_by_author(rows, labels),
        "flow": lambda: answer_flow(rows, labels, max_hover),
        "similarity": lambda: topic_similarity_map(topics["topics"], topics.get("similarity") or []),
        "themes": lambda: theme_tree(topics["topics"], topics.get("broad_themes") or []),
    }
    if not topics.get("broad_themes"):  # under 4 topics there is no level above them
        builders.pop("themes")
    return {name: build() for name, build in builders.items() if names is None or name in names}


def map_sample(rows: list[dict], max_points: int) -> list[dict]:
    """At most ``max_points`` rows for the map, the same share of every topic (a browser
    stays responsive up to some tens of thousands of SVG points); the table keeps all rows."""
    if len(rows) <= max_points:
        return rows
    import random

    rng = random.Random(0)
    by_topic: dict[int, list[dict]] = {}
    for row in rows:
        by_topic.setdefault(row["topic"], []).append(row)
    share = max_points / len(rows)
    sample = []
    for members in by_topic.values():
        sample.extend(rng.sample(members, max(1, round(len(members) * share))))
    return sample


def curation_state(topics: dict, manifest: dict) -> dict:
    """What the page's curation panel starts from: the steps in force (the report's snippet
    repeats them before the reader's new ones), the id its next split takes (as
    ``curation.replay`` counts it), and the palette its new topics are drawn in."""
    steps = ((manifest.get("config") or {}).get("curation") or {}).get("steps") or []
    # A split the config left unnamed was named from its keywords; the page pins that name
    # when it writes the step again, as later edits would otherwise rename it on the next run.
    labels = {t["id"]: t["label"] for t in topics["topics"]}
    outcomes = (topics.get("curation") or {}).get("steps") or []
    made = {o.get("step"): o.get("topic") for o in outcomes if isinstance(o, dict)}
    steps = [
        s | {"label": labels[made[n]]}
        if s.get("split") and not s.get("label") and made.get(n) in labels
        else s
        for n, s in enumerate(steps, start=1)
    ]
    next_id = (topics.get("curation") or {}).get("next_topic_id")
    if not isinstance(next_id, int):
        next_id = max([t["id"] for t in topics["topics"]] + [-1]) + 1
    return {"steps": steps, "next_topic_id": next_id, "palette": PALETTE, "outlier_color": OUTLIER_COLOR}


def render_report(rows: list[dict], topics: dict, manifest: dict) -> str:
    """``rows`` as in paragraphs.csv, ``topics`` as in topics.json, ``manifest`` as written."""
    figures = build_figures(rows, topics, manifest)
    by_id = {r["paragraph_id"]: r for r in rows}
    topic_cards = [
        {
            **t,
            "color": topic_color(t["id"]),
            "examples": [by_id[p] for p in t["representative"] if p in by_id],
        }
        for t in topics["topics"]
    ]
    # The paragraph table is built in the page from this compact form.
    table = [
        [
            r["paragraph_id"],
            r["author"],
            r["heading"] or "",
            int(r["topic"]),
            r["text"],
            topic_color(int(r["topic"])),
        ]
        for r in rows
    ]
    data_blocks = {name: safe_json(fig.to_plotly_json()) for name, fig in figures.items()}
    data_blocks["rows"] = safe_json(table)
    data_blocks["topics"] = safe_json(
        [
            {
                "id": t["id"],
                "label": t["label"],
                "representative": t["representative"],
                "parent": t.get("parent"),
            }
            for t in topics["topics"]
        ]
    )
    data_blocks["curation"] = safe_json(curation_state(topics, manifest))
    data_blocks["template"] = safe_json(plotly_template())
    page = _environment().get_template("report.html.j2")
    return page.render(
        csp=CSP,
        title=manifest.get("title") or "themescope report",
        manifest=manifest,
        topics=topic_cards,
        metrics=topics.get("metrics", {}),
        outlier_share=topics.get("outlier_share", 0.0),
        authors=list(dict.fromkeys(r["author"] for r in rows)),
        dropped=manifest.get("dropped", []),
        curation_outcomes=(manifest.get("curation") or {}).get("steps", []),
        broad_themes=topics.get("broad_themes") or [],
        data_blocks=data_blocks,
        config_json=json.dumps(manifest.get("config", {}), ensure_ascii=False, indent=2),
        plotly_js=plotly_js(frozenset(t.type for fig in figures.values() for t in fig.data)),
    )
