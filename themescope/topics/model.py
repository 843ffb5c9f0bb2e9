"""Represent: BERTopic on the reduction and clusters the earlier stages computed (c-TF-IDF,
merging, guided themes, outlier reduction), and the keywords that describe the final topics.
The order of the stages lives in ``themescope.pipeline.STAGES``."""

from __future__ import annotations

import hashlib
import logging
import warnings
from dataclasses import dataclass, field

import numpy as np

from themescope.config import TopicsConfig
from themescope.topics.cluster import Clusters, PrecomputedClusters
from themescope.topics.describe import describe_topics, keyword_notes
from themescope.topics.imports import import_bertopic
from themescope.topics.labels import CANDIDATE_WORDS
from themescope.topics.metrics import topic_metrics, topic_similarity
from themescope.topics.params import TopicParams
from themescope.topics.reduce import PrecomputedReduction, Reduction, pca_2d
from themescope.topics.result import Topic, TopicResult
from themescope.topics.themes import (
    MIN_TOPIC_Z,
    MIN_TOPIC_Z_UNSUPPORTED,
    ThemeVectors,
    gather_outliers,
    keyword_presence,
    keyword_tokens,
    match_themes,
    theme_scores,
)
from themescope.topics.tokenize import Tokens, analyzed_tokens
from themescope.topics.words import WordVectors


def theme_key(themes: ThemeVectors | None) -> list:
    """What the guided themes' vectors stand for in a stage key."""
    if themes is None:
        return []
    digest = hashlib.sha256(np.ascontiguousarray(themes.vectors).tobytes()).hexdigest()
    return [themes.names, themes.keywords, digest]


def seed_words(tokens: Tokens, themes: ThemeVectors | None) -> list[str] | None:
    """The guided themes' keywords as they occur in the corpus (BERTopic's seed words)."""
    if themes is None or not themes.names:
        return None
    return _Guide.of(tokens.analyzed(), themes).seed_words


def represent(
    tokens: Tokens,
    embeddings: np.ndarray,
    reduction: Reduction,
    clusters: Clusters,
    settings: TopicsConfig,
    params: TopicParams,
    themes: ThemeVectors | None = None,
    word_vectors: WordVectors | None = None,
) -> TopicResult:
    """BERTopic on the given reduction and clusters, step by step: build -> fit and merge ->
    guided themes -> outlier reduction -> keywords that describe the final topics.

    BERTopic's documents are the paragraphs' tokens joined by spaces (see ``Tokens``).
    """
    documents = tokens.analyzed()
    guide = _Guide.of(documents, themes)
    # With word vectors, c-TF-IDF proposes more words and their embeddings choose among them.
    top_n_words = (
        max(settings.top_n_words, CANDIDATE_WORDS) if word_vectors is not None else settings.top_n_words
    )
    model = _build_model(reduction, clusters, len(documents), guide.seed_words, top_n_words)
    fitted, probabilities = _fit_and_merge(model, documents, embeddings, params.nr_topics)
    found, theme_report, assignments = _take_themes(fitted, embeddings, documents, themes, guide)
    assignments = _reduce_outliers_if_needed(model, documents, assignments, embeddings, settings)
    moved = assignments != fitted  # by a guided theme or to the nearest topic
    if moved.any():
        probabilities = np.where(moved, 0.0, probabilities)
        # Keywords must describe the topics as they are now (BERTopic issue 1785).
        model.update_topics(
            documents,
            topics=assignments.tolist(),
            vectorizer_model=_vectorizer(len(documents)),
            ctfidf_model=_ctfidf_model(guide.seed_words),
            top_n_words=top_n_words,
        )
    topics = _collect_topics(model, assignments, embeddings, found, settings.top_n_words, word_vectors)
    notes = keyword_notes(topics, _indistinct_topics(model, assignments))
    metrics = topic_metrics(assignments, embeddings, topics, analyzed_tokens, documents)
    metrics["outlier_share_before_reduction"] = round(float(np.mean(fitted == -1)), 4)
    return TopicResult(
        assignments=assignments,
        probabilities=probabilities,
        topics=topics,
        coordinates=reduction.layout,
        metrics=metrics,
        params=params.as_dict(),
        reassigned=int(moved.sum()),
        similarity=topic_similarity(assignments, embeddings, [t.id for t in topics]),
        model=model,
        guided_themes=theme_report,
        warnings=_notes(theme_report, topics, params) + notes,
    )


