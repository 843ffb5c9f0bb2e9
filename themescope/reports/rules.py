"""The report's view rules, written once: the Python figures read them from here, and the page
reads the same values from the report's spec block (``reports.spec``: ``Rules``).

A rule both sides apply (a cap, a colour, a name's format and length, a hover template, the
day column's marker) is a constant here and a field of ``Rules``; a rule only Python or only
the page applies stays with its code. ``tests/golden/page.json`` holds what Python computes
with these rules on small cases, and the page's own tests (``tests/js``) check the page's
modules give the same.
"""

from __future__ import annotations

from themescope.config import LABEL_CHARS
from themescope.curation.anchors import EXCERPT_CHARS
from themescope.rundir import CSV_FORMAT, FORMULA_STARTS

# ---- colours: a topic's colour is PALETTE[id % len(PALETTE)], the outliers' their own
OUTLIER_COLOR = "#b8b8b8"
PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#1f77b4",
    "#17becf",
    "#bcbd22",
    "#8c564b",
    "#d62728",
]

# ---- names: the outliers' name and a topic's, wherever a view names a topic; an answer's row
# in the answer flow (its author, escaped and cut to CHARS["flow_author"], and its id, escaped)
OUTLIER_NAME = "Outliers"
TOPIC_NAME = "{id}: {label}"
FLOW_ROW = "{author} ({answer})"

# Characters a name or text keeps where a view shows it (cut after as many characters,
# trailing whitespace dropped, "…" added: ``figures.style.esc``, the page's ``text.escape``).
CHARS = {
    "map_name": 60,  # a map trace's name (its legend entry)
    "map_author": 60,  # the map's hover: the author, then the heading
    "map_heading": 80,
    "time_name": 40,  # the time view's legend entry
    "time_hover_name": 60,  # and the topic's name in its hover
    "authors_topic": 30,  # the authors' heatmap: a column (a topic)
    "authors_hover": 200,  # its hover's author
    "authors_row": 40,  # a row's tick text (an author)
    "flow_topic": 60,  # the answer flow's hover: the topic's label
    "flow_author": 40,  # a row's tick text: "author (answer id)"
    "flow_title_question": 90,  # the flow's title when the page shows one question's answers
    "card_quote": 160,  # a paragraph quoted on a topic's card
}

# ---- caps: past these a view shows the largest part, and says so
# The map: one trace per topic up to LEGEND_MAX_TOPICS, then one trace without a legend: Plotly
# lays out every legend entry's text again at each restyle (a search took 26 s on 298 topics and
# 143,705 points), and a legend of hundreds of entries names nothing a reader can find.
LEGEND_MAX_TOPICS = 40
# Above this many points the map is WebGL (SVG slows down past a few thousand points, but looks
# better below and needs only the small cartesian plotly.js); above this many paragraphs the
# page draws its other figures as their sections come into view.
WEBGL_ABOVE = 3_000
MAX_AUTHORS = 40  # the authors' heatmap: rows (authors with most paragraphs)
MAX_AUTHOR_TOPICS = 40  # and columns (topics with most paragraphs among them)
FLOW_MAX_ANSWERS = 80  # the answer flow: answers shown
FLOW_MAX_SQUARES = 2_000  # and their paragraphs together
FLOW_MAX_QUESTIONS = 12  # questions given their share of the flow

# The flow's height: FLOW_HEIGHT["min"] px at least, else per_row px a row and extra px.
FLOW_HEIGHT = {"min": 260, "per_row": 26, "extra": 120}

# ---- time
PERIODS = ("day", "week", "month", "year")
# In the paragraphs' day column (days since 1970-01-01): a paragraph without a day in view.
NO_DAY = -(2**31)

# ---- hover templates ({name}: the topic's name, escaped and cut to its CHARS)
TIME_HOVER = (
    "{name}<br>%{x|%Y-%m-%d}: %{y:.1f} %<br>%{customdata[0]} of %{customdata[1]} paragraphs<extra></extra>"
)
AUTHORS_HOVER = "%{customdata}<br>%{x}<br>%{z} paragraphs<extra></extra>"
FLOW_HOVER = "¶ %{x} · topic: %{customdata[0]}<br>%{customdata[1]}<extra></extra>"
MAP_HOVER = (
    "<b>%{customdata[0]}</b> · %{customdata[3]}<br><i>%{customdata[1]}</i><br>%{customdata[2]}<extra></extra>"
)
# The map coloured by broad theme (BROAD_COLORS_ABOVE): the topic's name (escaped, cut to
# CHARS["map_name"]) on a line of its own, before <extra>.
MAP_TOPIC_LINE = "<br>%{customdata[4]}"

