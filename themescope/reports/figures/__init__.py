"""One Plotly figure per module; each takes plain tables and returns a go.Figure.

Every string that reaches Plotly is HTML-escaped first: Plotly renders hover text, legend
entries and tick labels as a subset of HTML, and corpus text is untrusted.
"""

from themescope.reports.figures.answer_flow import answer_flow
from themescope.reports.figures.authors import topics_by_author
from themescope.reports.figures.keywords import keyword_bars
from themescope.reports.figures.over_time import topics_over_time
from themescope.reports.figures.paragraph_map import paragraph_map
from themescope.reports.figures.questions import topics_by_question
from themescope.reports.figures.theme_tree import theme_tree
from themescope.reports.figures.topic_similarity import topic_similarity_map

__all__ = [
    "answer_flow",
    "keyword_bars",
    "paragraph_map",
    "theme_tree",
    "topic_similarity_map",
    "topics_by_author",
    "topics_by_question",
    "topics_over_time",
]
