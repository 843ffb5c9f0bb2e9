"""The page's one data contract: ``ReportSpec``, embedded in report.html as ``data-spec``.

What the page needs beyond the paragraphs' columns (``data-rows``) and the figures Python drew:
the topics and broad themes, the curation it starts from, the map's look and every view rule
Python and the page share (``reports.rules``). The page's modules (``reports/page/*.js``) read
it and nothing else of the run; a field added here is one a view can use, no template syntax
in the page's code.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from themescope.reports import rules


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rules(_Model):
    """``rules.rules()``: the view rules both sides apply."""

    palette: list[str]
    outlier_color: str
    outlier_name: str
    topic_name: str  # "{id}: {label}"
    flow_row: str  # "{author} ({answer})"
    chars: dict[str, int]  # how many characters each name or text keeps where a view shows it
    excerpt_chars: int  # the start of a paragraph's text beside a curation anchor
    label_chars: int  # the longest topic name a curation step takes
    legend_max_topics: int
    lazy_above: int
    max_authors: int
    max_author_topics: int
    flow_max_answers: int
    flow_max_squares: int
    flow_height: dict[str, int]
    periods: list[str]
    no_day: int
    map_labels: dict  # reports.rules.MAP_LABELS: the names on the map
    broad_colors_above: int  # past this many topics the map colours by broad theme
    selection_csv: dict  # reports.rules.SELECTION_CSV: the map's selection as CSV
    hover: dict[str, str]


class SpecTopic(_Model):
    id: int
    label: str
    representative: list[str]  # the paragraphs that name it in a curation step, most central first
    parent: int | None = None  # its broad theme


class SpecTheme(_Model):
    id: int
    label: str
    topics: list[int]


class Curation(_Model):
    steps: list[dict]  # the steps in force, as the config gives them
    next_topic_id: int  # the id the page's next split takes (as curation.replay counts)


class MapSpec(_Model):
    trace_type: str  # "scatter" or "scattergl"
    marker: dict
    max_hover_chars: int  # report.max_hover_chars: the paragraph's text in every hover


class ReportSpec(_Model):
    version: int = 1
    rules: Rules
    topics: list[SpecTopic]
    broad_themes: list[SpecTheme]
    curation: Curation
    map: MapSpec
    figures: list[str]  # the views this report shows, in the order the page draws them (map first)
    time_period: str | None  # the time view's period; None without the view
    rows_in_page: int  # the paragraphs in the page (a sample above report.max_table_rows)
    rows_in_run: int


def report_spec(
    topics: list[dict],
    broad_themes: list[dict],
    curation: dict,
    map_type: str,
    max_hover_chars: int,
    time_period: str | None,
    rows_in_page: int,
    rows_in_run: int,
    figures: list[str],
) -> ReportSpec:
    """The spec of a report (``html.render_report`` gathers the run's parts for it)."""
    return ReportSpec(
        rules=Rules(**rules.rules()),
        topics=[
            SpecTopic(
                id=t["id"], label=t["label"], representative=t["representative"], parent=t.get("parent")
            )
            for t in topics
        ],
        broad_themes=[SpecTheme(id=b["id"], label=b["label"], topics=b["topics"]) for b in broad_themes],
        curation=Curation(steps=curation["steps"], next_topic_id=curation["next_topic_id"]),
        map=MapSpec(
            trace_type=map_type,
            marker=rules.MARKER if map_type == "scatter" else rules.GL_MARKER,
            max_hover_chars=max_hover_chars,
        ),
        figures=figures,
        time_period=time_period,
        rows_in_page=rows_in_page,
        rows_in_run=rows_in_run,
    )
