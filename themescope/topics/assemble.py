"""The topic stages' glue, as ``pipeline.STAGES`` calls it: whether there is anything to
cluster, the curated topics, the broad themes above them, and the topics as the run shows
them (broad themes and persistence set, back in the caller's order)."""

from __future__ import annotations

import numpy as np

from themescope.config import TopicsConfig
from themescope.curation import ResolvedStep
from themescope.topics.hierarchy import BroadThemes, describe_broad_themes
from themescope.topics.model import seed_words, without_topics
from themescope.topics.order import in_caller_order
from themescope.topics.params import TopicParams
from themescope.topics.persistence import Resamples, apply_persistence
from themescope.topics.reduce import MIN_DOCUMENTS_FOR_CLUSTERING, Reduction, distinct_rows
from themescope.topics.result import TopicResult
from themescope.topics.themes import ThemeVectors
from themescope.topics.tokenize import Tokens
from themescope.topics.words import WordVectors


def no_topics_reason(vectors: np.ndarray, tokens: Tokens) -> str | None:
    if len(distinct_rows(vectors)[0]) < MIN_DOCUMENTS_FOR_CLUSTERING:
        return "too few distinct paragraphs to cluster"
    if not any(tokens.lists):
        return "no words to describe topics with: the paragraphs hold only numbers, symbols or punctuation"
    return None


def clusterable(no_topics: str | None) -> bool:
    return no_topics is None


def curated_topics(represent: TopicResult, curate: TopicResult | None) -> TopicResult:
    if curate is None:
        return represent
    curate.model = represent.model  # BERTopic's model of the topics before curation
    return curate


def broad_themes_above(
    curated: TopicResult,
    vectors: np.ndarray,
    tokens: Tokens,
    settings: TopicsConfig,
    guided_themes: ThemeVectors | None,
    words: WordVectors | None,
) -> BroadThemes:
    return describe_broad_themes(
        curated.assignments,
        vectors,
        [t.id for t in curated.topics],
        tokens.analyzed(),
        settings.broad_themes,
        settings.top_n_words,
        seed_words(tokens, guided_themes),
        words,
    )


def final_topics(
    curated: TopicResult | None,
    hierarchy: BroadThemes | None,
    persistence: Resamples | None,
    no_topics: str | None,
    documents: list[str],
    vectors: np.ndarray,
    params: TopicParams,
    order: np.ndarray,
    reduce: Reduction,
    curation: list[ResolvedStep] | None,
) -> TopicResult:
    """The topics as the run shows them, back in the caller's order."""
    if curated is None:
        result = without_topics(documents, vectors, params, no_topics)
    else:
        result = curated
        result.broad_themes = hierarchy.themes
        for topic in result.topics:
            topic.parent = hierarchy.parent.get(topic.id)
        apply_persistence(result, persistence)
    if curation and "steps" not in result.curation:
        result.warnings.append("curation: not applied: too few paragraphs or words to find topics")
    return in_caller_order(result, order, reduce.layout)
