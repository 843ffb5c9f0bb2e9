"""The report's figures: their names here, one Plotly figure per module.

Each figure module takes plain tables and returns a go.Figure. Every string that reaches
Plotly is HTML-escaped first: Plotly renders hover text, legend entries and tick labels as a
subset of HTML, and corpus text is untrusted.

This module itself imports nothing (no Plotly): the run folder's rules (``rundir``: which
exported figure files a run wrote) and ``Run.figure`` read the names without drawing.
"""

# The report's figures; "broad_themes" needs 4+ topics, "time" dated paragraphs, "questions"
# 2+ questions; "answers" is each answer's mix of broad themes (of topics without them). An old
# figure name (renamed.FIGURES) still works, with a warning.
FIGURES = ("map", "broad_themes", "time", "questions", "keywords", "authors", "flow", "answers", "similarity")

# Why a run has no such figure, for the figures only some runs have.
ABSENT = {
    "broad_themes": "it has under 4 topics, so no broad themes above them",
    "time": "none of its paragraphs has a date that names a day",
    "questions": "it holds one question",
}