@dataclass
class _Guide:
    """The guided themes' keywords, and the corpus tokens they match (BERTopic's seed words)."""

    keywords: list[list[str]] = field(default_factory=list)
    tokens: list[set[str]] = field(default_factory=list)
    seed_words: list[str] | None = None

    @classmethod
    def of(cls, documents: list[str], themes: ThemeVectors | None) -> _Guide:
        if themes is None or not themes.names:
            return cls()
        keywords = themes.keywords or [[] for _ in themes.names]
        tokens = keyword_tokens(documents, keywords)
        return cls(keywords, tokens, sorted(set().union(*tokens)) or None)


def _build_model(reduction: Reduction, clusters: Clusters, n_documents: int, seed_words, top_n_words: int):
    """BERTopic, handed the reduction and the clusters computed by the earlier stages."""
    model = import_bertopic(need_umap=False).BERTopic(
        umap_model=PrecomputedReduction(reduction.per_document()),
        hdbscan_model=PrecomputedClusters(clusters),
        vectorizer_model=_vectorizer(n_documents),
        ctfidf_model=_ctfidf_model(seed_words),
        top_n_words=top_n_words,
        nr_topics=None,  # reduced below: BERTopic counts the outlier topic in nr_topics
        calculate_probabilities=False,
        # "english" (the default) strips every non-ASCII character before c-TF-IDF.
        language="multilingual",
        verbose=False,
    )
    # BERTopic sets its logger to WARNING in __init__ and then warns that custom assignments
    # follow (update_topics after reduce_outliers), which is our design.
    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    return model


