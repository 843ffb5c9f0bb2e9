"""The curate stage: the config's curation applied to the represented topics.

Runs after ``represent`` (whose cached result it starts from), so editing only the curation
recomputes nothing before it. The topics a step touched get BERTopic's c-TF-IDF keywords
and representative paragraphs again; every other topic keeps its keywords and label as the
reader saw them, which a full refit would shift (c-TF-IDF weighs each word against all
topics). The BERTopic model saved with the run is refitted on the curated topics.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np

from themescope.config import TopicsConfig
from themescope.curation import ResolvedStep, replay
from themescope.topics.cluster import Clusters
from themescope.topics.labels import CANDIDATE_WORDS, make_label
from themescope.topics.metrics import topic_metrics, topic_similarity
from themescope.topics.tokenize import Tokens, analyzed_tokens
from themescope.topics.words import WordVectors

# Part of the stage's cache key: a change to how curation is applied must not reuse entries.
CURATE_VERSION = 1


def curate_topics(
    result,  # TopicResult, in the fit's (text) order
    steps: list[ResolvedStep],
    tokens: Tokens,
    embeddings: np.ndarray,
    reduced: np.ndarray,
    settings: TopicsConfig,
    seed_words: list[str] | None = None,
    word_vectors: WordVectors | None = None,
):
    """``result`` with ``steps`` (rows in the same order as ``result``) applied."""
    from themescope.topics.model import Topic, TopicResult, _build_model, _collect_topics

    before = {t.id: t for t in result.topics}
    curated = replay(result.assignments, {t.id: t.label for t in result.topics}, steps)
    documents = tokens.analyzed()
    assignments = curated.assignments
    top_n_words = (
        max(settings.top_n_words, CANDIDATE_WORDS) if word_vectors is not None else settings.top_n_words
    )
    probabilities = np.where(curated.relocated, 0.0, result.probabilities)
    clusters = Clusters(labels=assignments.copy(), probabilities=probabilities)
    model = _build_model(_Reduced(reduced), clusters, len(documents), seed_words, top_n_words)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit_transform(documents, embeddings=embeddings)
        # BERTopic numbers topics by size when it fits; update_topics takes ours as given.
        model.update_topics(documents, topics=assignments.tolist(), top_n_words=top_n_words)
    themes = {t: before[t].theme for t in curated.labels if t in before and before[t].theme}
    fresh = {
        t.id: t
        for t in _collect_topics(model, assignments, embeddings, themes, settings.top_n_words, word_vectors)
    }
    topics: list[Topic] = []
    for topic_id, label in curated.labels.items():
        if topic_id in before and topic_id not in curated.changed:
            topic = replace(before[topic_id], label=label or before[topic_id].label)
        else:
            topic = fresh[topic_id]
            others = [t.keywords for t in fresh.values() if t.id != topic_id]
            topic.label = label or make_label(topic.keywords, others, topic_id)
        model.topic_representations_[topic_id] = topic.keywords
        topics.append(topic)
    model.set_topic_labels({t.id: t.label for t in topics})
    metrics = topic_metrics(assignments, embeddings, topics, analyzed_tokens, documents)
    for key in ("outlier_share_before_reduction",):
        if key in result.metrics:
            metrics[key] = result.metrics[key]
    return TopicResult(
        assignments=assignments,
        probabilities=probabilities,
        topics=topics,
        coordinates=result.coordinates,
        metrics=metrics,
        params=result.params,
        reassigned=result.reassigned,
        similarity=topic_similarity(assignments, embeddings, [t.id for t in topics]),
        model=model,
        warnings=[*result.warnings, *curated.warnings],
        themes=result.themes,
        curation={"next_topic_id": curated.next_id, "steps": [vars(o) for o in curated.outcomes]},
    )


class _Reduced:
    """What BERTopic's precomputed reduction needs of a Reduction."""

    def __init__(self, reduced: np.ndarray) -> None:
        self.reduced = reduced
