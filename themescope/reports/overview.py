"""What the report's overview and run details say in words: the themes with the answers and
authors that carry them (``support_rows``), and one line on what each topic metric means
(``METRIC_NOTES``)."""

from __future__ import annotations

from themescope.reports.figures.style import topic_color


def support_rows(topics: list[dict], broad_themes: list[dict]) -> list[dict]:
    """The overview's table of themes and who carries them: each broad theme (level 0) with
    its topics under it, or the topics alone; most answers first, then most paragraphs."""

    def order(entries: list[dict]) -> list[dict]:
        def carried(e: dict) -> int:
            return (e.get("answers") or {}).get("count", 0)

        return sorted(entries, key=lambda e: (-carried(e), -e["size"], e["id"]))

    topic_rows = [t | {"level": 1, "color": topic_color(t["id"])} for t in topics]
    if not broad_themes:
        return order(topic_rows)
    out = []
    for theme in order(broad_themes):
        out.append(theme | {"level": 0})
        out.extend(order([t for t in topic_rows if t.get("parent") == theme["id"]]))
    out.extend(order([t for t in topic_rows if t.get("parent") not in {b["id"] for b in broad_themes}]))
    return out


# One line each on what a topic metric means and how to read it (the run details).
METRIC_NOTES = {
    "npmi_coherence": (
        "NPMI coherence",
        "whether each topic's keywords occur together in the same paragraphs, from −1 to 1: above 0 they "
        "do, below 0 they mostly occur apart (usual for short paragraphs of mixed languages); it does "
        "not say whether a theme can be trusted (persistence and the answers carrying it do).",
    ),
    "topic_diversity": (
        "Topic diversity",
        "the share of distinct words among all topics' top keywords, from 0 to 1: near 1 each topic is "
        "described by its own words, low values mean topics repeat each other.",
    ),
    "silhouette": (
        "Silhouette",
        "how much closer paragraphs are in meaning to their own topic than to the next one, from −1 to 1: "
        "near 0 the topics overlap (usual for paragraphs of one discussion), above 0.25 they stand apart, "
        "below 0 many paragraphs sit nearer another topic.",
    ),
    "outlier_share_before_reduction": (
        "Outliers before reduction",
        "the share of paragraphs in no topic before each was given the topic nearest to it.",
    ),
    "label_v_measure": (
        "Agreement with the records' labels (V-measure)",
        "how well the topics match the labels the records carried, from 0 (not at all) to 1 (exactly).",
    ),
    "label_ari": (
        "Agreement with the records' labels (adjusted Rand)",
        "the same by pairs of paragraphs, from about 0 (chance) to 1 (exactly).",
    ),
}


_COUNTED_IN_OVERVIEW = ("n_topics", "outlier_share")


def metric_notes(metrics: dict) -> list[dict]:
    """The run's numeric topic metrics for the run details, each with its line of meaning
    (others by their name alone); the counts the overview gives are left out."""
    notes = []
    for key, value in metrics.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or key in _COUNTED_IN_OVERVIEW:
            continue
        name, note = METRIC_NOTES.get(key, (key.replace("_", " "), ""))
        notes.append({"key": key, "name": name, "value": value, "note": note})
    return notes