def _fit_and_merge(
    model, documents: list[str], embeddings: np.ndarray, nr_topics
) -> tuple[np.ndarray, np.ndarray]:
    """BERTopic's fit (c-TF-IDF on the given clusters), then its topic merging when asked."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assignments, probabilities = model.fit_transform(documents, embeddings=embeddings)
    assignments = np.asarray(assignments)
    probabilities = np.zeros(len(documents)) if probabilities is None else np.asarray(probabilities, float)
    merged = _reduce_topics(model, documents, assignments, nr_topics)
    if merged is not assignments:
        return merged, np.asarray(model.probabilities_, float)
    return assignments, probabilities


def _take_themes(assignments, embeddings, documents, themes: ThemeVectors | None, guide: _Guide):
    """Which topic carries each guided theme, and the outliers clearly on a found theme."""
    if themes is None or not themes.names:
        return {}, [], assignments
    scores = theme_scores(embeddings, themes)
    presence = keyword_presence(documents, guide.keywords, guide.tokens)
    found, report = match_themes(assignments, scores, themes.names, presence)
    return found, report, gather_outliers(assignments, scores, found, themes.names)


def _reduce_outliers_if_needed(
    model, documents, assignments, embeddings, settings: TopicsConfig
) -> np.ndarray:
    n_topics = len(set(assignments.tolist()) - {-1})
    if settings.reduce_outliers and n_topics >= 1 and np.mean(assignments == -1) > settings.max_outlier_share:
        return _reduce_outliers(model, documents, assignments, embeddings, settings)
    return assignments


def _notes(theme_report: list[dict], topics: list[Topic], params: TopicParams) -> list[str]:
    """What the user should know about the topics found: themes not found, fewer topics."""
    notes = [
        f"topics.guided_themes: {t['name']!r} matched no topic (best score {t['score']}; needs "
        f"{MIN_TOPIC_Z} where its keywords occur in the topic, {MIN_TOPIC_Z_UNSUPPORTED} elsewhere)"
        for t in theme_report
        if t["topic"] is None
    ]
    if isinstance(params.nr_topics, int) and 0 < len(topics) < params.nr_topics:
        notes.append(
            f"topics.nr_topics: {params.nr_topics} asked, {len(topics)} found with at least "
            f"{params.min_topic_size} paragraphs each (topics.min_topic_size); the rest were outliers"
        )
    if not topics:
        notes.append(
            f"no topic found: no {params.min_topic_size} or more paragraphs were alike enough "
            "(topics.min_topic_size); every paragraph is an outlier"
        )
    return notes


def _indistinct_topics(model, assignments: np.ndarray) -> set[int]:
    """The topics no word distinguishes, as the last c-TF-IDF fit found them: its rows are
    the topics (outliers included) in id order, those of ``assignments`` (BERTopic's
    ``topics_`` after fit, reduce_topics or update_topics)."""
    flags = getattr(model.ctfidf_model, "indistinct_", None)
    ids = sorted(set(assignments.tolist()))
    if flags is None or len(flags) != len(ids):
        return set()
    return {t for t, flag in zip(ids, flags, strict=True) if flag and t != -1}


def _ctfidf_model(seed_words: list[str] | None = None):
    """BERTopic's c-TF-IDF; ``seed_words`` (the guided themes' keywords as they occur in the
    corpus) get BERTopic's seed multiplier, so a theme's topic shows the words the user named."""
    from themescope.topics.ctfidf_bertopic import FallbackClassTfidf  # heavy: pulls BERTopic

    # BM25's idf (BERTopic's option for small corpora) keeps words found in nearly every
    # paragraph (俄羅斯, 美國 on the sample) from leading every topic's keywords; a topic it
    # leaves without a positive word gets the classic idf's (topics/ctfidf.py).
    return FallbackClassTfidf(reduce_frequent_words=True, bm25_weighting=True, seed_words=seed_words)


def _vectorizer(n_documents: int):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        analyzer=analyzed_tokens,
        min_df=1 if n_documents < 1000 else 2,
        max_features=None if n_documents < 10000 else 100_000,
    )


def _reduce_topics(model, documents, assignments: np.ndarray, nr_topics: int | None) -> np.ndarray:
    """Merge topics down to ``nr_topics`` real topics (outliers not counted), if there are more."""
    n_topics = len(set(assignments.tolist()) - {-1})
    if nr_topics is None or n_topics <= max(1, nr_topics):
        return assignments
    # BERTopic's nr_topics includes the outlier topic when there is one.
    nr_topics = nr_topics + int(bool((assignments == -1).any()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.reduce_topics(documents, nr_topics=nr_topics)
    return np.asarray(model.topics_)


def _reduce_outliers(model, documents, assignments, embeddings, settings) -> np.ndarray:
    """Reassign just enough outliers, most similar first, to reach ``max_outlier_share``.

    BERTopic's "embeddings" strategy takes a similarity threshold; we pick the threshold
    that leaves at most max_outlier_share of the paragraphs as outliers.
    """
    from sklearn.metrics.pairwise import cosine_similarity

    outlier_rows = np.flatnonzero(assignments == -1)
    # The same similarities BERTopic's "embeddings" strategy computes; row 0 of
    # topic_embeddings_ is the outlier topic, which exists whenever we get here.
    topic_vectors = model.topic_embeddings_[1:]
    best = cosine_similarity(embeddings[outlier_rows], topic_vectors).max(axis=1)
    allowed = int(np.floor(settings.max_outlier_share * len(documents)))
    to_move = len(outlier_rows) - allowed
    if to_move <= 0:
        return assignments
    threshold = float(np.sort(best)[::-1][to_move - 1]) - 1e-6
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new = model.reduce_outliers(
            documents,
            assignments.tolist(),
            strategy="embeddings",
            embeddings=embeddings,
            threshold=threshold,
        )
    return np.asarray(new)


def _collect_topics(
    model,
    assignments: np.ndarray,
    embeddings: np.ndarray,
    themes: dict,
    top_n_words: int,
    word_vectors: WordVectors | None = None,
) -> list[Topic]:
    ids = sorted(set(assignments.tolist()) - {-1})
    candidates = {t: [(w, float(s)) for w, s in (model.get_topic(t) or []) if w and s > 0] for t in ids}
    topics = describe_topics(candidates, assignments, embeddings, themes, top_n_words, word_vectors)
    for topic in topics:  # the saved model describes its topics with the same words as topics.json
        model.topic_representations_[topic.id] = topic.keywords
    return topics


def without_topics(documents, embeddings, params: TopicParams, reason: str) -> TopicResult:
    n = len(documents)
    return TopicResult(
        assignments=np.full(n, -1),
        probabilities=np.zeros(n),
        topics=[],
        coordinates=pca_2d(embeddings) if n else np.zeros((0, 2), np.float32),
        metrics={"note": reason, "n_topics": 0, "outlier_share": 1.0 if n else 0.0},
        params=params.as_dict(),
    )
