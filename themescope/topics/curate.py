"""The curate stage: the config's curation applied to the represented topics.

Runs after ``represent`` (whose cached result it starts from), so editing only the curation
recomputes nothing before it. The topics a step touched get c-TF-IDF keywords
(``topics.ctfidf``, BERTopic's computation without its import) and representative paragraphs
again; every other topic keeps its keywords and label as the reader saw them, which a full
refit would shift (c-TF-IDF weighs each word against all topics). The BERTopic model saved
with the run stays the one clustering fitted.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from themescope.config import TopicsConfig
from themescope.curation import ResolvedStep, replay
from themescope.topics.ctfidf import class_keywords_and_indistinct
from themescope.topics.describe import describe_topics, is_keyword_note, keyword_notes
from themescope.topics.labels import CANDIDATE_WORDS, make_label
from themescope.topics.metrics import topic_metrics, topic_similarity
from themescope.topics.result import Topic, TopicResult
from themescope.topics.tokenize import Tokens, analyzed_tokens
from themescope.topics.words import WordVectors


def curate_topics(
    result: TopicResult,  # in the fit's (text) order
    steps: list[ResolvedStep],
    tokens: Tokens,
    embeddings: np.ndarray,
    settings: TopicsConfig,
    seed_words: list[str] | None = None,
    word_vectors: WordVectors | None = None,
):
    """``result`` with ``steps`` (rows in the same order as ``result``) applied; no model."""
    before = {t.id: t for t in result.topics}
    curated = replay(result.assignments, {t.id: t.label for t in result.topics}, steps)
    documents = tokens.analyzed()
    assignments = curated.assignments
    top_n_words = settings.top_n_words
    if word_vectors is not None:  # as in represent: more candidates, ranked by the word vectors
        top_n_words = max(top_n_words, CANDIDATE_WORDS)
    candidates, indistinct = class_keywords_and_indistinct(documents, assignments, top_n_words, seed_words)
    changed = {t: candidates.get(t, []) for t in curated.labels if t not in before or t in curated.changed}
    themes = {t: before[t].guided_theme for t in changed if t in before and before[t].guided_theme}
    fresh = {
        t.id: t
        for t in describe_topics(changed, assignments, embeddings, themes, settings.top_n_words, word_vectors)
    }
    topics: list[Topic] = []
    for topic_id, label in curated.labels.items():
        if topic_id in fresh:
            topic = fresh[topic_id]
            others = [t.keywords for t in [*fresh.values(), *before.values()] if t.id != topic_id]
            topic.label = label or make_label(topic.keywords, others, topic_id)
        else:
            topic = replace(before[topic_id], label=label or before[topic_id].label)
        topics.append(topic)
    metrics = topic_metrics(assignments, embeddings, topics, analyzed_tokens, documents)
    if "outlier_share_before_reduction" in result.metrics:
        metrics["outlier_share_before_reduction"] = result.metrics["outlier_share_before_reduction"]
    return TopicResult(
        assignments=assignments,
        probabilities=np.where(curated.relocated, 0.0, result.probabilities),
        topics=topics,
        coordinates=result.coordinates,
        metrics=metrics,
        params=result.params,
        reassigned=result.reassigned,
        similarity=topic_similarity(assignments, embeddings, [t.id for t in topics]),
        warnings=[
            *(w for w in result.warnings if not is_keyword_note(w)),  # of the topics before curation
            *keyword_notes(topics, indistinct),
            *curated.warnings,
        ],
        guided_themes=result.guided_themes,
        curation={"next_topic_id": curated.next_id, "steps": [vars(o) for o in curated.outcomes]},
    )