# ---- the map's markers (SVG below WEBGL_ABOVE points, WebGL above)
MARKER = {"size": 9, "opacity": 0.85, "line": {"width": 0.5, "color": "white"}}
GL_MARKER = {"size": 4, "opacity": 0.85}  # tens of thousands of points: small, no outline

# ---- the map's names (reports/figures/map_labels.py, the page's labels.js: one placement)
# Each topic's name at its densest point (the point of its own nearest the mean of its points in
# the fullest cell of a grid × grid grid over the view), largest topic first, a name dropped
# where its box (estimated: char_width font sizes a character, 1 for a wide one; line_height
# font sizes a line; pad px around) would overlap one placed or leave the plot. Named: each
# topic holding min_share of the points in view, then, as room allows, those holding fill_share
# (a 4x zoom into 300 topics holds 40-70 of 1-3 % each: none reaches min_share), at most
# max_labels. While the view holds
# broad_share of the points (the initial view), the broad themes' names instead (a run with
# broad themes). A name keeps chars characters (escaped, cut as every name is).
MAP_LABELS = {
    "font_size": 12,
    "min_share": 0.05,
    "fill_share": 0.01,
    "max_labels": 30,
    "broad_share": 0.9,
    "chars": 28,
    "char_width": 0.62,
    "line_height": 1.5,  # a 12 px annotation with pad 3 draws 24 px tall in Chromium
    "pad": 3,
    "grid": 8,
    # The notebook's figure has no page to measure: its plot area is taken as this many px.
    "figure_px": [680, 510],
}
# Past this many topics the map colours its points by broad theme (a handful of colours a
# reader can tell apart, PALETTE[theme id % len]) where a run has broad themes; the hover
# still names the topic.
BROAD_COLORS_ABOVE = 40

# ---- the map's selection, saved as CSV: paragraphs.csv's rules (rundir.csv_cell, owned
# there): every text cell quoted, one that begins like a formula (or with the mark) marked.
SELECTION_CSV = {
    "columns": ["paragraph_id", "text"],
    "mark": CSV_FORMAT.formula_escape,
    "starts": list(FORMULA_STARTS),
    "bom": CSV_FORMAT.encoding == "utf-8-sig",
}


def topic_color(topic_id: int) -> str:
    return OUTLIER_COLOR if topic_id < 0 else PALETTE[topic_id % len(PALETTE)]


def topic_name(topic_id: int, label: str | None) -> str:
    """A topic as the views name it (unescaped, uncut)."""
    if topic_id < 0:
        return OUTLIER_NAME
    return TOPIC_NAME.format(id=topic_id, label=label or "")


def flow_height(answers: int) -> int:
    return max(FLOW_HEIGHT["min"], FLOW_HEIGHT["per_row"] * answers + FLOW_HEIGHT["extra"])


def rules() -> dict:
    """Every rule above as the page reads it (``spec.Rules``)."""
    return {
        "palette": PALETTE,
        "outlier_color": OUTLIER_COLOR,
        "outlier_name": OUTLIER_NAME,
        "topic_name": TOPIC_NAME,
        "flow_row": FLOW_ROW,
        "chars": CHARS,
        "excerpt_chars": EXCERPT_CHARS,
        "label_chars": LABEL_CHARS,
        "legend_max_topics": LEGEND_MAX_TOPICS,
        "lazy_above": WEBGL_ABOVE,
        "max_authors": MAX_AUTHORS,
        "max_author_topics": MAX_AUTHOR_TOPICS,
        "flow_max_answers": FLOW_MAX_ANSWERS,
        "flow_max_squares": FLOW_MAX_SQUARES,
        "flow_height": FLOW_HEIGHT,
        "periods": list(PERIODS),
        "no_day": NO_DAY,
        "map_labels": MAP_LABELS,
        "broad_colors_above": BROAD_COLORS_ABOVE,
        "selection_csv": SELECTION_CSV,
        "hover": {
            "time": TIME_HOVER,
            "authors": AUTHORS_HOVER,
            "flow": FLOW_HOVER,
            "map": MAP_HOVER,
            "map_topic": MAP_TOPIC_LINE,
        },
    }
